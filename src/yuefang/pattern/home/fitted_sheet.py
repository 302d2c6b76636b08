"""Fitted sheets (床笠): one piece from the mattress's width, length and depth plus the tuck-under.

The sheet is the mattress top (plus ``ease_mm``) with a skirt on every side as deep as the
mattress plus the tuck-under. A square is cut from each corner; its two edges are sewn together
into the box corner. The outer edge is turned into a casing for elastic, all round or at the
corners only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yuefang.pattern.home._common import HomeTextileProduct, InputError
from yuefang.pattern.model import Line, Notch, Piece, Pt

__all__ = ["FittedSheetInputs", "FittedSheetOptions", "PRODUCT", "draft_sheet"]

CASING_TURN_MM = 10.0  # turned under before the casing is stitched
ELASTIC_STRETCH = 0.6  # elastic cut at this fraction of the edge it gathers
CORNER_ELASTIC_SPAN_MM = 350.0  # corner elastic: gathered edge on each side of a corner seam


class FittedSheetInputs(BaseModel):
    """The mattress (mm)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mattress_width_mm: float = Field(ge=600, le=2400, description="mattress width")
    mattress_length_mm: float = Field(ge=1200, le=2400, description="mattress length")
    mattress_depth_mm: float = Field(ge=50, le=450, description="mattress depth (thickness)")


class FittedSheetOptions(BaseModel):
    """Tuck-under, ease, corner seams, casing and elastic (mm)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tuck_under_mm: float = Field(
        100, ge=30, le=250, description="how far the sheet reaches under the mattress"
    )
    ease_mm: float = Field(20, ge=0, le=80, description="added to the mattress width and length")
    corner_seam_mm: float = Field(10, ge=6, le=20, description="seam allowance of the corner seams")
    casing_mm: float = Field(15, ge=8, le=40, description="finished elastic casing at the edge")
    elastic: Literal["all_round", "corners"] = Field(
        "all_round", description="elastic all round or at the corners"
    )
    fabric_width_mm: float = Field(
        2500, ge=1100, le=3200, description="usable fabric width (wide sheeting 2.5 m)"
    )


def draft_sheet(
    inp: FittedSheetInputs, opt: FittedSheetOptions
) -> tuple[tuple[Piece, ...], dict[str, object]]:
    """The sheet: a cross-shaped piece, top panel in the middle, skirts round it."""
    wc = inp.mattress_width_mm + opt.ease_mm
    lc = inp.mattress_length_mm + opt.ease_mm
    d = inp.mattress_depth_mm
    k = d + opt.tuck_under_mm  # skirt depth, finished
    h = opt.casing_mm + CASING_TURN_MM  # allowance at the outer edge
    sa = opt.corner_seam_mm
    if sa >= k + h:
        raise InputError(
            "mattress_depth_mm", d, f"deeper than {sa - opt.tuck_under_mm - h:g} mm for these options"
        )
    # the frame's origin is the lower left corner of the cut; the top panel starts at (ox, oy)
    ox, oy = k + h, k + h

    def at(x: float, y: float) -> Pt:
        return (round(ox + x, 3), round(oy + y, 3))

    cut = (
        at(-sa, -k - h), at(wc + sa, -k - h), at(wc + sa, -sa), at(wc + k + h, -sa),
        at(wc + k + h, lc + sa), at(wc + sa, lc + sa), at(wc + sa, lc + k + h), at(-sa, lc + k + h),
        at(-sa, lc + sa), at(-k - h, lc + sa), at(-k - h, -sa), at(-sa, -sa),
    )  # fmt: skip
    sew = (
        at(0, -k), at(wc, -k), at(wc, 0), at(wc + k, 0), at(wc + k, lc), at(wc, lc), at(wc, lc + k),
        at(0, lc + k), at(0, lc), at(-k, lc), at(-k, 0), at(0, 0),
    )  # fmt: skip
    lines: list[Line] = [
        Line(
            kind="placement",
            points=(at(0, 0), at(wc, 0), at(wc, lc), at(0, lc), at(0, 0)),
            name="mattress_top",
        ),
    ]
    # where the mattress's lower edge falls on each skirt
    for a, b in (
        ((0, -d), (wc, -d)),
        ((wc + d, 0), (wc + d, lc)),
        ((wc, lc + d), (0, lc + d)),
        ((-d, lc), (-d, 0)),
    ):
        lines.append(Line(kind="internal", points=(at(*a), at(*b)), name="mattress_bottom"))
    # casing folds on the four skirt edges
    for off in (-k - opt.casing_mm, -k):  # the turn-under fold, then the casing fold
        lines += [
            Line(kind="fold", points=(at(-sa, off), at(wc + sa, off)), name="casing_fold"),
            Line(kind="fold", points=(at(wc - off, -sa), at(wc - off, lc + sa)), name="casing_fold"),
            Line(kind="fold", points=(at(wc + sa, lc - off), at(-sa, lc - off)), name="casing_fold"),
            Line(kind="fold", points=(at(off, lc + sa), at(off, -sa)), name="casing_fold"),
        ]
    notches: list[Notch] = []
    # corner seams: the mattress's top corner and its lower edge, on both edges of each seam
    for cx, cy, sx, sy in ((0, 0, -1, -1), (wc, 0, 1, -1), (wc, lc, 1, 1), (0, lc, -1, 1)):
        xs = cx + sx * sa  # the seam edge of the horizontal skirt (bottom/top)
        ys = cy + sy * sa
        notches.append(
            Notch(
                x=at(xs, cy + sy * d)[0],
                y=at(xs, cy + sy * d)[1],
                angle_deg=0.0 if sx > 0 else 180.0,
                name="mattress_edge",
            )
        )
        notches.append(
            Notch(
                x=at(cx + sx * d, ys)[0],
                y=at(cx + sx * d, ys)[1],
                angle_deg=90.0 if sy > 0 else -90.0,
                name="mattress_edge",
            )
        )
    # centre notches on the outer edges
    notches += [
        Notch(x=at(wc / 2, -k - h)[0], y=at(wc / 2, -k - h)[1], angle_deg=90.0, name="centre"),
        Notch(x=at(wc / 2, lc + k + h)[0], y=at(wc / 2, lc + k + h)[1], angle_deg=-90.0, name="centre"),
        Notch(x=at(-k - h, lc / 2)[0], y=at(-k - h, lc / 2)[1], angle_deg=0.0, name="centre"),
        Notch(x=at(wc + k + h, lc / 2)[0], y=at(wc + k + h, lc / 2)[1], angle_deg=180.0, name="centre"),
    ]
    edge = 2 * (wc + lc) + 8 * (k - sa)  # length of the outer (casing) edge once the corners are sewn
    if opt.elastic == "corners":
        span = min(CORNER_ELASTIC_SPAN_MM, wc / 2 - 1, lc / 2 - 1)
        for cx, cy, sx, sy in ((0, 0, -1, -1), (wc, 0, 1, -1), (wc, lc, 1, 1), (0, lc, -1, 1)):
            x = cx - sx * span
            y = cy - sy * span
            notches.append(
                Notch(
                    x=at(x, cy + sy * (k + h))[0],
                    y=at(x, cy + sy * (k + h))[1],
                    angle_deg=-90.0 * sy,
                    name="elastic_end",
                )
            )
            notches.append(
                Notch(
                    x=at(cx + sx * (k + h), y)[0],
                    y=at(cx + sx * (k + h), y)[1],
                    angle_deg=180.0 if sx > 0 else 0.0,
                    name="elastic_end",
                )
            )
        gathered = 4 * (2 * span + 2 * (k - sa))
    else:
        gathered = edge
    cut_w, cut_l = wc + 2 * (k + h), lc + 2 * (k + h)
    if cut_w <= opt.fabric_width_mm:
        grain = (at(wc / 2, lc * 0.25), at(wc / 2, lc * 0.75))
        layout = "grain along the length"
    elif cut_l <= opt.fabric_width_mm:
        grain = (at(wc * 0.25, lc / 2), at(wc * 0.75, lc / 2))
        layout = "railroaded: grain across the sheet"
    else:
        grain = (at(wc / 2, lc * 0.25), at(wc / 2, lc * 0.75))
        layout = "wider than the fabric both ways: needs a join"
    piece = Piece(
        name="sheet",
        label="Fitted sheet 床笠",
        cut=cut,
        sew=sew,
        turn_points=tuple(range(12)),
        grain=grain,
        quantity=1,
        notches=tuple(notches),
        lines=tuple(lines),
        seam_allowance_mm=sa,
    )
    summary: dict[str, object] = {
        "cut_width_mm": round(cut_w, 1),
        "cut_length_mm": round(cut_l, 1),
        "skirt_depth_mm": k,
        "corner_seam_length_mm": round(k + h - sa, 1),
        "elastic": opt.elastic,
        "elastic_length_mm": round(gathered * ELASTIC_STRETCH, -1),
        "layout": layout,
        "checks": {
            "fits_fabric_width": {
                "ok": min(cut_w, cut_l) <= opt.fabric_width_mm,
                "detail": f"cut {cut_w:g} x {cut_l:g} mm on fabric {opt.fabric_width_mm:g} mm: {layout}",
            }
        },
    }
    return (piece,), summary


PRODUCT = HomeTextileProduct(
    id="fitted_sheet",
    name_en="Fitted sheet",
    name_zh="床笠",
    inputs_model=FittedSheetInputs,
    options_model=FittedSheetOptions,
    pieces=("sheet",),
    description="Fitted sheet from the mattress's width, length and depth plus the tuck-under.",
    drafter=draft_sheet,
)
