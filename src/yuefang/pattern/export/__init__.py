"""Pattern exports: pure functions from a :class:`~yuefang.pattern.model.Pattern` to file contents.

Nothing here writes a file; the CLI and the app write what these return.

============================  =====================================================
``to_svg(pattern)``            ``pattern.svg``, 1:1 in mm (str, UTF-8)
``to_pdf_a4(pattern)``         ``pattern-a4.pdf``, tiled on A4 with page marks (bytes)
``to_pdf_plot(pattern)``       ``pattern-plot.pdf``, full size for a plotter (bytes)
``to_dxf_aama(pattern)``       ``pattern.dxf``, DXF-AAMA R12, GBK / ANSI_936 (bytes)
``to_hpgl(pattern)``           ``pattern.plt``, HP-GL (str, ASCII)
``export_all(pattern)``        every file above plus ``pieces.json`` and ``report.json``
============================  =====================================================
"""

from __future__ import annotations

import json

from yuefang.pattern.export._sheet import build_sheet
from yuefang.pattern.export.dxf_aama import to_dxf_aama
from yuefang.pattern.export.hpgl import to_hpgl
from yuefang.pattern.export.pdf import to_pdf_a4, to_pdf_plot
from yuefang.pattern.export.svg import sheet_to_svg, to_svg
from yuefang.pattern.model import Pattern

__all__ = ["EXPORT_FILES", "export_all", "to_dxf_aama", "to_hpgl", "to_pdf_a4", "to_pdf_plot", "to_svg"]

#: the files ``export_all`` returns, in order
EXPORT_FILES = (
    "pattern.svg",
    "pattern-a4.pdf",
    "pattern-plot.pdf",
    "pattern.dxf",
    "pattern.plt",
    "pieces.json",
    "report.json",
)


def export_all(pattern: Pattern) -> dict[str, bytes]:
    """Every export of the pattern: file name -> file contents.

    Returns
    -------
    dict[str, bytes]
        Keys as in :data:`EXPORT_FILES`; text files are UTF-8 (``pattern.dxf`` is GBK,
        ``pattern.plt`` ASCII).
    """
    sheet = build_sheet(pattern)  # laid out once, drawn four times
    return {
        "pattern.svg": sheet_to_svg(sheet).encode("utf-8"),
        "pattern-a4.pdf": to_pdf_a4(pattern, sheet=sheet),
        "pattern-plot.pdf": to_pdf_plot(pattern, sheet=sheet),
        "pattern.dxf": to_dxf_aama(pattern),
        "pattern.plt": to_hpgl(pattern, sheet=sheet).encode("ascii"),
        "pieces.json": pattern.to_json().encode("utf-8"),
        "report.json": json.dumps(pattern.report, ensure_ascii=False, indent=1, default=str).encode("utf-8"),
    }
