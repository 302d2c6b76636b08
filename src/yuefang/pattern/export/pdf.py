"""``pattern-a4.pdf`` (tiled on A4, for a home or office printer) and ``pattern-plot.pdf`` (full size).

The A4 file opens with a cover page (title, pieces, the page map and a 10 cm test square to check
that the printer kept the scale at 100 %), then one page per tile that holds something. Each tile
page carries its grid name (row letter, column number: ``B3``), crop marks at the tile's corners,
and at the middle of each edge the name of the tile that joins there, so the sheets can be
trimmed and taped edge to edge. Tiles do not overlap.

Chinese labels need a CJK font, and it comes with the install, never from the network: a small
subset of WenQuanYi Micro Hei (Apache 2.0) holding every Chinese character of yuefang's own
labels ships in ``yuefang/pattern/export/fonts/`` (rebuilt by ``build_subset.py``) and loads in
milliseconds. A label with other characters (an imported pattern's, say) uses the installed
system font (Debian ``fonts-wqy-microhei``, installed by ``.ci/run``; about a second to load),
or ``font_path``; with neither, those characters are left out and the cover page says so.
Only the characters used are embedded.
"""

from __future__ import annotations

import functools
import math
import string
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from fpdf import FPDF

from yuefang.pattern.export._sheet import STYLES, Item, Sheet, build_sheet, test_square_items
from yuefang.pattern.model import Pattern

__all__ = ["to_pdf_a4", "to_pdf_plot", "find_cjk_font", "A4_MM", "PAGE_MARGIN_MM"]

A4_MM = (210.0, 297.0)
PAGE_MARGIN_MM = 10.0
MAX_PDF_PAGE_MM = 5000.0  # PDF viewers refuse pages over 200 in (5080 mm)
PT_PER_MM = 72.0 / 25.4
BUNDLED_FONT = "yuefang-cjk-subset.ttf"

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def find_cjk_font(candidates: Sequence[str] = CJK_FONTS) -> str | None:
    """The first installed CJK font of ``candidates`` (a read-only system resource), or None."""
    for c in candidates:
        if Path(c).is_file():
            return c
    return None


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@functools.cache
def _bundled_font() -> tuple[str, frozenset[int]]:
    """The CJK subset font shipped in the package and the characters it covers."""
    from fontTools import ttLib

    path = str(resources.files("yuefang.pattern.export.fonts") / BUNDLED_FONT)
    with ttLib.TTFont(path, lazy=True) as font:
        covered = frozenset(font.getBestCmap())
    return path, covered


class _Doc:
    """An FPDF document in mm with a CJK font (or ASCII fallback) set up for ``texts``.

    The font: ``font_path`` when given; else the small subset shipped with yuefang when it has
    every character; else the installed system CJK font (slower to load); else the shipped
    subset with the missing characters left out.
    """

    def __init__(self, texts: Sequence[str], font_path: str | None, fmt: tuple[float, float] | str) -> None:
        self.pdf = FPDF(unit="mm", format=fmt)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creator("yuefang")
        chars = {ord(c) for t in texts for c in t} | {ord(c) for c in string.printable if c.isprintable()}
        self.covered: frozenset[int] | None = None
        bundled, covered = _bundled_font()
        path: str | None = font_path
        if path is None:
            path = bundled if chars <= covered else (find_cjk_font() or bundled)
        if path == bundled:
            self.covered = covered
            self.pdf.add_font("cjk", fname=path)
        else:
            self.pdf.add_font("cjk", fname=path, unicode_range=sorted(chars))
        self.cjk = True
        self.missing = sorted(chr(c) for c in chars - covered) if self.covered is not None else []
        self.family = "cjk"

    def text(self, s: str) -> str:
        if self.covered is None or all(ord(c) in self.covered for c in s):
            return s
        return " ".join("".join(c for c in s if ord(c) in self.covered).split())

    def draw(
        self, items: Sequence[Item], tx: float, ty: float, clip: tuple[float, float, float, float] | None
    ) -> None:
        """Draw items; page x = x - tx, page y = ty - y (sheet y up, page y down)."""
        pdf = self.pdf
        if clip is not None:
            items = [
                it for it in items
                if not (it.bbox[2] < clip[0] or it.bbox[0] > clip[2] or it.bbox[3] < clip[1] or it.bbox[1] > clip[3])
            ]
        # lines grouped by style (fewer pen changes), text last so that it stays on top
        items = sorted(items, key=lambda it: (it.kind == "text", it.style))
        pen: tuple[float, tuple[float, ...] | None, str] | None = None
        for it in items:
            style = STYLES.get(it.style, STYLES["internal"])
            width, dash, colour = style
            if it.kind == "text":
                s = self.text(it.text)
                if not s:
                    continue
                pdf.set_text_color(*_rgb(colour))
                pdf.set_font(self.family, size=it.size_mm * PT_PER_MM)
                (x, y) = it.points[0]
                w = pdf.get_string_width(s)
                px = x - tx - (w / 2 if it.anchor == "middle" else 0.0)
                pdf.text(px, ty - y, s)
                continue
            if style != pen:
                pdf.set_draw_color(*_rgb(colour))
                pdf.set_line_width(width)
                if dash:
                    pdf.set_dash_pattern(dash=dash[0], gap=dash[1])
                else:
                    pdf.set_dash_pattern()
                pen = style
            if it.kind == "circle":
                (x, y) = it.points[0]
                pdf.circle(x - tx, ty - y, it.radius)
            else:
                pdf.polyline([(x - tx, ty - y) for x, y in it.points], polygon=it.closed)
        pdf.set_dash_pattern()

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _texts(sheet: Sheet, extra: Sequence[str] = ()) -> list[str]:
    return [it.text for it in sheet.items if it.kind == "text"] + list(extra)


def _row_name(r: int) -> str:
    name = ""
    r += 1
    while r:
        r, m = divmod(r - 1, 26)
        name = chr(65 + m) + name
    return name


def to_pdf_a4(pattern: Pattern, *, font_path: str | None = None, sheet: Sheet | None = None) -> bytes:
    """``pattern-a4.pdf``: the 1:1 sheet tiled on A4 portrait pages with page marks.

    Parameters
    ----------
    pattern : Pattern
        The drafted pattern (mm).
    font_path : str, optional
        A CJK TrueType font (TTF/TTC) for the Chinese labels; default: the installed WenQuanYi
        Micro Hei, else ASCII labels.
    sheet : Sheet, optional
        The pattern already laid out by ``build_sheet`` (``export_all`` lays it out once).

    Returns
    -------
    bytes
        The PDF: a cover page (title, pieces, page map, 10 cm test square), then the tiles.
    """
    sheet = sheet or build_sheet(pattern)
    pw, ph = A4_MM
    m = PAGE_MARGIN_MM
    tw, th = pw - 2 * m, ph - 2 * m
    cols = max(1, math.ceil(sheet.width_mm / tw))
    rows = max(1, math.ceil(sheet.height_mm / th))
    cover = [
        "Pieces 裁片",
        "Page map 拼页图",
        "Print at 100 % · check the test square 按100%打印",
        "10 cm",
        "test square 校验方块",
    ]
    labels = [f"{pl.piece.label}: {pl.piece.name} × {pl.piece.quantity}" for pl in sheet.placed]
    doc = _Doc(_texts(sheet, cover + labels), font_path, "A4")
    pdf = doc.pdf
    # which tiles hold something
    used: set[tuple[int, int]] = set()
    for it in sheet.items:
        x0, y0, x1, y1 = it.bbox
        c0, c1 = int(max(0, x0) // tw), int(min(sheet.width_mm - 1e-6, x1) // tw)
        r0 = int(max(0.0, sheet.height_mm - y1) // th)
        r1 = int(min(sheet.height_mm - 1e-6, sheet.height_mm - y0) // th)
        for r in range(r0, min(r1, rows - 1) + 1):
            for c in range(c0, min(c1, cols - 1) + 1):
                used.add((r, c))
    # cover page
    pdf.add_page()
    doc.draw(
        [Item("text", "text", ((m, ph - m - 8),), text=sheet.title, size_mm=5.0, anchor="start")], 0, ph, None
    )
    lines = [
        f"{rows} × {cols} tiles, {len(used)} printed; sheet {sheet.width_mm:.0f} × {sheet.height_mm:.0f} mm",
        cover[2],
    ]
    if doc.missing:
        lines.append(f"no CJK font installed: {len(doc.missing)} characters left out of the labels")
    lines += [cover[0], *labels]
    y = ph - m - 18
    for s in lines:
        doc.draw([Item("text", "text", ((m, y),), text=s, size_mm=3.2, anchor="start")], 0, ph, None)
        y -= 5.5
    # page map: the sheet scaled into the lower part of the page, with the tile grid
    box_w, box_h = pw - 2 * m, y - m - 130
    k = min(box_w / sheet.width_mm, box_h / sheet.height_mm)
    ox, oy = m, m + 120 + box_h - sheet.height_mm * k  # page coords of the map's lower left (y up)
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    for r in range(rows):
        for c in range(cols):
            x = ox + c * tw * k
            top = ph - (oy + sheet.height_mm * k) + r * th * k
            w, h = min(tw, sheet.width_mm - c * tw) * k, min(th, sheet.height_mm - r * th) * k
            pdf.set_fill_color(235, 242, 250) if (r, c) in used else pdf.set_fill_color(255, 255, 255)
            pdf.rect(x, top, w, h, style="DF")
            if min(w, h) > 4:
                pdf.set_font(doc.family, size=min(7.0, w * 2))
                pdf.set_text_color(120, 120, 120)
                pdf.text(x + 0.8, top + min(3.0, h - 0.5), f"{_row_name(r)}{c + 1}")
    mini = [
        Item("path", "cut", tuple((ox + x * k, oy + yy * k) for x, yy in it.points), closed=True)
        for it in sheet.items
        if it.kind == "path" and it.style == "cut"
    ]
    for it in mini:
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.2)
        pdf.polyline([(x, ph - yy) for x, yy in it.points], polygon=True)
    doc.draw(test_square_items(m, m), 0, ph, None)
    # tiles
    for r in range(rows):
        for c in range(cols):
            if (r, c) not in used:
                continue
            pdf.add_page()
            x_left = c * tw
            y_top = sheet.height_mm - r * th
            clip = (x_left, y_top - th, x_left + tw, y_top)
            with pdf.rect_clip(m, m, tw, th):
                doc.draw(sheet.items, x_left - m, y_top + m, clip)
            _page_marks(doc, r, c, rows, cols, used)
    return doc.output()


def _page_marks(doc: _Doc, r: int, c: int, rows: int, cols: int, used: set[tuple[int, int]]) -> None:
    pdf = doc.pdf
    pw, ph = A4_MM
    m = PAGE_MARGIN_MM
    pdf.set_dash_pattern()
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    for x, y, sx, sy in ((m, m, -1, -1), (pw - m, m, 1, -1), (pw - m, ph - m, 1, 1), (m, ph - m, -1, 1)):
        pdf.line(x, y, x + sx * 6, y)  # crop marks outside the tile
        pdf.line(x, y, x, y + sy * 6)
    pdf.set_draw_color(180, 180, 180)
    pdf.set_line_width(0.1)
    pdf.rect(m, m, pw - 2 * m, ph - 2 * m)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(doc.family, size=9)
    name = f"{_row_name(r)}{c + 1}"
    pdf.text(m, m - 3, f"{name}  ({r + 1}/{rows}, {c + 1}/{cols})")
    pdf.set_font(doc.family, size=7)
    for dr, dc, x, y in (
        (-1, 0, pw / 2, m - 3),
        (1, 0, pw / 2, ph - m + 5),
        (0, -1, 1.5, ph / 2),
        (0, 1, pw - m + 1, ph / 2),
    ):
        rr, cc = r + dr, c + dc
        if 0 <= rr < rows and 0 <= cc < cols and (rr, cc) in used:
            label = f"{_row_name(rr)}{cc + 1}"
            pdf.text(x - (pdf.get_string_width(label) / 2 if dc == 0 else 0), y, label)
            # a small triangle on the edge, pointing to the neighbour
            if dc == 0:
                ex, ey = pw / 2 + 8, (m if dr < 0 else ph - m)
                pdf.polygon([(ex - 2, ey), (ex + 2, ey), (ex, ey + (-2 if dr < 0 else 2))], style="F")
            else:
                ex, ey = (m if dc < 0 else pw - m), ph / 2 + 8
                pdf.polygon([(ex, ey - 2), (ex, ey + 2), (ex + (-2 if dc < 0 else 2), ey)], style="F")


def to_pdf_plot(
    pattern: Pattern,
    *,
    paper_width_mm: float | None = None,
    font_path: str | None = None,
    sheet: Sheet | None = None,
) -> bytes:
    """``pattern-plot.pdf``: the whole sheet at 1:1 on one page for a wide-format plotter.

    Parameters
    ----------
    pattern : Pattern
        The drafted pattern (mm).
    paper_width_mm : float, optional
        The plotter's roll width: the pieces are laid out in rows no wider than it (a piece wider
        than the roll still gets its own row). Default: a roughly square sheet.
    font_path : str, optional
        A CJK font for the labels (see :func:`to_pdf_a4`).
    sheet : Sheet, optional
        The pattern already laid out (ignored when ``paper_width_mm`` is given).

    A sheet longer than 5000 mm (the PDF page limit is 200 in) is cut into pages of at most
    5000 mm, left to right.

    Returns
    -------
    bytes
        The PDF.
    """
    if paper_width_mm is not None and paper_width_mm < 300:
        raise ValueError(f"paper_width_mm: {paper_width_mm!r} is not allowed; allowed: a number >= 300")
    if paper_width_mm is not None or sheet is None:
        sheet = build_sheet(pattern, max_width_mm=None if paper_width_mm is None else paper_width_mm - 170.0)
    doc = _Doc(
        _texts(sheet),
        font_path,
        (min(sheet.width_mm, MAX_PDF_PAGE_MM), min(sheet.height_mm, MAX_PDF_PAGE_MM)),
    )
    pdf = doc.pdf
    n = max(1, math.ceil(sheet.width_mm / MAX_PDF_PAGE_MM))
    for i in range(n):
        x0 = i * MAX_PDF_PAGE_MM
        w = min(MAX_PDF_PAGE_MM, sheet.width_mm - x0)
        h = min(sheet.height_mm, MAX_PDF_PAGE_MM)
        pdf.add_page(format=(w, h))
        clip = (x0, sheet.height_mm - h, x0 + w, sheet.height_mm)
        with pdf.rect_clip(0, 0, w, h):
            doc.draw(sheet.items, x0, sheet.height_mm, clip)
    return doc.output()
