"""Men's shirt (男衬衫): fronts with button stand, back, yoke, sleeve, placket, cuff, collar, stand.

Drafting system: a men's shirt block in the manner of Aldrich's "classic shirt" and the Chinese
men's shirt system (男衬衫结构), with ease given in mm at each girth as Chinese pattern makers do.
The body is split at the side seam a little behind the middle (back C/4 + 1 %), armhole depth
0.42 x back waist length + C/18, shoulder slopes 18 deg (back) and 22 deg (front); the neckline is
solved so that it measures neck_base_girth + neck ease exactly, the sleeve cap height is solved so
that the cap exceeds the armhole by the cap ease, and the collar stand and the collar are solved to
their seams. ``shoulder_width`` is read as the biacromial (bone) breadth: the shirt's shoulder is
that plus ``shoulder_ease_mm`` (about 60 mm for a regular shirt).

Pieces (see ``docs/pattern-garments.md``): ``front_left`` (button side, cut-on facing),
``front_right`` (buttonhole side, box placket), ``back`` (cut on fold, box pleat), ``yoke`` (cut on
fold, x2), ``sleeve`` (pair), ``sleeve_placket`` and ``sleeve_underplacket`` (pairs), ``cuff`` (x4),
``collar`` and ``collar_stand`` (cut on fold, x2 each).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field
from scipy.optimize import brentq

from yuefang.pattern.draft.bezier import Path, cubic_points, polyline_length, split_polyline_at_y
from yuefang.pattern.draft.checks import check, seam_check, width_at_y
from yuefang.pattern.draft.piece import Edge, NotchAt, build_piece
from yuefang.pattern.errors import OptionError
from yuefang.pattern.garments.common import (
    GarmentOptions,
    GarmentProduct,
    body_scale,
    check_range,
    line_points,
    mirror_points,
    resolve_ease,
)
from yuefang.pattern.model import Line, Piece

__all__ = ["ShirtOptions", "PRODUCT", "MEASUREMENTS", "FIT_EASE_MM"]

MEASUREMENTS = (
    "stature",
    "neck_base_girth",
    "chest_girth",
    "waist_girth",
    "hip_girth",
    "shoulder_width",
    "across_back_width",
    "arm_length",
    "upper_arm_girth",
    "wrist_girth",
    "back_waist_length",
    "waist_to_hip_length",
)

#: default ease by fit, mm (Chinese men's shirt practice), for the reference body (chest 900 mm).
FIT_EASE_MM: dict[str, dict[str, float]] = {
    "slim": {"chest": 120, "waist": 140, "hip": 80, "upper_arm": 100, "shoulder": 50, "across_back": 20},
    "regular": {"chest": 200, "waist": 260, "hip": 140, "upper_arm": 130, "shoulder": 60, "across_back": 30},
    "loose": {"chest": 280, "waist": 360, "hip": 220, "upper_arm": 170, "shoulder": 80, "across_back": 45},
}

Ease = Field(None, ge=-50, le=600)
EasePct = Field(None, ge=-5, le=60)


class ShirtOptions(GarmentOptions):
    """Style options of the men's shirt (lengths in mm; ease in mm or % of the body girth)."""

    chest_ease_mm: float | None = Ease
    chest_ease_pct: float | None = EasePct
    waist_ease_mm: float | None = Ease
    waist_ease_pct: float | None = EasePct
    hip_ease_mm: float | None = Ease
    hip_ease_pct: float | None = EasePct
    upper_arm_ease_mm: float | None = Field(None, ge=0, le=300)
    shoulder_ease_mm: float | None = Field(None, ge=-40, le=200, description="shirt shoulder minus biacromial breadth")
    neck_ease_mm: float = Field(15.0, ge=0, le=60)
    cuff_ease_mm: float = Field(55.0, ge=10, le=150)
    cap_ease_mm: float = Field(10.0, ge=0, le=40, description="sleeve cap length minus armhole length")
    back_shoulder_ease_mm: float = Field(0.0, ge=0, le=10, description="yoke shoulder eased onto the front shoulder")
    length_mm: float | None = Field(None, gt=0, le=4000, description="back length from CB neck to hem; default 0.435 x stature")
    sleeve: Literal["long", "short"] = "long"
    sleeve_length_mm: float | None = Field(None, gt=0, le=4000, description="shoulder point to wrist incl. cuff; default arm + 25")
    collar: Literal["classic", "button_down", "cutaway", "band"] = "classic"
    cuff: Literal["barrel", "barrel_two_button", "french"] = "barrel"
    cuff_depth_mm: float | None = Field(None, ge=30, le=120)
    stand_height_mm: float | None = Field(None, ge=20, le=50)
    button_stand_mm: float | None = Field(None, ge=15, le=45)
    back_pleat_mm: float = Field(15.0, ge=0, le=40, description="half depth of the box pleat at CB (extra fullness)")
    sleeve_pleat_mm: float = Field(15.0, ge=0, le=30, description="depth of each of the two pleats at the cuff")
    back_posture: Literal["normal", "stooped", "erect"] = "normal"
    shoulders: Literal["normal", "sloping", "square"] = "normal"
    belly: Literal["normal", "prominent"] = "normal"
    figure_adjust_mm: float = Field(12.0, ge=0, le=40, description="amount of each figure alteration")
    hem_sa_mm: float = Field(15.0, ge=0, le=40)
    side_seam_sa_mm: float | None = Field(None, ge=0, le=40)
    armhole_sa_mm: float | None = Field(None, ge=0, le=40)
    collar_sa_mm: float = Field(6.0, ge=0, le=20)


def _neck_curves(nw: float, rb: float, fnw: float, fnd: float, ysf: float) -> tuple[np.ndarray, np.ndarray]:
    back = cubic_points((0.0, 0.0), (nw * 0.55, 0.0), (nw * 0.92, rb * 0.35), (nw, rb))
    front = cubic_points((fnw, ysf), (fnw, ysf - fnd * 0.6), (fnw * 0.55, ysf - fnd), (0.0, ysf - fnd))
    return back, front


def _cap_curves(w: float, h: float) -> tuple[np.ndarray, np.ndarray]:
    """Front cap (-w,0)->(0,h) and back cap (w,0)->(0,h) of a sleeve of half-width w."""
    front = cubic_points((-w, 0.0), (-w * 0.55, 0.02 * h), (-w * 0.48, h), (0.0, h))
    back = cubic_points((w, 0.0), (w * 0.62, 0.12 * h), (w * 0.55, h), (0.0, h))
    return front, back



def _rev(p: np.ndarray) -> np.ndarray:
    return p[::-1].copy()


def _draft(body: dict[str, float], o: ShirtOptions) -> tuple[list[Piece], list[dict[str, object]], dict[str, object]]:
    ch, nk = body["chest_girth"], body["neck_base_girth"]
    k = body_scale(ch / 900.0)
    fe = {n: v * k for n, v in FIT_EASE_MM[o.fit].items()}
    e_ch = resolve_ease(o.chest_ease_mm, o.chest_ease_pct, ch, fe["chest"], "chest_ease")
    e_wa = resolve_ease(o.waist_ease_mm, o.waist_ease_pct, body["waist_girth"], fe["waist"], "waist_ease")
    e_hp = resolve_ease(o.hip_ease_mm, o.hip_ease_pct, body["hip_girth"], fe["hip"], "hip_ease")
    e_ua = o.upper_arm_ease_mm if o.upper_arm_ease_mm is not None else fe["upper_arm"]
    e_sh = o.shoulder_ease_mm if o.shoulder_ease_mm is not None else fe["shoulder"]
    sa = o.sa_mm
    sa_side = o.side_seam_sa_mm if o.side_seam_sa_mm is not None else sa
    sa_arm = o.armhole_sa_mm if o.armhole_sa_mm is not None else sa
    sa_col = o.collar_sa_mm
    adj = o.figure_adjust_mm * k if "figure_adjust_mm" not in o.model_fields_set else o.figure_adjust_mm

    C = ch + e_ch
    Wf = body["waist_girth"] + e_wa
    Hf = body["hip_girth"] + e_hp
    N = nk + o.neck_ease_mm * k
    S = body["shoulder_width"] + e_sh
    bwl, wth, st = body["back_waist_length"], body["waist_to_hip_length"], body["stature"]
    for name, val in (("chest", C), ("waist", Wf), ("hip", Hf), ("shoulder", S)):
        if val <= 0:
            raise_ease(name, val)

    # ---- levels and widths (y up, CB neck at the origin) ----
    bw = C / 4 + 0.01 * C  # back half width at the chest line, from CB
    fw = C / 2 - bw  # front width from CF to the side seam
    ad = min(0.42 * bwl + C / 18, 0.85 * bwl)  # armhole depth below CB neck
    y_waist, y_hip = -bwl, -(bwl + wth)
    tail = 0.06 * (bwl + wth)
    L_default = max(0.435 * st, bwl + wth + tail + 0.08 * bwl)
    L = o.length_mm if o.length_mm is not None else L_default
    if o.length_mm is not None:
        check_range("length_mm", L, 1.15 * bwl, 0.75 * st)
    y_side_hem = -L + tail
    stoop = {"normal": 0.0, "stooped": adj, "erect": -adj}[o.back_posture]
    shoulder_drop = {"normal": 0.0, "sloping": adj, "square": -adj}[o.shoulders]
    belly = adj if o.belly == "prominent" else 0.0

    # ---- neckline: solve the back neck width so the neckline measures N ----
    def neck_len(nw: float) -> float:
        b, f = _neck_curves(nw, nw / 3, nw * 0.97, nw * 1.08, nw / 3)
        return polyline_length(b) + polyline_length(f)

    nw = brentq(lambda x: neck_len(x) - N / 2, N / 40, N / 2.5, xtol=1e-4)
    rb = nw / 3
    fnw, fnd = nw * 0.97, nw * 1.08
    # posture: a stooped back is longer above the blades (neck raised), the front shorter
    back_raise = stoop
    front_raise = -stoop / 2
    ysb = rb + back_raise  # back SNP level (the back neck is moved up with it)
    ysf = rb + front_raise
    back_neck, front_neck = _neck_curves(nw, rb, fnw, fnd, ysf)
    back_neck = back_neck + np.array([0.0, back_raise])
    y_cbn = back_raise  # CB neck level on the back

    # ---- shoulder ----
    b_snp = np.array([nw, ysb])
    b_sp = np.array([max(S / 2, nw * 1.2), ysb - (max(S / 2, nw * 1.2) - nw) * math.tan(math.radians(18)) - shoulder_drop])
    lb = float(np.hypot(*(b_sp - b_snp)))
    ang_b = math.atan2(b_snp[1] - b_sp[1], b_sp[0] - b_snp[0])
    ang_f = ang_b + math.radians(4)
    lf = lb - o.back_shoulder_ease_mm
    f_snp = np.array([fnw, ysf])
    f_sp = f_snp + lf * np.array([math.cos(ang_f), -math.sin(ang_f)])

    # ---- armholes: a sleeve wider than the armhole allows lowers the armhole (up to 0.9 x back waist) ----
    biceps_target = body["upper_arm_girth"] + e_ua
    cap_ease = o.cap_ease_mm * k if "cap_ease_mm" not in o.model_fields_set else o.cap_ease_mm

    def cap_len(h: float, w: float) -> float:
        f, b = _cap_curves(w, h)
        return polyline_length(f) + polyline_length(b)

    flat_cap = cap_len(0.25 * biceps_target / 2, biceps_target / 2)  # the lowest cap a shirt sleeve takes
    for _attempt in range(12):
        y_chest = -ad
        ab_half = body["across_back_width"] / 2 + fe["across_back"] / 2
        x_ab = min(max(ab_half, nw * 1.15), bw - 0.02 * C)
        y_ab = (b_sp[1] + y_chest) / 2
        u_b = np.array([bw, y_chest])
        back_arm = (
            Path(b_sp)
            .curve_to(b_sp + np.array([-0.15, -1.0]) * (b_sp[1] - y_ab) * 0.35, (x_ab, y_ab + (b_sp[1] - y_ab) * 0.45), (x_ab, y_ab))
            .curve_to((x_ab, y_ab - (y_ab - y_chest) * 0.55), (u_b[0] - (u_b[0] - x_ab) * 0.6, y_chest), u_b)
            .points()
        )
        x_af = min(max(x_ab - 0.012 * C, fnw * 1.1), fw - 0.03 * C)
        y_af = y_chest + (f_sp[1] - y_chest) * 0.45
        u_f = np.array([fw, y_chest])
        front_arm = (
            Path(f_sp)
            .curve_to(f_sp + np.array([-0.2, -1.0]) * (f_sp[1] - y_af) * 0.35, (x_af, y_af + (f_sp[1] - y_af) * 0.4), (x_af, y_af))
            .curve_to((x_af, y_af - (y_af - y_chest) * 0.6), (u_f[0] - (u_f[0] - x_af) * 0.7, y_chest), u_f)
            .points()
        )
        # yoke line: 30 % of the way from the shoulder point down to the chest line
        y_sp0 = b_sp[1] - back_raise + shoulder_drop  # the shoulder point before figure alterations
        y_yoke = y_sp0 - 0.3 * (y_sp0 - y_chest)
        split = split_polyline_at_y(back_arm, y_yoke)
        if split is None:
            raise ValueError("the yoke line does not cross the back armhole")
        yoke_arm, back_arm_low = split
        p_y = back_arm_low[0]
        armhole = polyline_length(back_arm) + polyline_length(front_arm)
        if armhole + cap_ease > flat_cap or ad >= 0.9 * bwl:
            break
        ad = min(ad * 1.06, 0.9 * bwl)

    # ---- side seam and hem (same shape front and back, so the seam matches) ----
    s_w = (C - Wf) / 4
    s_h = (C - Hf) / 4

    def side(x_u: float) -> np.ndarray:
        path = Path((x_u, y_chest))
        dy1 = y_chest - y_waist
        path.curve_to((x_u, y_chest - 0.35 * dy1), (x_u - s_w, y_waist + 0.35 * dy1), (x_u - s_w, y_waist))
        if y_side_hem < y_hip - 0.1 * wth:
            dy2 = y_waist - y_hip
            path.curve_to((x_u - s_w, y_waist - 0.4 * dy2), (x_u - s_h, y_hip + 0.4 * dy2), (x_u - s_h, y_hip))
            path.line_to((x_u - s_h, y_side_hem))
        else:
            path.line_to((x_u - s_w + (s_w - s_h) * 0.5, y_side_hem))
        return path.points()

    side_b = side(bw)
    side_f = side(fw)

    def hem(x_side: float, y_cb: float) -> np.ndarray:
        # from the side hem point round the shirt tail to the centre (horizontal there)
        return cubic_points((x_side, y_side_hem), (x_side * 0.92, y_cb + (y_side_hem - y_cb) * 0.2), (x_side * 0.45, y_cb), (0.0, y_cb))

    hem_b = hem(side_b[-1][0], -L)
    hem_f = hem(side_f[-1][0], -L - belly)

    checks: list[dict[str, object]] = []
    pieces: list[Piece] = []
    # the back sleeve notch: half way up the back armhole, or lower when the yoke comes down further
    back_notch_frac = min(0.5, 0.9 * polyline_length(back_arm_low) / (polyline_length(yoke_arm) + polyline_length(back_arm_low)))
    p = o.back_pleat_mm * k if "back_pleat_mm" not in o.model_fields_set else o.back_pleat_mm
    sh = np.array([p, 0.0])

    # ---- back (cut on fold, CB box pleat of depth p at the fold) ----
    back_edges = [
        Edge("yoke_seam", line_points(tuple(p_y + sh), (0.0, y_yoke)), sa),
        Edge("fold", line_points((0.0, y_yoke), (0.0, -L)), 0.0),
        Edge("hem", np.vstack([[[0.0, -L]], _rev(hem_b) + sh]), o.hem_sa_mm),
        Edge("side_seam", _rev(side_b) + sh, sa_side),
        Edge("armhole", _rev(back_arm_low) + sh, sa_arm),
    ]
    grain_x = p + bw * 0.5
    pieces.append(
        build_piece(
            "back", "Back 后片", back_edges, grain=((grain_x, -L + 0.15 * L), (grain_x, y_yoke - 0.1 * L)),
            quantity=1, cut_on_fold=True, fold_edge="fold",
            notches=([NotchAt("yoke_seam", -p, "pleat")] if p > 0 else [])
            + [NotchAt("armhole", back_notch_frac * (polyline_length(yoke_arm) + polyline_length(back_arm_low)), "sleeve back")],
            lines=[Line(kind="placement", points=((p, y_yoke), (p, y_yoke - 0.15 * L)), name="box pleat")] if p > 0 else [],
            seam_allowance_mm=sa,
        )
    )

    # ---- yoke (cut on fold, outer and inner) ----
    yoke_edges = [
        Edge("yoke_seam", line_points((0.0, y_yoke), tuple(p_y)), sa),
        Edge("armhole", _rev(yoke_arm), sa_arm),
        Edge("shoulder", line_points(tuple(b_sp), tuple(b_snp)), sa),
        Edge("neck", _rev(back_neck), sa_col),
        Edge("fold", line_points((0.0, y_cbn), (0.0, y_yoke)), 0.0),
    ]
    gy = nw * 0.6
    pieces.append(
        build_piece(
            "yoke", "Yoke 过肩", yoke_edges, grain=((gy, y_yoke + 0.15 * (y_cbn - y_yoke)), (gy, y_cbn - 0.1 * (y_cbn - y_yoke))),
            quantity=2, cut_on_fold=True, fold_edge="fold", seam_allowance_mm=sa,
        )
    )

    # ---- fronts ----
    bs = o.button_stand_mm if o.button_stand_mm is not None else 30.0 * k
    y_cfn = ysf - fnd
    y_cfh = -L - belly
    n_buttons = 7
    y_last = y_side_hem + 0.12 * L
    ys_btn = np.linspace(y_cfn - 0.09 * L, y_last, n_buttons - 1).tolist()
    front_lines_common = [Line(kind="placement", points=((0.0, y_cfn), (0.0, y_cfh)), name="centre front")]

    def front_piece(name: str, label: str, ext: float, folds: list[float], marks: list[Line], mirror: bool) -> Piece:
        edges = [
            Edge("neck", front_neck, sa_col),
            Edge("neck_ext", line_points((0.0, y_cfn), (-ext, y_cfn)), sa_col),
            Edge("front_edge", line_points((-ext, y_cfn), (-ext, y_cfh)), 0.0),
            Edge("hem_ext", line_points((-ext, y_cfh), (0.0, y_cfh)), o.hem_sa_mm),
            Edge("hem", _rev(hem_f), o.hem_sa_mm),
            Edge("side_seam", _rev(side_f), sa_side),
            Edge("armhole", _rev(front_arm), sa_arm),  # underarm up to the shoulder point
            Edge("shoulder", line_points(tuple(f_sp), tuple(f_snp)), sa),
        ]
        lines = list(front_lines_common) + [Line(kind="fold", points=((x, y_cfn), (x, y_cfh)), name="fold") for x in folds] + marks
        grain = ((fw * 0.45, y_cfh + 0.1 * L), (fw * 0.45, y_chest - 0.05 * L))
        if mirror:
            edges = [Edge(e.name, mirror_points(e.points), e.sa_mm) for e in edges]
            lines = [Line(kind=ln.kind, points=tuple((-x, y) for x, y in ln.points), name=ln.name) for ln in lines]
            grain = ((-grain[0][0], grain[0][1]), (-grain[1][0], grain[1][1]))
        return build_piece(
            name, label, edges, grain=grain, quantity=1,
            notches=[NotchAt("armhole", -(polyline_length(front_arm) * 0.4), "sleeve front"), NotchAt("neck", -0.001, "CF")],
            lines=lines, seam_allowance_mm=sa,
        )

    buttons = [Line(kind="button", points=((0.0, y), (0.0, y + 0.5)), name="button") for y in ys_btn]
    holes = [Line(kind="buttonhole", points=((0.0, y), (0.0, y - 0.45 * bs)), name="buttonhole") for y in ys_btn]
    pieces.append(front_piece("front_left", "Left front (buttons) 左前片", 1.5 * bs, [-bs / 2], buttons, mirror=False))
    pieces.append(front_piece("front_right", "Right front (buttonholes) 右前片", 2.5 * bs, [-bs / 2, -1.5 * bs], holes, mirror=True))

    # ---- sleeve: cap height solved for the cap ease ----
    armhole_back = polyline_length(yoke_arm) + polyline_length(back_arm_low)
    armhole_front = polyline_length(front_arm)
    armhole = armhole_back + armhole_front
    cap_target = armhole + cap_ease
    w = biceps_target / 2

    h_lo = 0.05 * w
    while cap_len(h_lo, w) >= cap_target:  # sleeve wider than the armhole allows: narrow it
        w *= 0.95
    if 2 * w < biceps_target - 2.0 and o.upper_arm_ease_mm is not None:
        raise OptionError("upper_arm_ease_mm", o.upper_arm_ease_mm,
                          f"at most {2 * w - body['upper_arm_girth']:.0f} mm for this armhole (or a deeper armhole via more chest ease)")
    h = brentq(lambda x: cap_len(x, w) - cap_target, h_lo, max(cap_target, 4 * w), xtol=1e-4)
    cap_f, cap_b = _cap_curves(w, h)
    cuff_depth = o.cuff_depth_mm if o.cuff_depth_mm is not None else 62.0 * k
    sl = o.sleeve_length_mm
    arm = body["arm_length"]
    long = o.sleeve == "long"
    if sl is None:
        sl = arm + 25.0 * k if long else 0.4 * arm
    else:
        check_range("sleeve_length_mm", sl, 0.2 * arm if not long else 0.7 * arm, 1.3 * arm)
    french = o.cuff == "french"
    cuff_girth = body["wrist_girth"] + (o.cuff_ease_mm * k if "cuff_ease_mm" not in o.model_fields_set else o.cuff_ease_mm)
    overlap = 20.0 * k if not french else 0.0
    cuff_seam = cuff_girth + overlap
    pleat = (o.sleeve_pleat_mm * k if "sleeve_pleat_mm" not in o.model_fields_set else o.sleeve_pleat_mm)
    if long and o.cuff_depth_mm is not None:
        check_range("cuff_depth_mm", cuff_depth, 30.0, 0.4 * sl)
    sl_piece = sl - (cuff_depth if long else 0.0)
    y_hem = min(h - sl_piece, -0.25 * h)
    hw = (cuff_seam + 2 * pleat) if long else 2 * w * 0.88
    sleeve_edges = [
        Edge("underarm_front", line_points((-hw / 2, y_hem), (-w, 0.0)), sa_side),
        Edge("cap_front", cap_f, sa_arm),
        Edge("cap_back", _rev(cap_b), sa_arm),
        Edge("underarm_back", line_points((w, 0.0), (hw / 2, y_hem)), sa_side),
        Edge("hem", line_points((hw / 2, y_hem), (-hw / 2, y_hem)), sa if long else o.hem_sa_mm + 10.0),
    ]
    slit_x = hw / 2 - hw / 4
    slit_len = min(140.0 * k, 0.35 * sl_piece)
    s_lines = [Line(kind="internal", points=((slit_x, y_hem), (slit_x, y_hem + slit_len)), name="placket slit")] if long else []
    if long:
        for i in range(2):
            x0 = slit_x - (i + 1) * (hw / 8) - i * pleat
            s_lines.append(Line(kind="placement", points=((x0, y_hem), (x0 - pleat, y_hem)), name="pleat"))
    pieces.append(
        build_piece(
            "sleeve", "Sleeve 袖片", sleeve_edges, grain=((0.0, y_hem + 0.1 * sl_piece), (0.0, h * 0.6)),
            quantity=2, mirrored_pair=True,
            # notches matching the armhole's, the cap ease shared in proportion to length
            notches=[NotchAt("cap_front", polyline_length(cap_f) * 0.6, "front"),
                     NotchAt("cap_back", polyline_length(cap_b) * (1.0 - back_notch_frac), "back"),
                     NotchAt("cap_back", 0.0, "shoulder")],
            lines=s_lines, seam_allowance_mm=sa,
        )
    )

    if long:
        pw = 25.0 * k  # finished width of the tower placket
        tip = pw * 0.6
        wp = 2 * pw + 2 * (pw - 2.0 * k)
        over = [
            Edge("hem_end", line_points((0.0, 0.0), (wp, 0.0)), sa),
            Edge("side", line_points((wp, 0.0), (wp, slit_len + pw)), 0.0),
            Edge("top", line_points((wp, slit_len + pw), (wp / 2, slit_len + pw + tip)), 0.0),
            Edge("top2", line_points((wp / 2, slit_len + pw + tip), (0.0, slit_len + pw)), 0.0),
            Edge("side2", line_points((0.0, slit_len + pw), (0.0, 0.0)), 0.0),
        ]
        folds = [Line(kind="fold", points=((x, 0.0), (x, slit_len + pw)), name="fold") for x in (pw - 2 * k, pw * 2 - 2 * k, 3 * pw - 2 * k)]
        pieces.append(build_piece("sleeve_placket", "Sleeve placket 袖衩条 (大)", over, grain=((wp / 2, 0.1 * slit_len), (wp / 2, 0.9 * slit_len)),
                                  quantity=2, mirrored_pair=True, lines=folds, seam_allowance_mm=0.0))
        under_w = 4 * 10.0 * k
        under = [
            Edge("hem_end", line_points((0.0, 0.0), (under_w, 0.0)), sa),
            Edge("side", line_points((under_w, 0.0), (under_w, slit_len)), 0.0),
            Edge("top", line_points((under_w, slit_len), (0.0, slit_len)), 0.0),
            Edge("side2", line_points((0.0, slit_len), (0.0, 0.0)), 0.0),
        ]
        pieces.append(build_piece("sleeve_underplacket", "Sleeve underplacket 袖衩条 (小)", under, grain=((under_w / 2, 0.1 * slit_len), (under_w / 2, 0.9 * slit_len)),
                                  quantity=2, mirrored_pair=True, seam_allowance_mm=0.0))
        checks.append(seam_check("sleeve_placket_to_slit", polyline_length(over[1].points) - pw, slit_len, 0.0))

        # ---- cuff ----
        cd = cuff_depth * (2 if french else 1)
        r = 0.0 if french else min(0.25 * cuff_depth, 0.15 * cuff_seam)
        if r > 0:
            bottom = (
                Path((r, 0.0)).line_to((cuff_seam - r, 0.0))
                .curve_to((cuff_seam - r * 0.45, 0.0), (cuff_seam, r * 0.45), (cuff_seam, r)).points()
            )
            left = Path((0.0, cd)).line_to((0.0, r)).curve_to((0.0, r * 0.45), (r * 0.45, 0.0), (r, 0.0)).points()
        else:
            bottom = line_points((0.0, 0.0), (cuff_seam, 0.0))
            left = line_points((0.0, cd), (0.0, 0.0))
        cuff_edges = [
            Edge("bottom", np.vstack([left, bottom[1:]]), sa_col),
            Edge("end", line_points((cuff_seam, r), (cuff_seam, cd)), sa_col),
            Edge("sleeve_seam", line_points((cuff_seam, cd), (0.0, cd)), sa),
        ]
        ncuff = 2 if o.cuff == "barrel_two_button" else 1
        cl = []
        for j in range(ncuff):
            yb = cuff_depth * (j + 1) / (ncuff + 1)
            cl.append(Line(kind="buttonhole", points=((overlap * 0.5, yb), (overlap * 0.5 + 0.6 * overlap + 8 * k, yb)), name="buttonhole"))
            cl.append(Line(kind="button", points=((cuff_seam - overlap * 0.5, yb), (cuff_seam - overlap * 0.5 + 0.5, yb)), name="button"))
        if french:
            cl = [Line(kind="fold", points=((0.0, cuff_depth), (cuff_seam, cuff_depth)), name="fold")]
            for yb in (cuff_depth * 0.5, cuff_depth * 1.5):
                for xb in (0.12 * cuff_seam, 0.88 * cuff_seam):
                    cl.append(Line(kind="buttonhole", points=((xb - 8 * k, yb), (xb + 8 * k, yb)), name="cufflink hole"))
        pieces.append(build_piece("cuff", "Cuff 袖克夫", cuff_edges, grain=((0.1 * cuff_seam, cd * 0.5), (0.9 * cuff_seam, cd * 0.5)),
                                  quantity=4, lines=cl, seam_allowance_mm=sa))
        cuff_len_measured = polyline_length(cuff_edges[2].points)
        checks.append(check("cuff_girth", cuff_len_measured - overlap, cuff_girth, 2.0))
        hem_len = polyline_length(sleeve_edges[4].points)
        checks.append(seam_check("sleeve_hem_to_cuff", hem_len - 2 * pleat, cuff_len_measured, 0.0))

    # ---- collar stand: neck edge solved to the neckline ----
    half_neck = polyline_length(back_neck) + polyline_length(front_neck)
    hs = o.stand_height_mm if o.stand_height_mm is not None else 32.0 * k
    rs = 0.06 * half_neck

    def stand_neck(xe: float) -> np.ndarray:
        return cubic_points((0.0, 0.0), (0.5 * xe, 0.0), (0.85 * xe, 0.25 * rs), (xe, rs))

    xe = brentq(lambda x: polyline_length(stand_neck(x)) - half_neck, 0.3 * half_neck, half_neck, xtol=1e-5)
    sn = stand_neck(xe)
    tang = sn[-1] - sn[-2]
    tang /= np.hypot(*tang)
    nrm = np.array([-tang[1], tang[0]])
    d = np.diff(sn, axis=0)
    dn = np.vstack([d, d[-1:]])
    dn /= np.hypot(dn[:, 0], dn[:, 1])[:, None]
    normals = np.stack([-dn[:, 1], dn[:, 0]], axis=1)
    top = sn + hs * normals  # the top edge is the neck edge offset by the stand height (shorter: it leans in)
    top[0] = (0.0, hs)
    e_pt = sn[-1] + tang * bs / 2
    te = top[-1] + tang * bs / 2 * 0.5
    stand_edges = [
        Edge("neck", sn, sa_col),
        Edge("neck_ext", line_points(tuple(sn[-1]), tuple(e_pt)), sa_col),
        Edge("front_end", cubic_points(e_pt, e_pt + tang * hs * 0.3, te + tang * hs * 0.45, te), sa_col),
        Edge("top_ext", line_points(tuple(te), tuple(top[-1])), sa_col),
        Edge("top", _rev(top), sa_col),
        Edge("fold", line_points((0.0, hs), (0.0, 0.0)), 0.0),
    ]
    pieces.append(build_piece("collar_stand", "Collar stand 领座", stand_edges, grain=((0.3 * hs, 0.15 * hs), (0.3 * hs, 0.85 * hs)),
                              quantity=2, cut_on_fold=True, fold_edge="fold",
                              notches=[NotchAt("neck", -0.001, "CF"), NotchAt("neck", polyline_length(back_neck), "shoulder")],
                              lines=[Line(kind="buttonhole", points=(tuple(sn[-1] + nrm * hs * 0.5 - tang * 2 * k), tuple(sn[-1] + nrm * hs * 0.5 + tang * (0.45 * bs))), name="stand buttonhole")],
                              seam_allowance_mm=sa_col))
    stand_neck_len = polyline_length(sn)
    stand_top_len = polyline_length(top)
    checks.append(check("collar_stand_neck_to_neckline", 2 * stand_neck_len, 2 * half_neck, 2.0, kind="seam"))

    if o.collar != "band":
        hc = hs + 12.0 * k
        dc = 0.05 * stand_top_len

        def collar_low(xc: float) -> np.ndarray:
            return cubic_points((0.0, 0.0), (0.5 * xc, 0.0), (0.85 * xc, -0.3 * dc), (xc, -dc))

        xc = brentq(lambda x: polyline_length(collar_low(x)) - stand_top_len, 0.3 * stand_top_len, stand_top_len, xtol=1e-5)
        cl_low = collar_low(xc)
        pt_len, pt_ang = {"classic": (75.0, 20.0), "button_down": (85.0, 12.0), "cutaway": (62.0, 42.0)}[o.collar]
        pt_len *= k
        lf_pt = cl_low[-1]
        pt = lf_pt + pt_len * np.array([math.sin(math.radians(pt_ang)), math.cos(math.radians(pt_ang))])
        outer = cubic_points(tuple(pt), (pt[0] - 0.3 * pt[0], pt[1] + (hc - pt[1]) * 0.8), (0.4 * pt[0], hc), (0.0, hc))
        collar_edges = [
            Edge("stand_seam", cl_low, sa_col),
            Edge("front", line_points(tuple(lf_pt), tuple(pt)), sa_col),
            Edge("outer", outer, sa_col),
            Edge("fold", line_points((0.0, hc), (0.0, 0.0)), 0.0),
        ]
        holes_c = []
        if o.collar == "button_down":
            hp_ = lf_pt + (pt - lf_pt) * 0.82 + np.array([-0.12 * pt_len, 0.0])
            holes_c.append(Line(kind="buttonhole", points=(tuple(hp_), tuple(hp_ + (pt - lf_pt) / pt_len * 12 * k)), name="collar point buttonhole"))
        pieces.append(build_piece("collar", "Collar 翻领", collar_edges, grain=((0.3 * hs, 0.1 * hc), (0.3 * hs, 0.9 * hc)),
                                  quantity=2, cut_on_fold=True, fold_edge="fold", lines=holes_c, seam_allowance_mm=sa_col))
        checks.append(seam_check("collar_to_stand", 2 * polyline_length(cl_low), 2 * stand_top_len, 0.0))

    # ---- self-checks on the drafted geometry ----
    back_sew = np.array(pieces[0].sew)
    front_sew = np.array(pieces[2].sew)
    yc = y_chest - 1e-3

    def girth(y: float) -> float:
        return 2 * (width_at_y(back_sew, y, x_from=p) + width_at_y(front_sew, y, x_from=0.0))

    checks.append(check("chest_girth", girth(yc), C, 2.0))
    checks.append(check("waist_girth", girth(y_waist), Wf, 2.0))
    if y_side_hem < y_hip - 0.1 * wth:
        checks.append(check("hip_girth", girth(y_hip), Hf, 2.0))
    neckline = 2 * (polyline_length(back_neck) + polyline_length(front_neck))
    checks.append(check("neck_girth", neckline, N, 2.0))
    checks.append(check("upper_arm_girth", 2 * w, biceps_target, 2.0))
    checks.append(seam_check("side_seam", polyline_length(side_b), polyline_length(side_f), 0.0))
    checks.append(seam_check("shoulder_yoke_to_front", polyline_length(yoke_edges[2].points), polyline_length(np.array([f_sp, f_snp])), o.back_shoulder_ease_mm))
    checks.append(seam_check("yoke_seam", polyline_length(back_edges[0].points) - p, polyline_length(yoke_edges[0].points), 0.0))
    checks.append(seam_check("sleeve_underarm", polyline_length(sleeve_edges[0].points), polyline_length(sleeve_edges[3].points), 0.0))
    cap = polyline_length(cap_f) + polyline_length(cap_b)
    checks.append(check("sleeve_cap_ease", cap - armhole, cap_ease, 2.0, kind="cap"))
    extra: dict[str, object] = {
        "finished_mm": {"chest": round(C, 1), "waist": round(Wf, 1), "hip": round(Hf, 1), "neck": round(N, 1),
                        "shoulder": round(2 * float(b_sp[0]), 1), "length": round(L, 1), "sleeve_length": round(sl, 1),
                        "cuff": round(cuff_girth, 1) if long else None, "armhole": round(armhole, 1), "cap_height": round(h, 1)},
        "ease_mm": {"chest": round(e_ch, 1), "waist": round(e_wa, 1), "hip": round(e_hp, 1), "upper_arm": round(e_ua, 1)},
        "system": "Aldrich classic shirt / Chinese men's shirt, ease in mm",
    }
    return pieces, checks, extra


def raise_ease(name: str, finished: float) -> None:
    from yuefang.pattern.errors import OptionError

    raise OptionError(f"{name}_ease_mm", finished, f"an ease that leaves a positive finished {name} girth")


PRODUCT = GarmentProduct(
    id="shirt",
    name_en="Men's shirt",
    name_zh="男衬衫",
    measurements=MEASUREMENTS,
    options_model=ShirtOptions,
    drafter=_draft,
)
