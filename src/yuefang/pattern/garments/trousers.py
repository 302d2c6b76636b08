"""Trousers (男西裤): front, back, waistband, fly, fly shield, pocket facing and bag, back welt pocket, belt loops.

Drafting system: the Chinese men's trousers system (男西裤结构: front hip H/4 - 1 %, back H/4 + 1 %,
back seat seam slanted 15 : 3.5 with a back rise, front crease in the middle of the front width at
the crotch line, knee and hem 2 x 4 % narrower at the front than at the back), with ease in mm. The
crotch depth is read from the body (outside leg minus inside leg) plus ease; the crotch extensions
are solved so that the thigh girth at the crotch line measures thigh + ease; the back side-waist
height and the back crotch drop are solved so that the outseams and the inseams match.

Pieces: ``front`` and ``back`` (pairs), ``waistband`` (folded lengthwise), ``fly`` and ``fly_shield``,
``pocket_facing`` and ``pocket_bag`` (pairs, slant side pocket), ``back_pocket_welt`` (double welt,
x4), ``back_pocket_facing`` and ``back_pocket_bag`` (x2), ``belt_loop`` (x7).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import Field
from scipy.optimize import brentq

from yuefang.pattern.draft.bezier import Path, cubic_points, polyline_length, split_polyline_at_y
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
from yuefang.pattern.model import DrillHole, Line, Piece

__all__ = ["TrousersOptions", "PRODUCT", "MEASUREMENTS", "FIT_EASE_MM"]

MEASUREMENTS = (
    "stature",
    "waist_girth",
    "hip_girth",
    "thigh_girth",
    "knee_girth",
    "ankle_girth",
    "waist_to_hip_length",
    "outside_leg_length",
    "inside_leg_length",
)

#: default ease by fit, mm, for the reference body (hip 900 mm).
FIT_EASE_MM: dict[str, dict[str, float]] = {
    "slim": {"waist": 10, "hip": 60, "thigh": 70, "knee": 100, "hem": 150, "crotch_depth": 5},
    "regular": {"waist": 20, "hip": 100, "thigh": 110, "knee": 140, "hem": 200, "crotch_depth": 15},
    "loose": {"waist": 30, "hip": 160, "thigh": 170, "knee": 200, "hem": 260, "crotch_depth": 25},
}


class TrousersOptions(GarmentOptions):
    """Style options of the trousers (lengths in mm; ease in mm or % of the body girth)."""

    waist_ease_mm: float | None = Field(None, ge=-20, le=200)
    waist_ease_pct: float | None = Field(None, ge=-3, le=25)
    hip_ease_mm: float | None = Field(None, ge=0, le=400)
    hip_ease_pct: float | None = Field(None, ge=0, le=45)
    thigh_ease_mm: float | None = Field(None, ge=0, le=400)
    knee_ease_mm: float | None = Field(None, ge=0, le=600)
    hem_ease_mm: float | None = Field(None, ge=0, le=800, description="hem girth minus ankle girth")
    crotch_depth_ease_mm: float | None = Field(None, ge=-20, le=80)
    length_mm: float | None = Field(None, gt=0, le=6000, description="outside leg incl. waistband; default outside_leg_length - 10")
    front: Literal["flat", "one_pleat", "two_pleats"] = "one_pleat"
    back_darts: Literal[1, 2] = 2
    back_pockets: Literal[0, 1, 2] = 2
    waistband_height_mm: float | None = Field(None, ge=20, le=70)
    inseam_ease_mm: float = Field(0.0, ge=0, le=10, description="back inseam minus front inseam (stretched)")
    belly: Literal["normal", "prominent"] = "normal"
    seat: Literal["normal", "prominent", "flat"] = "normal"
    figure_adjust_mm: float = Field(15.0, ge=0, le=40)
    hem_sa_mm: float = Field(40.0, ge=0, le=80)
    seat_seam_sa_mm: float = Field(25.0, ge=0, le=40, description="back seat seam, wide for later alteration")
    side_seam_sa_mm: float | None = Field(None, ge=0, le=40)
    inseam_sa_mm: float | None = Field(None, ge=0, le=40)



def _rev(p: np.ndarray) -> np.ndarray:
    return p[::-1].copy()


def _x_at_y(pts: np.ndarray, y: float) -> float:
    s = split_polyline_at_y(pts, y)
    if s is None:
        return float(pts[np.argmin(np.abs(pts[:, 1] - y)), 0])
    return float(s[0][-1][0])


def _draft(body: dict[str, float], o: TrousersOptions) -> tuple[list[Piece], list[dict[str, object]], dict[str, object]]:
    hp, wa = body["hip_girth"], body["waist_girth"]
    k = body_scale(hp / 900.0)
    fe = {n: v * k for n, v in FIT_EASE_MM[o.fit].items()}
    e_w = resolve_ease(o.waist_ease_mm, o.waist_ease_pct, wa, fe["waist"], "waist_ease")
    e_h = resolve_ease(o.hip_ease_mm, o.hip_ease_pct, hp, fe["hip"], "hip_ease")
    e_t = o.thigh_ease_mm if o.thigh_ease_mm is not None else fe["thigh"]
    e_k = o.knee_ease_mm if o.knee_ease_mm is not None else fe["knee"]
    e_hm = o.hem_ease_mm if o.hem_ease_mm is not None else fe["hem"]
    e_d = o.crotch_depth_ease_mm if o.crotch_depth_ease_mm is not None else fe["crotch_depth"]
    adj = o.figure_adjust_mm if "figure_adjust_mm" in o.model_fields_set else o.figure_adjust_mm * k
    sa = o.sa_mm
    sa_side = o.side_seam_sa_mm if o.side_seam_sa_mm is not None else sa
    sa_in = o.inseam_sa_mm if o.inseam_sa_mm is not None else sa
    W, H = wa + e_w, hp + e_h
    T = body["thigh_girth"] + e_t
    K = body["knee_girth"] + e_k
    Hm = body["ankle_girth"] + e_hm
    if W <= 0:
        from yuefang.pattern.errors import OptionError

        raise OptionError("waist_ease_mm", e_w, "an ease that leaves a positive finished waist")
    wb_h = o.waistband_height_mm if o.waistband_height_mm is not None else 38.0 * k
    out_leg, in_leg = body["outside_leg_length"], body["inside_leg_length"]
    L = o.length_mm if o.length_mm is not None else out_leg - 10.0 * k
    if o.length_mm is not None:
        check_range("length_mm", L, 0.5 * out_leg, 1.15 * out_leg)
    D = max(out_leg - in_leg, 0.12 * body["stature"]) + e_d  # crotch depth below the waist line
    D = min(D, 0.8 * (L - wb_h))
    y_crotch = -D
    y_hip = -min(body["waist_to_hip_length"], 0.8 * D)
    y_hem = -(L - wb_h)
    y_knee = (y_crotch + y_hem) / 2 + 0.08 * (y_crotch - y_hem) * 0.5
    belly = adj if o.belly == "prominent" else 0.0
    seat = {"normal": 0.0, "prominent": adj, "flat": -adj}[o.seat]

    fh = H / 4 - 0.01 * H
    bh = H / 2 - fh
    fk, bk = K / 2 - 0.04 * K, K / 2 + 0.04 * K
    fhm, bhm = Hm / 2 - 0.04 * Hm, Hm / 2 + 0.04 * Hm
    inset = 0.008 * H  # the side seam at the crotch line comes in a little from the hip
    slant = 3.5 / 15.0
    rise_b = 25.0 * k + seat
    d_crotch_b0 = y_hip - y_crotch

    # ---- widths at the crotch line solved for the thigh girth ----
    def legs(E: float, drop_b: float) -> dict[str, Any]:
        ext_f, ext_b = 0.27 * E, 0.73 * E
        cf_x = fh
        crotch_f = np.array([cf_x + ext_f, y_crotch])
        xc_f = (inset + crotch_f[0]) / 2  # front crease
        cb_hip = np.array([bh, y_hip])
        cb_low = cb_hip + np.array([slant * d_crotch_b0, -d_crotch_b0])  # slant line at the crotch level
        crotch_b = np.array([cb_low[0] + ext_b, y_crotch - drop_b])
        xc_b = (inset + crotch_b[0]) / 2 - 0.01 * H
        knee_f = (xc_f - fk / 2, xc_f + fk / 2)
        knee_b = (xc_b - bk / 2, xc_b + bk / 2)
        in_f = (
            Path(crotch_f)
            .curve_to(crotch_f + np.array([-0.15 * E, -0.25 * (y_crotch - y_knee)]), (knee_f[1], y_knee + 0.4 * (y_crotch - y_knee)), (knee_f[1], y_knee))
            .line_to((xc_f + fhm / 2, y_hem))
            .points()
        )
        in_b = (
            Path(crotch_b)
            .curve_to(crotch_b + np.array([-0.3 * E, -0.2 * (crotch_b[1] - y_knee)]), (knee_b[1], y_knee + 0.4 * (crotch_b[1] - y_knee)), (knee_b[1], y_knee))
            .line_to((xc_b + bhm / 2, y_hem))
            .points()
        )
        dy2 = y_hip - y_knee
        low_f = (
            Path((0.0, y_hip))
            .curve_to((0.0, y_hip - 0.35 * dy2), (knee_f[0] - 0.02 * H, y_knee + 0.45 * dy2), (knee_f[0], y_knee))
            .line_to((xc_f - fhm / 2, y_hem))
            .points()
        )
        low_b = (
            Path((0.0, y_hip))
            .curve_to((0.0, y_hip - 0.35 * dy2), (knee_b[0] - 0.02 * H, y_knee + 0.45 * dy2), (knee_b[0], y_knee))
            .line_to((xc_b - bhm / 2, y_hem))
            .points()
        )
        return {"crotch_f": crotch_f, "crotch_b": crotch_b, "xc_f": xc_f, "xc_b": xc_b, "knee_f": knee_f,
                "knee_b": knee_b, "in_f": in_f, "in_b": in_b, "cb_hip": cb_hip, "cb_low": cb_low,
                "low_f": low_f, "low_b": low_b}

    def thigh_level(drop_b: float) -> float:
        """The thigh is measured across both legs just below the lower of the two crotch points."""
        return min(y_crotch, y_crotch - drop_b) - 0.01

    def thigh(E: float, drop_b: float) -> float:
        g = legs(E, drop_b)
        y_thigh = thigh_level(drop_b)
        front_w = _x_at_y(g["in_f"], y_thigh) - _x_at_y(g["low_f"], y_thigh)
        back_w = _x_at_y(g["in_b"], y_thigh) - _x_at_y(g["low_b"], y_thigh)
        return front_w + back_w

    drop0 = 10.0 * k
    E_min = 0.06 * H
    E_hi = max(2.0 * T, H)

    def solve_E(drop_b: float) -> float:
        if thigh(E_min, drop_b) >= T:
            return E_min
        if thigh(E_hi, drop_b) <= T:
            return E_hi
        return float(brentq(lambda e: thigh(e, drop_b) - T, E_min, E_hi, xtol=1e-4))

    E = solve_E(drop0)

    def inseam_diff(drop_b: float) -> float:
        gg = legs(E, drop_b)
        return polyline_length(gg["in_b"]) - polyline_length(gg["in_f"]) - o.inseam_ease_mm

    # the crotch extension E and the back crotch drop depend on each other: alternate to a fixed point
    lo_d, hi_d = -0.5 * D, 0.8 * D
    drop_b = drop0
    for _ in range(25):
        f_lo, f_hi = inseam_diff(lo_d), inseam_diff(hi_d)
        if f_lo * f_hi < 0:
            drop_new = brentq(inseam_diff, lo_d, hi_d, xtol=1e-4)
        else:  # the inseams cannot be trued for this body: come as close as the range allows (the report says so)
            drop_new = lo_d if abs(f_lo) < abs(f_hi) else hi_d
        E_new = solve_E(drop_new)
        done = abs(drop_new - drop_b) < 0.002 and abs(E_new - E) < 0.002
        drop_b, E = drop_new, E_new
        if done:
            break

    # ---- front ----
    def front_outseam(g: dict[str, Any], x_sw: float) -> np.ndarray:
        dy = -y_hip
        top = Path((x_sw, 0.0)).curve_to((0.6 * x_sw, -0.45 * dy), (0.0, y_hip + 0.35 * dy), (0.0, y_hip)).points()
        return np.vstack([top, g["low_f"][1:]])

    g = legs(E, drop_b)
    # waist suppression of the front: CF slant, side, and the pleat(s)
    fw_target = W / 4 - 0.01 * W
    d_tot = fh - fw_target
    cf_in = min(max(0.3 * d_tot, 0.0), 10.0 * k) - belly / 2
    n_pleats = {"flat": 0, "one_pleat": 1, "two_pleats": 2}[o.front]
    if d_tot <= 0 or n_pleats == 0:
        side_in = d_tot - cf_in
        pleat_f = 0.0
    else:
        side_in = 0.4 * (d_tot - cf_in)
        pleat_f = d_tot - cf_in - side_in
    x_cfw = fh - cf_in
    x_sw_f = side_in
    if pleat_f <= 0:
        # no pleat: the side waist point sits where the (sloping) waist edge measures the front waist
        x_sw_f = x_cfw - math.sqrt(max(fw_target**2 - belly**2, (0.05 * fw_target) ** 2))
    out_f = front_outseam(g, x_sw_f)
    crotch_f = g["crotch_f"]
    cf_front = (
        Path((x_cfw, belly))
        .line_to((fh, y_hip))
        .curve_to((fh, y_hip - 0.55 * (y_hip - y_crotch)), (crotch_f[0] - 0.55 * (crotch_f[0] - fh), y_crotch), tuple(crotch_f))
        .points()
    )
    in_f = g["in_f"]
    waist_f = line_points((x_cfw, belly), (x_sw_f, 0.0))
    if pleat_f > 0:  # the pleats take what the (sloping) waist edge measures beyond the front waist
        pleat_f = max(polyline_length(waist_f) - fw_target, 0.0)
    front_edges = [
        Edge("waist", waist_f, sa),
        Edge("outseam", out_f, sa_side),
        Edge("hem", line_points(tuple(out_f[-1]), tuple(in_f[-1])), o.hem_sa_mm),
        Edge("inseam", _rev(in_f), sa_in),
        Edge("crotch", _rev(cf_front), sa),
    ]
    fly_len = min(0.75 * D, 190.0 * k + 0.2 * D)
    pleat_lines: list[Line] = []
    notches_f = [NotchAt("outseam", -0.001 + polyline_length(out_f) - (y_knee - y_hem), "knee"), NotchAt("crotch", fly_len, "fly")]
    xc_f = float(g["xc_f"])
    if pleat_f > 0:
        per = pleat_f / n_pleats
        xs = [xc_f] + ([xc_f + 0.35 * (x_cfw - xc_f)] if n_pleats == 2 else [])
        for x0 in xs:
            pleat_lines.append(Line(kind="placement", points=((x0 - per, 0.0), (x0 - per * 0.5, -0.12 * D)), name="pleat"))
            pleat_lines.append(Line(kind="placement", points=((x0, 0.0), (x0, -0.12 * D)), name="pleat"))
    pocket_top = x_sw_f + 40.0 * k
    pocket_depth = min(170.0 * k, 0.7 * D)
    x_pocket_side = _x_at_y(out_f, -pocket_depth)
    lines_f = pleat_lines + [
        Line(kind="placement", points=((pocket_top, 0.0), (x_pocket_side, -pocket_depth)), name="side pocket opening"),
        Line(kind="fold", points=((xc_f, 0.0), (xc_f, y_hem)), name="crease"),
    ]
    front = build_piece(
        "front", "Front 前片", front_edges, grain=((xc_f, y_knee - 0.1 * D), (xc_f, y_hip)), quantity=2, mirrored_pair=True,
        notches=notches_f, lines=lines_f, seam_allowance_mm=sa,
    )

    # ---- back: side-waist height solved to the front outseam, crotch drop to the front inseam ----
    len_out_f = polyline_length(out_f)
    len_in_f = polyline_length(in_f)
    bw_target = W / 4 + 0.01 * W
    dart_want = min(max(0.55 * (bh - bw_target), 0.0), 45.0 * k * o.back_darts / 2 + 10.0 * k)

    def back_parts(drop_b: float, y_sw: float) -> dict[str, Any]:
        gb = legs(E, drop_b)
        cb_hip = gb["cb_hip"]
        cb_waist = cb_hip + np.array([-slant * (-y_hip), -y_hip]) + np.array([-slant, 1.0]) / math.hypot(slant, 1.0) * rise_b
        dy = y_sw - y_hip
        # the side waist point sits where the waist line measures the back waist plus its darts
        reach = bw_target + dart_want
        dyw = float(cb_waist[1]) - y_sw
        x_sw = float(cb_waist[0]) - math.sqrt(max(reach**2 - dyw**2, 1e-6))
        top = Path((x_sw, y_sw)).curve_to((0.6 * x_sw, y_sw - 0.45 * dy), (0.0, y_hip + 0.35 * dy), (0.0, y_hip)).points()
        out_b = np.vstack([top, gb["low_b"][1:]])
        crotch_b = gb["crotch_b"]
        cb_low = gb["cb_low"]
        seat_seam = (
            Path(tuple(cb_waist))
            .line_to(tuple(cb_low + (cb_hip - cb_low) * 0.35))
            .curve_to(tuple(cb_low + (cb_hip - cb_low) * 0.05), (crotch_b[0] - 0.5 * (crotch_b[0] - cb_low[0]), crotch_b[1] + 0.05 * D), tuple(crotch_b))
            .points()
        )
        return {"g": gb, "out_b": out_b, "seat": seat_seam, "cb_waist": cb_waist, "x_sw": x_sw, "y_sw": y_sw}


    def outseam_diff(y_sw: float) -> float:
        return polyline_length(back_parts(drop_b, y_sw)["out_b"]) - len_out_f

    lo_y, hi_y = -0.6 * (-y_hip), 0.8 * (-y_hip)
    g_lo, g_hi = outseam_diff(lo_y), outseam_diff(hi_y)
    if g_lo * g_hi < 0:
        y_sw_b = brentq(outseam_diff, lo_y, hi_y, xtol=1e-4)
    else:  # as for the inseam: as close as the range allows, and the report says so
        y_sw_b = lo_y if abs(g_lo) < abs(g_hi) else hi_y
    bp = back_parts(drop_b, y_sw_b)
    gb = bp["g"]
    out_b, seat_seam, cb_waist = bp["out_b"], bp["seat"], bp["cb_waist"]
    x_sw_b = float(bp["x_sw"])
    in_b = gb["in_b"]
    waist_b = line_points(tuple(cb_waist), (x_sw_b, y_sw_b))
    back_waist_len = polyline_length(waist_b)
    dart_total = max(back_waist_len - bw_target, 0.0)
    n_darts = o.back_darts
    back_edges = [
        Edge("waist", waist_b, sa),
        Edge("outseam", out_b, sa_side),
        Edge("hem", line_points(tuple(out_b[-1]), tuple(in_b[-1])), o.hem_sa_mm),
        Edge("inseam", _rev(in_b), sa_in),
        Edge("seat_seam", _rev(seat_seam), o.seat_seam_sa_mm),
    ]
    # darts on the waist line, perpendicular to it
    wv = (np.array([x_sw_b, y_sw_b]) - cb_waist) / back_waist_len
    wn = np.array([wv[1], -wv[0]])  # pointing down into the piece
    if wn[1] > 0:
        wn = -wn
    dart_lines: list[Line] = []
    drills: list[DrillHole] = []
    dart_notch: list[NotchAt] = []
    per = dart_total / n_darts
    dart_len = [min(110.0 * k, 0.6 * (-y_hip)), min(95.0 * k, 0.5 * (-y_hip))]
    welt_w = min(130.0 * k, 0.35 * bw_target)
    centres = [0.42 * back_waist_len] if n_darts == 1 else [0.36 * back_waist_len, 0.62 * back_waist_len]
    for j, c in enumerate(centres):
        mid = cb_waist + wv * c
        a, b = mid - wv * per / 2, mid + wv * per / 2
        apex = mid + wn * dart_len[j]
        dart_lines.append(Line(kind="dart", points=(tuple(a), tuple(apex), tuple(b)), name=f"back dart {j + 1}"))
        drills.append(DrillHole(x=float(apex[0] - wn[0] * 10 * k), y=float(apex[1] - wn[1] * 10 * k), name="dart point"))
        dart_notch += [NotchAt("waist", c - per / 2, "dart"), NotchAt("waist", c + per / 2, "dart")]
    if o.back_pockets:
        pc = cb_waist + wv * (0.5 * back_waist_len) + wn * (70.0 * k)
        dart_lines.append(Line(kind="placement", points=(tuple(pc - wv * welt_w / 2), tuple(pc + wv * welt_w / 2)), name="welt pocket"))
        for sgn in (-1, 1):
            q = pc + sgn * wv * welt_w / 2
            drills.append(DrillHole(x=float(q[0]), y=float(q[1]), name="welt pocket end"))
    xc_b = float(gb["xc_b"])
    back = build_piece(
        "back", "Back 后片", back_edges, grain=((xc_b, y_knee - 0.1 * D), (xc_b, y_hip)), quantity=2, mirrored_pair=True,
        notches=[NotchAt("outseam", polyline_length(out_b) - (y_knee - y_hem), "knee"), *dart_notch],
        drill_holes=drills, lines=dart_lines + [Line(kind="fold", points=((xc_b, y_hip), (xc_b, y_hem)), name="crease")],
        seam_allowance_mm=sa,
    )
    pieces: list[Piece] = [front, back]
    checks: list[dict[str, object]] = []

    # ---- waistband ----
    ext = 35.0 * k
    waist_seam = 2 * (polyline_length(waist_f) - pleat_f + back_waist_len - dart_total)
    lwb = waist_seam + ext
    wb_edges = [
        Edge("bottom", line_points((0.0, 0.0), (lwb, 0.0)), sa),
        Edge("end", line_points((lwb, 0.0), (lwb, 2 * wb_h)), sa),
        Edge("top", line_points((lwb, 2 * wb_h), (0.0, 2 * wb_h)), sa),
        Edge("start", line_points((0.0, 2 * wb_h), (0.0, 0.0)), sa),
    ]
    q = waist_seam / 4
    pieces.append(build_piece(
        "waistband", "Waistband 腰头", wb_edges, grain=((0.05 * lwb, wb_h), (0.95 * lwb, wb_h)), quantity=1,
        notches=[NotchAt("bottom", ext + i * q, n) for i, n in enumerate(["CF", "side", "CB", "side"])],
        lines=[Line(kind="fold", points=((0.0, wb_h), (lwb, wb_h)), name="fold"),
               Line(kind="buttonhole", points=((ext * 0.3, wb_h * 0.5), (ext * 0.3 + 18 * k, wb_h * 0.5)), name="buttonhole")],
        seam_allowance_mm=sa,
    ))
    checks.append(seam_check("waist_to_waistband", waist_seam, lwb - ext, 0.0))

    # ---- fly and fly shield ----
    fly_w = 40.0 * k
    fly_edges = [
        Edge("cf", line_points((0.0, 0.0), (0.0, -fly_len)), sa),
        Edge("bottom", cubic_points((0.0, -fly_len), (fly_w * 0.6, -fly_len), (fly_w, -fly_len + fly_w * 0.4), (fly_w, -fly_len + fly_w)), sa),
        Edge("side", line_points((fly_w, -fly_len + fly_w), (fly_w, 0.0)), sa),
        Edge("waist", line_points((fly_w, 0.0), (0.0, 0.0)), sa),
    ]
    pieces.append(build_piece("fly", "Fly 门襟", fly_edges, grain=((fly_w / 2, -0.9 * fly_len + fly_w), (fly_w / 2, -0.1 * fly_len)), quantity=1, seam_allowance_mm=sa))
    sh_w, sh_l = 2 * fly_w, fly_len + 10.0 * k
    shield_edges = [
        Edge("cf", line_points((0.0, 0.0), (0.0, -sh_l + fly_w)), sa),
        Edge("bottom", cubic_points((0.0, -sh_l + fly_w), (0.0, -sh_l + 0.4 * fly_w), (0.4 * fly_w, -sh_l), (fly_w, -sh_l)), sa),
        Edge("bottom2", line_points((fly_w, -sh_l), (sh_w, -sh_l)), sa),
        Edge("side", line_points((sh_w, -sh_l), (sh_w, 0.0)), sa),
        Edge("waist", line_points((sh_w, 0.0), (0.0, 0.0)), sa),
    ]
    pieces.append(build_piece("fly_shield", "Fly shield 里襟", shield_edges, grain=((fly_w, -0.8 * sh_l), (fly_w, -0.1 * sh_l)), quantity=1,
                              lines=[Line(kind="fold", points=((fly_w, 0.0), (fly_w, -sh_l)), name="fold")], seam_allowance_mm=sa))
    cf_len_to_fly = min(fly_len, polyline_length(cf_front))
    checks.append(seam_check("fly_to_front", polyline_length(fly_edges[0].points), cf_len_to_fly, 0.0))

    # ---- side pocket: facing and bag follow the front outseam ----
    fac_depth = pocket_depth + 40.0 * k
    s1 = split_polyline_at_y(out_f, -fac_depth)
    fac_side = s1[0] if s1 else out_f[:2]
    x_fac_in = pocket_top + 35.0 * k
    fac_bottom_x = fac_side[-1][0]
    facing_edges = [
        Edge("waist", line_points((x_fac_in, 0.0), tuple(fac_side[0])), sa),
        Edge("side", fac_side, sa_side),
        Edge("bottom", line_points(tuple(fac_side[-1]), (max(x_fac_in, fac_bottom_x + 10 * k), -fac_depth)), sa),
        Edge("inner", line_points((max(x_fac_in, fac_bottom_x + 10 * k), -fac_depth), (x_fac_in, 0.0)), sa),
    ]
    pieces.append(build_piece("pocket_facing", "Pocket facing 袋垫布", facing_edges, grain=((x_fac_in - 10 * k, -0.8 * fac_depth), (x_fac_in - 10 * k, -0.1 * fac_depth)),
                              quantity=2, mirrored_pair=True, seam_allowance_mm=sa))
    bag_depth = min(pocket_depth + 120.0 * k, 0.92 * D)
    s2 = split_polyline_at_y(out_f, -bag_depth * 0.75)
    bag_side = s2[0] if s2 else out_f[:2]
    x_bag_in = pocket_top + 130.0 * k
    bs_end = bag_side[-1]
    bag_edges = [
        Edge("waist", line_points((x_bag_in, 0.0), tuple(bag_side[0])), sa),
        Edge("side", bag_side, sa_side),
        Edge("bottom", cubic_points(tuple(bs_end), (bs_end[0], -bag_depth), (bs_end[0] + 0.3 * (x_bag_in - bs_end[0]), -bag_depth), (x_bag_in, -bag_depth + 0.25 * (x_bag_in - bs_end[0]))), sa),
        Edge("inner", line_points((x_bag_in, -bag_depth + 0.25 * (x_bag_in - bs_end[0])), (x_bag_in, 0.0)), sa),
    ]
    pieces.append(build_piece("pocket_bag", "Pocket bag 袋布", bag_edges, grain=((x_bag_in - 20 * k, -0.7 * bag_depth), (x_bag_in - 20 * k, -0.1 * bag_depth)),
                              quantity=2, mirrored_pair=True, seam_allowance_mm=sa))

    # ---- back welt pocket ----
    if o.back_pockets:
        npk = o.back_pockets
        ww, wh = welt_w + 40.0 * k, 50.0 * k

        def rect(name: str, label: str, w: float, h: float, qty: int, lines: list[Line] | None = None, fold: bool = False) -> Piece:
            e = [Edge("bottom", line_points((0.0, 0.0), (w, 0.0)), 0.0 if fold else sa), Edge("right", line_points((w, 0.0), (w, h)), sa),
                 Edge("top", line_points((w, h), (0.0, h)), sa), Edge("left", line_points((0.0, h), (0.0, 0.0)), sa)]
            return build_piece(name, label, e, grain=((0.1 * w, h / 2), (0.9 * w, h / 2)), quantity=qty,
                               cut_on_fold=fold, fold_edge="bottom" if fold else None, lines=lines or [], seam_allowance_mm=sa)

        pieces.append(rect("back_pocket_welt", "Back pocket welt 嵌线", ww, wh, 2 * npk,
                           [Line(kind="fold", points=((0.0, wh / 2), (ww, wh / 2)), name="fold")]))
        pieces.append(rect("back_pocket_facing", "Back pocket facing 垫袋布", ww, 60.0 * k, npk))
        pieces.append(rect("back_pocket_bag", "Back pocket bag 后袋布", ww, 170.0 * k, npk, fold=True))

    # ---- belt loops ----
    pieces.append(build_piece(
        "belt_loop", "Belt loop 裤襻", [Edge("a", line_points((0.0, 0.0), (30.0 * k, 0.0)), 0.0), Edge("b", line_points((30.0 * k, 0.0), (30.0 * k, wb_h + 25.0 * k)), 0.0),
                                       Edge("c", line_points((30.0 * k, wb_h + 25.0 * k), (0.0, wb_h + 25.0 * k)), 0.0), Edge("d", line_points((0.0, wb_h + 25.0 * k), (0.0, 0.0)), 0.0)],
        grain=((15.0 * k, 0.1 * wb_h), (15.0 * k, wb_h)), quantity=7,
        lines=[Line(kind="fold", points=((10.0 * k, 0.0), (10.0 * k, wb_h + 25 * k)), name="fold"), Line(kind="fold", points=((20.0 * k, 0.0), (20.0 * k, wb_h + 25 * k)), name="fold")],
        seam_allowance_mm=0.0,
    ))

    # ---- self-checks on the drafted geometry ----
    fs, bs_ = np.array(front.sew), np.array(back.sew)
    hip_back = _x_at_y(_rev(seat_seam), y_hip)
    hip_front = _x_at_y(cf_front, y_hip)
    checks.append(check("waist_girth", waist_seam, W, 2.0))
    checks.append(check("hip_girth", 2 * (hip_front + hip_back), H, 2.0))
    thigh_meas = width_at_y(fs, thigh_level(drop_b)) + width_at_y(bs_, thigh_level(drop_b))
    checks.append(check("thigh_girth", thigh_meas, max(T, thigh(E_min, drop_b)), 2.0))
    checks.append(check("knee_girth", width_at_y(fs, y_knee) + width_at_y(bs_, y_knee), K, 2.0))
    checks.append(check("hem_girth", width_at_y(fs, y_hem + 1e-3) + width_at_y(bs_, y_hem + 1e-3), Hm, 2.0))
    checks.append(seam_check("outseam", polyline_length(out_b), len_out_f, 0.0))
    checks.append(seam_check("inseam", polyline_length(in_b), len_in_f, o.inseam_ease_mm))
    for ln in dart_lines:
        if ln.kind == "dart":
            a, apex, b = (np.array(p) for p in ln.points)
            checks.append(seam_check(f"{ln.name} legs", float(np.hypot(*(apex - a))), float(np.hypot(*(apex - b))), 0.0))
    extra: dict[str, object] = {
        "finished_mm": {"waist": round(W, 1), "hip": round(H, 1), "thigh": round(T, 1), "knee": round(K, 1), "hem": round(Hm, 1),
                        "crotch_depth": round(D, 1), "length": round(L, 1),
                        "crotch_seam": round(polyline_length(cf_front) + polyline_length(seat_seam), 1)},
        "ease_mm": {"waist": round(e_w, 1), "hip": round(e_h, 1), "thigh": round(e_t, 1)},
        "system": "Chinese men's trousers (男西裤), ease in mm",
    }
    return pieces, checks, extra


PRODUCT = GarmentProduct(
    id="trousers",
    name_en="Trousers",
    name_zh="西裤",
    measurements=MEASUREMENTS,
    options_model=TrousersOptions,
    drafter=_draft,
)
