"""Regenerate the pictures of docs/pattern.md, docs/pattern-home.md and docs/pattern-vs-freesewing.md.

Run from the repository root (needs chromium for SVG -> PNG)::

    .venv/bin/python docs/img/pattern/make_pictures.py

FreeSewing's SVG comes from ``benchmarks/pattern_vs_freesewing.py --pictures``.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from yuefang.measure import body_for_designation
from yuefang.pattern.export.svg import to_svg
from yuefang.pattern.grading import graded_stack_svg
from yuefang.pattern.products import get_product

HERE = Path(__file__).resolve().parent


def png(svg: str, name: str, width: int = 1200) -> None:
    svg = svg[svg.index("<svg"):]
    if "mm" in svg.split(">", 1)[0]:  # size a 1:1 mm SVG in pixels
        head, rest = svg.split(">", 1)
        vb = [float(v) for v in re.search(r'viewBox="([^"]+)"', head).group(1).split()]
        head = re.sub(r'width="[^"]+"', f'width="{width}"', head)
        head = re.sub(r'height="[^"]+"', f'height="{round(width * vb[3] / vb[2])}"', head)
        svg = head + ">" + rest
    height = int(float(re.search(r'height="([\d.]+)"', svg).group(1)))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.svg"
        src.write_text(svg, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={width},{height}", f"--screenshot={HERE / name}", f"file://{src}"],
                       check=True, capture_output=True)
    print("wrote", HERE / name)


def main() -> None:
    curtain = get_product("curtain")
    png(to_svg(curtain.draft({"window_width_mm": 2400, "drop_mm": 2500}, {"heading": "eyelet"}), preview_px=1000),
        "curtain-fixed-height-eyelet.png", 1000)
    png(to_svg(curtain.draft({"window_width_mm": 2400, "drop_mm": 2500},
                             {"fabric": "fixed_width", "pattern_repeat_mm": 640}), preview_px=1000),
        "curtain-fixed-width.png", 1000)
    png(to_svg(get_product("duvet_cover").draft({"duvet_size": "200x230"}, {"closure": "buttons"}), preview_px=1000),
        "duvet-cover-200x230.png", 1000)
    png(to_svg(get_product("fitted_sheet").draft(
        {"mattress_width_mm": 1500, "mattress_length_mm": 2000, "mattress_depth_mm": 250}, {"elastic": "corners"}),
        preview_px=900), "fitted-sheet-150x200x25.png", 900)
    body = body_for_designation("170/88A", "male")
    png(to_svg(get_product("shirt").draft(body, size="170/88A"), preview_px=1400), "yuefang-shirt-170-88A.png", 1400)
    png(graded_stack_svg("shirt", ["160/80A", "165/84A", "170/88A", "175/92A", "180/96A"], "male", preview_px=1400),
        "shirt-graded-stack.png", 1400)
    fs = HERE / "freesewing-simon-170-88A.svg"
    if fs.exists():
        svg = fs.read_text(encoding="utf-8")
        css = ("path,circle{fill:none;stroke:#000;stroke-width:0.4}.sa{stroke-dasharray:2 1;stroke:#888}"
               ".help,.dotted{stroke-dasharray:1 1;stroke:#888}.note,.mark{stroke:#1f5fbf}.fabric{stroke-width:0.6}"
               "text{font-size:5px;fill:#000;font-family:sans-serif}.text-4xl{font-size:12px}.text-lg{font-size:7px}"
               ".no-stroke{stroke:none}.fill-mark{fill:#1f5fbf}")
        svg = svg.replace("<![CDATA[ \n\n]]>", f"<![CDATA[ {css} ]]>", 1)
        png(svg, "freesewing-simon-170-88A.png", 1400)


if __name__ == "__main__":
    main()
