"""Curtains (窗帘): panels for a window from its width and drop, a heading, fullness and the fabric.

Two kinds of fabric are handled, as curtain workrooms in China do:

* **fixed-height fabric** (定高, 2800–3200 mm from selvedge to selvedge, the default): used
  railroaded, the roll's height becomes the curtain's drop, so one panel is one piece without
  joins; its cut length along the roll is the flat width (finished width × fullness) plus the
  side turnings. The warp (grain) therefore runs across the curtain.
* **fixed-width fabric** (定宽, about 1400–1500 mm): cut in drops (the roll's length becomes the
  curtain's drop) that are joined side by side; the number of widths per panel is rounded up to a
  half width and every cut drop is rounded up to the pattern repeat so that the widths match.

Hems are double-turned: a finished side hem of 25 mm takes 50 mm of fabric. The heading
allowance depends on the heading (pinch pleat tape, eyelets, pencil tape, ...). A sewn-in
lining (``lining=True``, blackout lining 遮光布 is the usual one) is cut railroaded from
fixed-height lining, sits inside the side hems and hangs 20 mm above the face fabric's hem.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yuefang.pattern.home._common import HomeTextileProduct, InputError, OptionError, rect, round_up
from yuefang.pattern.model import DrillHole, Line, Notch, Piece

__all__ = [
    "CurtainInputs",
    "CurtainOptions",
    "HEADINGS",
    "PRODUCT",
    "draft_panel",
    "draft_drop",
    "draft_lining",
]

#: heading -> (default fullness, default heading allowance in mm, label)
HEADINGS: dict[str, tuple[float, float, str]] = {
    "pinch_pleat": (2.2, 100.0, "pinch pleat 韩式褶"),
    "pencil_pleat": (2.5, 100.0, "pencil pleat tape 挂钩布带"),
    "eyelet": (1.8, 160.0, "eyelet 打孔"),
    "wave": (2.0, 100.0, "wave 蛇形帘"),
    "rod_pocket": (2.0, 160.0, "rod pocket 穿杆"),
    "tab_top": (1.5, 80.0, "tab top 吊带"),
}

EYELET_PITCH_MM = 170.0  # target spacing of eyelets on the flat fabric
EYELET_DIAMETER_MM = 40.0
PLEAT_SPACE_MM = 110.0  # finished space between pinch pleats


class CurtainInputs(BaseModel):
    """The window: what the curtain must cover (mm)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_width_mm: float = Field(ge=300, le=12000, description="width of the window opening")
    drop_mm: float = Field(ge=300, le=6000, description="finished drop, top of the heading to the hem")


class CurtainOptions(BaseModel):
    """Heading, fullness, fabric and the workroom's hems (mm)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: Literal["pinch_pleat", "pencil_pleat", "eyelet", "wave", "rod_pocket", "tab_top"] = Field(
        "pinch_pleat", description="heading style; sets the default fullness and heading allowance"
    )
    fullness: float | None = Field(
        None, ge=1.2, le=3.0, description="flat width / finished width; None: the heading's default"
    )
    panels: Literal[1, 2] = Field(2, description="1 single curtain, 2 a pair drawn to the sides")
    track_extension_mm: float = Field(150, ge=0, le=600, description="track beyond the window on each side")
    fabric: Literal["fixed_height", "fixed_width"] = Field(
        "fixed_height",
        description="fixed_height 定高 (railroaded, no joins) or fixed_width 定宽 (joined widths)",
    )
    fabric_height_mm: float = Field(
        2800, ge=2800, le=3200, description="fixed-height fabric: selvedge to selvedge"
    )
    fabric_width_mm: float = Field(1450, ge=900, le=3200, description="fixed-width fabric: usable width")
    pattern_repeat_mm: float = Field(
        0, ge=0, le=2000, description="vertical pattern repeat; 0 for plain fabric"
    )
    side_hem_mm: float = Field(25, ge=10, le=60, description="finished side hem, double turned")
    bottom_hem_mm: float = Field(
        50, ge=0, le=200, description="finished bottom hem, double turned; 0 for a weighted selvedge (铅坠边)"
    )
    heading_allowance_mm: float | None = Field(
        None, ge=20, le=400, description="fabric turned down at the top; None: the heading's default"
    )
    join_seam_mm: float = Field(15, ge=10, le=25, description="seam allowance where widths are joined")
    lining: bool = Field(
        False, description="a sewn-in lining (衬布, e.g. blackout 遮光布), railroaded fixed-height"
    )
    lining_height_mm: float = Field(2800, ge=2800, le=3200, description="lining fabric: selvedge to selvedge")


def _heading_marks(
    heading: str, x0: float, x1: float, y_top: float, allowance: float, finished_width: float
) -> tuple[list[DrillHole], list[Line], dict[str, object]]:
    """Eyelet centres or pleat positions across one panel's heading.

    ``x0``..``x1`` is the flat width between the side hems, ``y_top`` the heading fold line (the
    finished top edge); the heading allowance is turned down behind ``y_top - allowance``..``y_top``.
    """
    holes: list[DrillHole] = []
    lines: list[Line] = []
    info: dict[str, object] = {}
    flat = x1 - x0
    if heading == "eyelet":
        inset = 60.0
        n = max(4, math.ceil((flat - 2 * inset) / EYELET_PITCH_MM) + 1)
        n += n % 2  # an even number, so that both edges return to the wall
        pitch = (flat - 2 * inset) / (n - 1)
        y = y_top - allowance / 2
        holes = [DrillHole(x=x0 + inset + i * pitch, y=y, name=f"eyelet{i + 1}") for i in range(n)]
        info = {
            "eyelets_per_panel": n,
            "eyelet_pitch_mm": round(pitch, 1),
            "eyelet_diameter_mm": EYELET_DIAMETER_MM,
        }
    elif heading == "pinch_pleat":
        n = max(2, round(finished_width / PLEAT_SPACE_MM))  # spaces; n + 1 pleats
        space = finished_width / n
        pleat = (flat - finished_width) / (n + 1)
        y0, y1 = y_top - min(allowance, 100.0), y_top + allowance - 1.0
        for i in range(n + 1):
            a = x0 + i * (space + pleat)
            lines.append(Line(kind="placement", points=((a, y0), (a, y1)), name=f"pleat{i + 1}_start"))
            lines.append(
                Line(kind="placement", points=((a + pleat, y0), (a + pleat, y1)), name=f"pleat{i + 1}_end")
            )
        info = {
            "pleats_per_panel": n + 1,
            "pleat_fabric_mm": round(pleat, 1),
            "pleat_space_mm": round(space, 1),
        }
    else:
        y = y_top - 25.0 if heading in ("pencil_pleat", "wave", "tab_top") else y_top - allowance / 2
        name = "pocket_stitch" if heading == "rod_pocket" else "tape"
        lines.append(Line(kind="placement", points=((x0 + 5.0, y), (x1 - 5.0, y)), name=name))
    return holes, lines, info


def _hem_marks(
    w: float,
    side: float,
    bottom: float,
    top_allowance: float,
    finished_top: float,
    left: float | None = None,
    right: float | None = None,
) -> tuple[list[Line], list[Notch]]:
    """Fold lines of the double-turned hems and the heading, with notches where they meet the cut edge."""
    left = 2 * side if left is None else left
    right = 2 * side if right is None else right
    folds: list[Line] = []
    notches: list[Notch] = []
    xs = [(x, "side_fold") for x in ((side, 2 * side) if left == 2 * side else ())]
    xs += [(w - x, "side_fold") for x in ((side, 2 * side) if right == 2 * side else ())]
    for x, name in xs:
        folds.append(Line(kind="fold", points=((x, 0.0), (x, finished_top + top_allowance)), name=name))
        notches.append(Notch(x=x, y=0.0, angle_deg=90.0, name=name))
    ys = ((bottom, "hem_fold"), (2 * bottom, "hem_fold")) if bottom > 0 else ()
    for y, name in (*ys, (finished_top, "heading_fold")):
        folds.append(Line(kind="fold", points=((0.0, y), (w, y)), name=name))
        notches.append(Notch(x=0.0, y=y, angle_deg=0.0, name=name))
        notches.append(Notch(x=w, y=y, angle_deg=180.0, name=name))
    return folds, notches


def draft_panel(inp: CurtainInputs, opt: CurtainOptions) -> tuple[tuple[Piece, ...], dict[str, object]]:
    """One railroaded panel per curtain in fixed-height fabric (定高)."""
    fullness, allowance = _fullness_allowance(opt)
    finished_w = (inp.window_width_mm + 2 * opt.track_extension_mm) / opt.panels
    flat_w = finished_w * fullness
    s, b = opt.side_hem_mm, opt.bottom_hem_mm
    cut_w = round(flat_w + 4 * s, 2)
    cut_h = inp.drop_mm + 2 * b + allowance
    if cut_h > opt.fabric_height_mm:
        most = opt.fabric_height_mm - 2 * b - allowance
        raise InputError(
            "drop_mm",
            inp.drop_mm,
            f"at most {most:g} mm on fixed-height fabric {opt.fabric_height_mm:g} mm with these hems and heading; "
            "choose fabric='fixed_width' for a longer drop",
        )
    top = 2 * b + inp.drop_mm  # heading fold line
    folds, notches = _hem_marks(cut_w, s, b, allowance, top)
    holes, marks, info = _heading_marks(opt.heading, 2 * s, cut_w - 2 * s, top, allowance, finished_w)
    notches.append(Notch(x=cut_w / 2, y=cut_h, angle_deg=-90.0, name="centre"))
    piece = Piece(
        name="panel",
        label="Panel 帘片",
        cut=rect(0.0, 0.0, cut_w, cut_h),
        sew=rect(2 * s, 2 * b, cut_w - 2 * s, top),
        turn_points=(0, 1, 2, 3),
        grain=((cut_w * 0.3, cut_h * 0.5), (cut_w * 0.7, cut_h * 0.5)),  # railroaded: warp across
        allowed_rotations_deg=(0.0, 180.0),
        quantity=opt.panels,
        notches=tuple(notches),
        drill_holes=tuple(holes),
        lines=tuple(folds + marks),
        seam_allowance_mm=2 * s,
    )
    summary: dict[str, object] = {
        "fabric": "fixed_height",
        "fullness": fullness,
        "heading_allowance_mm": allowance,
        "finished_width_per_panel_mm": round(finished_w, 1),
        "flat_width_per_panel_mm": round(flat_w, 1),
        "cut_length_per_panel_mm": round(cut_w, 1),
        "cut_height_mm": round(cut_h, 1),
        # railroaded, the repeat runs along the roll: each panel starts at the same point of it
        "fabric_length_mm": round(round_up(cut_w, opt.pattern_repeat_mm) * opt.panels, 1),
        "pattern_repeat_mm": opt.pattern_repeat_mm,
        "fabric_height_mm": opt.fabric_height_mm,
        **info,
        "checks": {
            "fits_fabric_height": {
                "ok": True,
                "detail": f"cut height {cut_h:g} mm <= fabric {opt.fabric_height_mm:g} mm",
            },
        },
    }
    return (piece,), summary


def draft_drop(inp: CurtainInputs, opt: CurtainOptions) -> tuple[tuple[Piece, ...], dict[str, object]]:
    """Cut drops of fixed-width fabric (定宽), joined into panels, rounded to the pattern repeat."""
    fullness, allowance = _fullness_allowance(opt)
    finished_w = (inp.window_width_mm + 2 * opt.track_extension_mm) / opt.panels
    flat_w = finished_w * fullness
    s, b, j, fw = opt.side_hem_mm, opt.bottom_hem_mm, opt.join_seam_mm, opt.fabric_width_mm
    if fw <= 2 * j + 4 * s:
        raise InputError("fabric_width_mm", fw, f"more than {2 * j + 4 * s:g} mm")
    # widths n (in half widths) such that n * fw - joins - side hems >= flat width
    n = 0.5
    while n * fw - 2 * j * (math.ceil(n) - 1) - 4 * s < flat_w:
        n += 0.5
    finished_drop_len = inp.drop_mm + 2 * b + allowance
    cut_drop = round_up(finished_drop_len, opt.pattern_repeat_mm)
    top = 2 * b + inp.drop_mm
    full = math.floor(n)
    half = n - full > 0
    pieces: list[Piece] = []

    def one(name: str, label: str, w: float, qty: int) -> Piece:
        folds, notches = _hem_marks(w, s, b, allowance, top, left=j, right=j)
        notches.append(Notch(x=w / 2, y=cut_drop, angle_deg=-90.0, name="centre"))
        if opt.pattern_repeat_mm > 0:
            # where the repeat starts: the widths are matched on this line
            folds.append(Line(kind="placement", points=((0.0, top), (w, top)), name="repeat_match"))
        return Piece(
            name=name,
            label=label,
            cut=rect(0.0, 0.0, w, cut_drop),
            sew=rect(j, 2 * b, w - j, top),
            turn_points=(0, 1, 2, 3),
            grain=((w * 0.5, cut_drop * 0.3), (w * 0.5, cut_drop * 0.7)),
            allowed_rotations_deg=(0.0,) if opt.pattern_repeat_mm > 0 else (0.0, 180.0),
            quantity=qty,
            notches=tuple(notches),
            lines=tuple(folds),
            seam_allowance_mm=j,
        )

    if full:
        pieces.append(one("drop", "Drop 整幅", fw, full * opt.panels))
    if half:
        pieces.append(one("half_drop", "Half drop 半幅", fw / 2, opt.panels))
    drops_cut = full * opt.panels + math.ceil((opt.panels if half else 0) / 2)
    summary: dict[str, object] = {
        "fabric": "fixed_width",
        "fullness": fullness,
        "heading_allowance_mm": allowance,
        "finished_width_per_panel_mm": round(finished_w, 1),
        "flat_width_per_panel_mm": round(flat_w, 1),
        "widths_per_panel": n,
        "cut_drop_mm": round(cut_drop, 1),
        "drops_cut": drops_cut,
        "fabric_length_mm": round(drops_cut * cut_drop, 1),
        "fabric_width_mm": fw,
        "pattern_repeat_mm": opt.pattern_repeat_mm,
        "note": "side hems are turned on the outer widths; inner edges are joined with join_seam_mm",
        "checks": {
            "drop_rounded_to_repeat": {
                "ok": opt.pattern_repeat_mm < 1.0
                or abs(cut_drop / opt.pattern_repeat_mm - round(cut_drop / opt.pattern_repeat_mm)) < 1e-9,
                "detail": f"cut drop {cut_drop:g} mm, repeat {opt.pattern_repeat_mm:g} mm",
            },
        },
    }
    return tuple(pieces), summary


def _fullness_allowance(opt: CurtainOptions) -> tuple[float, float]:
    default_fullness, default_allowance, _ = HEADINGS[opt.heading]
    fullness = opt.fullness if opt.fullness is not None else default_fullness
    allowance = opt.heading_allowance_mm if opt.heading_allowance_mm is not None else default_allowance
    return fullness, allowance


LINING_TURN_MM = 15.0  # lining side turnings, tucked under the face fabric's side hems
LINING_HEM_MM = 40.0  # finished lining hem, double turned
LINING_SHORTER_MM = 20.0  # the lining hangs this far above the face fabric's hem


def draft_lining(inp: CurtainInputs, opt: CurtainOptions) -> tuple[Piece, dict[str, object]]:
    """The lining of one panel: railroaded fixed-height lining, inside the side hems, a little shorter."""
    fullness, _ = _fullness_allowance(opt)
    flat_w = (inp.window_width_mm + 2 * opt.track_extension_mm) / opt.panels * fullness
    fin_w = flat_w - 2 * opt.side_hem_mm
    fin_h = inp.drop_mm - LINING_SHORTER_MM
    cut_w = round(fin_w + 2 * LINING_TURN_MM, 2)
    cut_h = fin_h + 2 * LINING_HEM_MM
    if cut_h > opt.lining_height_mm:
        raise OptionError(
            "lining",
            True,
            f"no lining for a drop over {opt.lining_height_mm - 2 * LINING_HEM_MM + LINING_SHORTER_MM:g} mm "
            f"on fixed-height lining {opt.lining_height_mm:g} mm",
        )
    t, hem = LINING_TURN_MM, LINING_HEM_MM
    folds = [
        Line(kind="fold", points=((0.0, hem), (cut_w, hem)), name="hem_fold"),
        Line(kind="fold", points=((0.0, 2 * hem), (cut_w, 2 * hem)), name="hem_fold"),
        Line(kind="fold", points=((t, 0.0), (t, cut_h)), name="side_fold"),
        Line(kind="fold", points=((cut_w - t, 0.0), (cut_w - t, cut_h)), name="side_fold"),
    ]
    notches = (
        Notch(x=cut_w / 2, y=cut_h, angle_deg=-90.0, name="centre"),
        Notch(x=0.0, y=2 * hem, name="hem_fold"),
        Notch(x=cut_w, y=2 * hem, angle_deg=180.0, name="hem_fold"),
    )
    piece = Piece(
        name="lining",
        label="Lining 衬布",
        cut=rect(0.0, 0.0, cut_w, cut_h),
        sew=rect(t, 2 * hem, cut_w - t, cut_h),
        turn_points=(0, 1, 2, 3),
        grain=((cut_w * 0.3, cut_h * 0.5), (cut_w * 0.7, cut_h * 0.5)),
        quantity=opt.panels,
        notches=notches,
        lines=tuple(folds),
        seam_allowance_mm=t,
    )
    return piece, {"lining_length_mm": round(cut_w * opt.panels, 1), "lining_cut_height_mm": round(cut_h, 1)}


def _draft(inp: CurtainInputs, opt: CurtainOptions) -> tuple[tuple[Piece, ...], dict[str, object]]:
    pieces, summary = draft_panel(inp, opt) if opt.fabric == "fixed_height" else draft_drop(inp, opt)
    if opt.lining:
        lining, info = draft_lining(inp, opt)
        pieces = (*pieces, lining)
        summary.update(info)
    return pieces, summary


PRODUCT = HomeTextileProduct(
    id="curtain",
    name_en="Curtain",
    name_zh="窗帘",
    inputs_model=CurtainInputs,
    options_model=CurtainOptions,
    pieces=("panel", "drop", "half_drop", "lining"),
    description="Curtain panels: railroaded fixed-height fabric (定高) or joined fixed-width drops (定宽).",
    drafter=_draft,
)
