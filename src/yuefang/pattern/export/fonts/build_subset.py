"""Build the small CJK font shipped with yuefang for PDF labels (a developer's tool, not run at run time).

The font is a subset of WenQuanYi Micro Hei (文泉驿微米黑, Apache License 2.0 / GPLv3 with a
font embedding exception; © 2008-2010 WenQuanYi Board of Trustees and others): ASCII, Latin-1,
common punctuation and every CJK character found in yuefang's sources under ``src/yuefang/``.
Loading it takes a few milliseconds, against about a second for the whole 5 MB collection, so
a PDF export stays fast. Labels with characters outside it fall back to the installed system
font (see :mod:`yuefang.pattern.export.pdf`).

Run from the repository root after adding Chinese labels::

    .venv/bin/python -m yuefang.pattern.export.fonts.build_subset
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

__all__ = ["main", "SOURCE_FONT", "OUTPUT"]

SOURCE_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
OUTPUT = Path(__file__).with_name("yuefang-cjk-subset.ttf")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def main(root: str = "src/yuefang") -> int:
    from fontTools import subset, ttLib

    chars = set(range(32, 127)) | set(range(0xA0, 0x100))
    chars |= {0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2192, 0x2190, 0x00D7, 0x00B7}
    for path in Path(root).rglob("*.py"):
        chars |= {ord(c) for c in _CJK.findall(path.read_text(encoding="utf-8"))}
    font = ttLib.TTFont(SOURCE_FONT, fontNumber=0)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    font.save(OUTPUT)
    print(f"{OUTPUT}: {len(chars)} characters, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
