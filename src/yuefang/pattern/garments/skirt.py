"""Straight skirt (直身裙): front (on fold), back (pair, CB zip and vent), waistband.

Drafting system: the Chinese straight-skirt block (裙子原型; front H/4 + 10 mm, back H/4 - 10 mm, side
waist raised 7 mm, back waist lowered 10 mm at CB), with the waist suppression shared between the
side seam (a third, the same on front and back so the side seams match) and the darts (one front
dart, two back darts; two front darts when the suppression is large). Ease in mm.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from yuefang.pattern.draft.bezier import Path, cubic_points, polyline_length
from yuefang.pattern.draft.checks import check, seam_check, width_at_y
from yuefang.pattern.draft.piece import Edge, NotchAt, build_piece
from yuefang.pattern.garments.common import (
    GarmentOptions,
    GarmentProduct,
    body_scale,
    check_range,
    line_points,
    resolve_ease,
)
from yuefang.pattern.garments.darts import Dart, dart_on_edge
from yuefang.pattern.model import Line, Piece

__all__ = ["SkirtOptions", "PRODUCT", "MEASUREMENTS", "FIT_EASE_MM"]

MEASUREMENTS = ("stature", "waist_girth", "hip_girth", "waist_to_hip_length")

FIT_EASE_MM: dict[str, dict[str, float]] = {
    "slim": {"waist": 0, "hip": 30},
    "regular": {"waist": 10, "hip": 40},
    "loose": {"waist": 20, "hip": 80},
}


class SkirtOptions(GarmentOptions):
    """Options of the straight skirt."""

    waist_ease_mm: float | None = Field(None, ge=-20, le=150)
    waist_ease_pct: float | None = Field(None, ge=-3, le=20)
    hip_ease_mm: float | None = Field(None, ge=0, le=300)
    hip_ease_pct: float | None = Field(None, ge=0, le=35)
    length_mm: float | None = Field(None, gt=0, le=4000, description="waist to hem, excl. waistband; default 0.36 x stature")
    hem_taper_mm: float = Field(0.0, ge=-60, le=40, description="hem narrower than the hip at each side seam (negative: A-line)")
    vent: bool = True
    waistband_height_mm: float | None = Field(None, ge=15, le=60)
    belly: Literal["normal", "prominent"] = "normal"
    seat: Literal["normal", "prominent", "flat"] = "normal"
    figure_adjust_mm: float = Field(10.0, ge=0, le=30)
    hem_sa_mm: float = Field(40.0, ge=0, le=80)
    centre_back_sa_mm: float = Field(20.0, ge=0, le=40, description="CB seam, wide for the zip")



def _draft(body: dict[str, float], o: SkirtOptions) -> tuple[list[Piece], list[dict[str, object]], dict[str, object]]:
    hp, wa, st = body["hip_girth"], body["waist_girth"], body["stature"]
    k = body_scale(hp / 900.0)
    fe = {n: v * k for n, v in FIT_EASE_MM[o.fit].items()}
    e_w = resolve_ease(o.waist_ease_mm, o.waist_ease_pct, wa, fe["waist"], "waist_ease")
    e_h = resolve_ease(o.hip_ease_mm, o.hip_ease_pct, hp, fe["hip"], "hip_ease")
    adj = o.figure_adjust_mm if "figure_adjust_mm" in o.model_fields_set else o.figure_adjust_mm * k
    sa = o.sa_mm
    H, W = hp + e_h, wa + e_w
    if W <= 0:
        from yuefang.pattern.errors import OptionError

        raise OptionError("waist_ease_mm", e_w, "an ease that leaves a positive finished waist")
    L = o.length_mm if o.length_mm is not None else 0.36 * st
    wth = body["waist_to_hip_length"]
    if o.length_mm is not None:
        check_range("length_mm", L, 1.1 * wth, 0.7 * st)
    L = max(L, 1.1 * wth)
    y_hip, y_hem = -wth, -L
    fh = H / 4 + 0.01 * H
    bh = H / 2 - fh
    fw = W / 4 + 0.01 * W
    bw = W / 2 - fw
    side_up = 7.0 * k
    cb_down = 10.0 * k + {"normal": 0.0, "prominent": -adj, "flat": adj}[o.seat]
    cf_up = adj if o.belly == "prominent" else 0.0
    sup_f, sup_b = fh - fw, bh - bw
    side = min(sup_f, sup_b) / 3 if min(sup_f, sup_b) > 0 else min(sup_f, sup_b)  # the same on front and back
    taper = o.hem_taper_mm if "hem_taper_mm" in o.model_fields_set else o.hem_taper_mm * k
    if taper > 0.25 * bh:
        check_range("hem_taper_mm", taper, -60.0, 0.25 * bh)

    def side_seam(x_hip: float) -> np.ndarray:
        xw = x_hip - side
        dy = side_up - y_hip
        return (
            Path((xw, side_up))
            .curve_to((xw + 0.35 * side, side_up - 0.4 * dy), (x_hip, y_hip + 0.4 * dy), (x_hip, y_hip))
            .line_to((x_hip - taper, y_hem))
            .points()
        )

    def waist(x_side_w: float, y_centre: float) -> np.ndarray:
        return cubic_points((0.0, y_centre), (0.45 * x_side_w, y_centre), (0.85 * x_side_w, y_centre + 0.2 * (side_up - y_centre)), (x_side_w, side_up))

    side_f = side_seam(fh)
    side_b = side_seam(bh)
    waist_f = waist(side_f[0][0], cf_up)
    waist_b = waist(side_b[0][0], -cb_down)
    lf, lb = polyline_length(waist_f), polyline_length(waist_b)
    # the darts take what the (curved) waist edges measure beyond the finished waist
    darts_total_f, darts_total_b = max(lf - fw, 0.0), max(lb - bw, 0.0)
    # darts
    n_f = 2 if darts_total_f > 40.0 * k else 1
    darts_f: list[Dart] = []
    darts_b: list[Dart] = []
    if darts_total_f > 0:
        per = darts_total_f / n_f
        for j in range(n_f):
            c = lf * (0.42 + 0.18 * j) if n_f == 2 else lf * 0.5
            darts_f.append(dart_on_edge(waist_f, c, per, min(95.0 * k - 10.0 * k * j, 0.8 * wth), (0.0, -1.0), f"front dart {j + 1}"))
    if darts_total_b > 0:
        per = darts_total_b / 2
        for j in range(2):
            c = lb * (0.33 + 0.3 * j)
            darts_b.append(dart_on_edge(waist_b, c, per, min(130.0 * k - 15.0 * k * j, 0.9 * wth), (0.0, -1.0), f"back dart {j + 1}"))

    hem_f = line_points(tuple(side_f[-1]), (0.0, y_hem))
    front_edges = [
        Edge("fold", line_points((0.0, y_hem), (0.0, cf_up)), 0.0),
        Edge("waist", waist_f, sa),
        Edge("side_seam", side_f, sa),
        Edge("hem", hem_f, o.hem_sa_mm),
    ]
    front = build_piece(
        "front", "Front 前片", front_edges, grain=((0.5 * fh, y_hem + 0.15 * L), (0.5 * fh, y_hip)), quantity=1,
        cut_on_fold=True, fold_edge="fold",
        notches=[NotchAt("waist", d.at_a_mm, "dart") for d in darts_f] + [NotchAt("waist", d.at_b_mm, "dart") for d in darts_f]
        + [NotchAt("side_seam", polyline_length(side_f[: 26]), "hip")],
        drill_holes=[d.drill_hole(10.0 * k) for d in darts_f], lines=[d.line() for d in darts_f], seam_allowance_mm=sa,
    )
    zip_len = min(180.0 * k, 0.9 * wth)
    vent_h, vent_w = min(180.0 * k, 0.45 * (L - wth)), 40.0 * k
    cb: list[tuple[float, float]] = [(0.0, -cb_down)]
    if o.vent:
        cb += [(0.0, y_hem + vent_h), (-vent_w, y_hem + vent_h - vent_w), (-vent_w, y_hem)]
    else:
        cb += [(0.0, y_hem)]
    back_edges = [
        Edge("centre_back", np.array(cb[::-1], dtype=float), o.centre_back_sa_mm),
        Edge("waist", waist_b, sa),
        Edge("side_seam", side_b, sa),
        Edge("hem", line_points(tuple(side_b[-1]), cb[-1]), o.hem_sa_mm),
    ]
    back = build_piece(
        "back", "Back 后片", back_edges, grain=((0.5 * bh, y_hem + 0.15 * L), (0.5 * bh, y_hip)), quantity=2, mirrored_pair=True,
        notches=[NotchAt("waist", d.at_a_mm, "dart") for d in darts_b] + [NotchAt("waist", d.at_b_mm, "dart") for d in darts_b]
        + [NotchAt("centre_back", -zip_len, "zip end"), NotchAt("side_seam", polyline_length(side_b[: 26]), "hip")],
        drill_holes=[d.drill_hole(10.0 * k) for d in darts_b],
        lines=[d.line() for d in darts_b] + ([Line(kind="fold", points=((0.0, y_hem + vent_h), (0.0, y_hem)), name="vent fold")] if o.vent else []),
        seam_allowance_mm=sa,
    )
    # waistband
    wb_h = o.waistband_height_mm if o.waistband_height_mm is not None else 30.0 * k
    waist_seam = 2 * (lf - sum(d.at_b_mm - d.at_a_mm for d in darts_f) + lb - sum(d.at_b_mm - d.at_a_mm for d in darts_b))
    ext = 30.0 * k
    lwb = waist_seam + ext
    wb_edges = [
        Edge("bottom", line_points((0.0, 0.0), (lwb, 0.0)), sa), Edge("end", line_points((lwb, 0.0), (lwb, 2 * wb_h)), sa),
        Edge("top", line_points((lwb, 2 * wb_h), (0.0, 2 * wb_h)), sa), Edge("start", line_points((0.0, 2 * wb_h), (0.0, 0.0)), sa),
    ]
    q = waist_seam / 4
    waistband = build_piece(
        "waistband", "Waistband 腰头", wb_edges, grain=((0.05 * lwb, wb_h), (0.95 * lwb, wb_h)), quantity=1,
        notches=[NotchAt("bottom", ext + i * q, n) for i, n in enumerate(["CB", "side", "CF", "side"])],
        lines=[Line(kind="fold", points=((0.0, wb_h), (lwb, wb_h)), name="fold")], seam_allowance_mm=sa,
    )
    fsew, bsew = np.array(front.sew), np.array(back.sew)
    checks = [
        check("waist_girth", waist_seam, W if (lf >= fw and lb >= bw) else waist_seam, 2.0),
        check("hip_girth", 2 * (width_at_y(fsew, y_hip, x_from=0.0) + width_at_y(bsew, y_hip, x_from=0.0)), H, 2.0),
        check("hem_girth", 2 * (width_at_y(fsew, y_hem + 0.01, x_from=0.0) + width_at_y(bsew, y_hem + 0.01, x_from=0.0)),
              H - 4 * taper, 2.0),
        seam_check("side_seam", polyline_length(side_f), polyline_length(side_b), 0.0),
        seam_check("waist_to_waistband", waist_seam, lwb - ext, 0.0),
    ]
    for d in darts_f + darts_b:
        checks.append(seam_check(f"{d.name} legs", d.leg_a_mm, d.leg_b_mm, 0.0))
    extra: dict[str, object] = {
        "finished_mm": {"waist": round(W, 1), "hip": round(H, 1), "length": round(L, 1), "hem": round(H - 4 * taper, 1)},
        "ease_mm": {"waist": round(e_w, 1), "hip": round(e_h, 1)},
        "system": "Chinese straight skirt block (裙子原型), ease in mm",
    }
    return [front, back, waistband], checks, extra


PRODUCT = GarmentProduct(
    id="skirt",
    name_en="Straight skirt",
    name_zh="直身裙",
    measurements=MEASUREMENTS,
    options_model=SkirtOptions,
    drafter=_draft,
)
