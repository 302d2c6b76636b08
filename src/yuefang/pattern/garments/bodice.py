"""Women's basic bodice block (女装衣身原型): front (on fold) and back, with bust, shoulder and waist darts.

Drafting system: the Bunka-style block (文化式原型, 8th edition) with its formulas on the body bust B:
chest line B/12 + 137 mm below the back neck, back width B/8 + 74 mm, chest width B/8 + 62 mm,
front neck width B/24 + 34 mm, front top B/5 + 83 mm above the chest line, shoulder slopes 18 deg
(back) and 22 deg (front), armhole bust dart of (B/40 - 2.5) deg (B in mm), back shoulder dart
B/32 - 8 mm, and the waist suppression shared among six darts in Bunka's proportions (7 % CB,
18 % and 35 % back darts, 11 % side seam, 15 % and 14 % front darts). The bust ease is an option
(Bunka's fixed 120 mm is the "regular" default). Fixed constants scale only for bodies far outside
the adult range (see :func:`~yuefang.pattern.garments.common.body_scale`).

Darts are drawn as V lines (``Line(kind="dart")``) with notches at their legs and a drill hole short of
their point, the edge crossing the dart's mouth, as production patterns carry them.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field

from yuefang.pattern.draft.bezier import Path, cubic_points, polyline_length
from yuefang.pattern.draft.checks import check, seam_check, width_at_y
from yuefang.pattern.draft.piece import Edge, NotchAt, build_piece
from yuefang.pattern.errors import OptionError
from yuefang.pattern.garments.common import (
    GarmentOptions,
    GarmentProduct,
    body_scale,
    line_points,
    resolve_ease,
)
from yuefang.pattern.garments.darts import Dart, dart_on_edge
from yuefang.pattern.model import Line, Piece

__all__ = ["BodiceOptions", "PRODUCT", "MEASUREMENTS", "FIT_EASE_MM"]

MEASUREMENTS = ("bust_girth", "waist_girth", "back_waist_length")

FIT_EASE_MM: dict[str, dict[str, float]] = {
    "slim": {"bust": 80, "waist": 40},
    "regular": {"bust": 120, "waist": 60},
    "loose": {"bust": 180, "waist": 120},
}


class BodiceOptions(GarmentOptions):
    """Options of the bodice block (ease in mm or % of the body girth)."""

    bust_ease_mm: float | None = Field(None, ge=0, le=400)
    bust_ease_pct: float | None = Field(None, ge=0, le=45)
    waist_ease_mm: float | None = Field(None, ge=0, le=400)
    waist_ease_pct: float | None = Field(None, ge=0, le=50)
    back_shoulder_ease_mm: float = Field(0.0, ge=0, le=10, description="back shoulder eased onto the front, beyond the dart")
    back_posture: Literal["normal", "stooped", "erect"] = "normal"
    shoulders: Literal["normal", "sloping", "square"] = "normal"
    figure_adjust_mm: float = Field(10.0, ge=0, le=30)
    side_seam_sa_mm: float | None = Field(None, ge=0, le=40)
    hem_sa_mm: float = Field(10.0, ge=0, le=40)



def _draft(body: dict[str, float], o: BodiceOptions) -> tuple[list[Piece], list[dict[str, object]], dict[str, object]]:
    B, Wb, bwl = body["bust_girth"], body["waist_girth"], body["back_waist_length"]
    k = body_scale(B / 840.0)
    fe = {n: v * k for n, v in FIT_EASE_MM[o.fit].items()}
    e_b = resolve_ease(o.bust_ease_mm, o.bust_ease_pct, B, fe["bust"], "bust_ease")
    e_w = resolve_ease(o.waist_ease_mm, o.waist_ease_pct, Wb, fe["waist"], "waist_ease")
    adj = o.figure_adjust_mm if "figure_adjust_mm" in o.model_fields_set else o.figure_adjust_mm * k
    sa = o.sa_mm
    sa_side = o.side_seam_sa_mm if o.side_seam_sa_mm is not None else sa
    F = (B + e_b) / 2  # half block width: CB at x = 0, CF at x = F
    Wf = Wb + e_w
    d_bl = min(B / 12 + 137.0 * k, 0.8 * bwl)  # chest line below the back neck
    y_w = 0.0
    y_bl = bwl - d_bl  # waist at y = 0, back neck at y = bwl
    y_bn = bwl
    bw_ = min(B / 8 + 74.0 * k, 0.45 * F)
    cw_ = min(B / 8 + 62.0 * k, 0.42 * F)
    nw = B / 24 + 34.0 * k
    bnw, brise, fnw, fnd = nw + 2.0 * k, (nw + 2.0 * k) / 3, nw, nw + 5.0 * k
    stoop = {"normal": 0.0, "stooped": adj, "erect": -adj}[o.back_posture]
    drop = {"normal": 0.0, "sloping": adj, "square": -adj}[o.shoulders]
    y_fn = y_bl + min(B / 5 + 83.0 * k, 1.3 * d_bl) - stoop / 2  # front neck level at CF
    y_bn += stoop

    # ---- front: neck, shoulder, bust point, armhole dart ----
    f_snp = np.array([F - fnw, y_fn])
    f_cfn = np.array([F, y_fn - fnd])
    x_cw = F - cw_  # chest width line
    x_fsp = min(x_cw - 18.0 * k, f_snp[0] - 0.2 * fnw)
    lf = (f_snp[0] - x_fsp) / math.cos(math.radians(22))
    f_sp = f_snp + lf * np.array([-math.cos(math.radians(22)), -math.sin(math.radians(22))]) + np.array([0.0, -drop])
    lf = float(np.hypot(*(f_snp - f_sp)))
    bp = np.array([F - (cw_ / 2 + 7.0 * k), y_bl])
    dart_deg = max(B / 40.0 - 2.5 * k, 2.0)
    x_s = (bw_ + x_cw) / 2  # side seam at the middle of the armhole width
    y_q1 = y_bl + 0.38 * (f_sp[1] - y_bl)
    q1 = np.array([x_cw, y_q1])
    th = math.radians(dart_deg)
    v = q1 - bp
    rot = np.array([[math.cos(-th), -math.sin(-th)], [math.sin(-th), math.cos(-th)]])
    q2 = bp + rot @ v
    su = np.array([x_s, y_bl])
    arm_low = cubic_points(tuple(su), (su[0] + 0.6 * (q1[0] - su[0]), y_bl), (q1[0], y_bl + 0.3 * (y_q1 - y_bl)), tuple(q1))
    # upper armhole: up from the dart's upper leg, leaving the shoulder point nearly square to the shoulder
    rise = f_sp[1] - q2[1]
    arm_up = cubic_points(tuple(q2), (q2[0], q2[1] + 0.45 * rise),
                          (f_sp[0] + 0.05 * (q2[0] - f_sp[0]), f_sp[1] - 0.35 * rise), tuple(f_sp))
    front_neck = cubic_points(tuple(f_snp), (f_snp[0], f_snp[1] - 0.6 * fnd), (F - 0.45 * fnw, f_cfn[1]), tuple(f_cfn))

    # ---- back: neck, shoulder (with dart), armhole ----
    b_cbn = np.array([0.0, y_bn])
    b_snp = np.array([bnw, y_bn + brise])
    dart_sh = max(B / 32.0 - 8.0 * k, 0.0)
    lb = lf + dart_sh + o.back_shoulder_ease_mm
    # the back shoulder keeps its length (front + dart + ease); a sloping or square shoulder turns it
    run = lb * math.cos(math.radians(18))
    ang_b = math.atan2(lb * math.sin(math.radians(18)) + drop, run)
    b_sp = b_snp + lb * np.array([math.cos(ang_b), -math.sin(ang_b)])
    y_bw = y_bl + 0.45 * (b_sp[1] - y_bl)
    x_bw = max(bw_, b_snp[0] * 1.1)
    back_arm = (
        Path(tuple(b_sp))
        .curve_to((b_sp[0] - 0.05 * (b_sp[0] - x_bw), b_sp[1] - 0.3 * (b_sp[1] - y_bw)), (x_bw, y_bw + 0.35 * (b_sp[1] - y_bw)), (x_bw, y_bw))
        .curve_to((x_bw, y_bw - 0.5 * (y_bw - y_bl)), (su[0] - 0.6 * (su[0] - x_bw), y_bl), tuple(su))
        .points()
    )
    back_neck = cubic_points(tuple(b_cbn), (0.5 * bnw, b_cbn[1]), (0.9 * bnw, b_cbn[1] + 0.3 * brise), tuple(b_snp))

    # ---- waist suppression in Bunka's proportions ----
    total = max(F - Wf / 2, 0.0)
    share = {"a": 0.07, "b": 0.18, "c": 0.35, "d": 0.11, "e": 0.15, "f": 0.14}
    sup = {n: total * p for n, p in share.items()}
    cb_w = np.array([sup["a"], y_w])
    side_b_w = np.array([x_s - sup["d"] / 2, y_w])
    side_f_w = np.array([x_s + sup["d"] / 2, y_w])
    if total == 0:  # a waist wider than the bust: the side seam flares out, within what the block allows
        flare = (Wf / 2 - F) / 2
        flare_max = 0.4 * min(x_s, F - x_s)
        if flare > flare_max:
            if o.waist_ease_mm is not None or o.waist_ease_pct is not None:
                raise OptionError("waist_ease_mm" if o.waist_ease_mm is not None else "waist_ease_pct",
                                  o.waist_ease_mm if o.waist_ease_mm is not None else o.waist_ease_pct,
                                  f"a finished waist at most {2 * F + 4 * flare_max - Wb:.0f} mm above the body waist for this body")
            flare = flare_max
        side_b_w = np.array([x_s - flare, y_w])
        side_f_w = np.array([x_s + flare, y_w])

    # back waist edge from CB to the side; darts b (near the side) and c (under the blade)
    waist_b = line_points(tuple(cb_w), tuple(side_b_w))
    lwb = polyline_length(waist_b)
    darts_b: list[Dart] = []
    if total > 0:
        c_at = min(max(0.5 * x_bw + 10.0 * k - cb_w[0], sup["c"] / 2 + 1e-3), lwb - sup["c"] / 2 - sup["b"] - 2e-3)
        darts_b.append(dart_on_edge(waist_b, c_at, sup["c"], (y_bl + 20.0 * k) - y_w, (0.0, 1.0), "back dart"))
        b_at = min(max(x_bw - 5.0 * k - cb_w[0], c_at + sup["c"] / 2 + sup["b"] / 2 + 1e-3), lwb - sup["b"] / 2 - 1e-3)
        darts_b.append(dart_on_edge(waist_b, b_at, sup["b"], 0.75 * (y_bl - y_w), (0.0, 1.0), "back side dart"))
    waist_f = line_points(tuple(side_f_w), (F, y_w))
    lwf = polyline_length(waist_f)
    darts_f: list[Dart] = []
    if total > 0:
        e_at = min(max(x_cw + 15.0 * k - side_f_w[0], sup["e"] / 2 + 1e-3), lwf - sup["e"] / 2 - sup["f"] - 2e-3)
        darts_f.append(dart_on_edge(waist_f, e_at, sup["e"], 0.8 * (y_bl - y_w), (0.0, 1.0), "front side dart"))
        f_at = min(max(bp[0] - side_f_w[0], e_at + sup["e"] / 2 + sup["f"] / 2 + 1e-3), lwf - sup["f"] / 2 - 1e-3)
        darts_f.append(dart_on_edge(waist_f, f_at, sup["f"], (bp[1] - 20.0 * k) - y_w, (0.0, 1.0), "front dart"))
    bust_dart = Dart((float(q1[0]), float(q1[1])), (float(q2[0]), float(q2[1])), (float(bp[0]), float(bp[1])), 0.0, 0.0, "bust dart")
    sh_mid = 0.45 * lb
    sh_edge = line_points(tuple(b_snp), tuple(b_sp))
    sh_dart = dart_on_edge(sh_edge, sh_mid, dart_sh, min(70.0 * k, 0.5 * (b_snp[1] - y_bl)), (0.0, -1.0), "back shoulder dart") if dart_sh > 0 else None

    # ---- pieces ----
    back_edges = [
        Edge("centre_back", np.vstack([b_cbn, [0.0, y_bl], cb_w]), sa),
        Edge("waist", waist_b, o.hem_sa_mm),
        Edge("side_seam", line_points(tuple(side_b_w), tuple(su)), sa_side),
        Edge("armhole", back_arm[::-1].copy(), sa),
        Edge("shoulder", line_points(tuple(b_sp), tuple(b_snp)), sa),
        Edge("neck", back_neck[::-1].copy(), sa),
    ]
    b_lines = [d.line() for d in darts_b] + ([sh_dart.line()] if sh_dart else [])
    b_drills = [d.drill_hole(10.0 * k) for d in darts_b] + ([sh_dart.drill_hole(5.0 * k)] if sh_dart else [])
    b_notches = [NotchAt("waist", d.at_a_mm, "dart") for d in darts_b] + [NotchAt("waist", d.at_b_mm, "dart") for d in darts_b]
    if sh_dart:
        b_notches += [NotchAt("shoulder", lb - sh_dart.at_a_mm, "dart"), NotchAt("shoulder", lb - sh_dart.at_b_mm, "dart")]
    gx = 0.5 * x_bw
    back = build_piece("back", "Back 后片", back_edges, grain=((gx, y_w + 0.1 * bwl), (gx, y_bl + 0.3 * (y_bn - y_bl))),
                       quantity=2, mirrored_pair=True, notches=b_notches, drill_holes=b_drills, lines=b_lines,
                       seam_allowance_mm=sa)
    front_edges = [
        Edge("waist", waist_f, o.hem_sa_mm),
        Edge("fold", line_points((F, y_w), tuple(f_cfn)), 0.0),
        Edge("neck", front_neck[::-1].copy(), sa),
        Edge("shoulder", line_points(tuple(f_snp), tuple(f_sp)), sa),
        Edge("armhole_upper", arm_up[::-1].copy(), sa),
        Edge("dart_mouth", line_points(tuple(q2), tuple(q1)), sa),
        Edge("armhole_lower", arm_low[::-1].copy(), sa),
        Edge("side_seam", line_points(tuple(su), tuple(side_f_w)), sa_side),
    ]
    f_lines = [d.line() for d in darts_f] + [bust_dart.line()]
    f_drills = [d.drill_hole(10.0 * k) for d in darts_f] + [bust_dart.drill_hole(20.0 * k)]
    f_notches = [NotchAt("waist", d.at_a_mm, "dart") for d in darts_f] + [NotchAt("waist", d.at_b_mm, "dart") for d in darts_f]
    f_notches += [NotchAt("dart_mouth", 0.0, "bust dart"), NotchAt("dart_mouth", -0.0001, "bust dart")]
    gxf = F - 0.3 * cw_
    front = build_piece("front", "Front 前片", front_edges, grain=((gxf, y_w + 0.1 * bwl), (gxf, y_bl + 0.3 * (y_fn - y_bl))),
                        quantity=1, cut_on_fold=True, fold_edge="fold", notches=f_notches, drill_holes=f_drills,
                        lines=f_lines + [Line(kind="placement", points=(tuple(bp), tuple(bp + np.array([0.0, 0.01]))), name="BP")],
                        seam_allowance_mm=sa)

    # ---- self-checks ----
    bsew, fsew = np.array(back.sew), np.array(front.sew)
    yb = y_bl - 0.01
    bust = 2 * (width_at_y(bsew, yb, x_from=0.0) + width_at_y(fsew, yb, x_from=F, direction=-1))
    checks = [check("bust_girth", bust, B + e_b, 2.0)]
    waist_fin = 2 * (lwb - sum(d.at_b_mm - d.at_a_mm for d in darts_b) + lwf - sum(d.at_b_mm - d.at_a_mm for d in darts_f))
    checks.append(check("waist_girth", waist_fin, Wf if total > 0 else waist_fin, 2.0))
    checks.append(seam_check("side_seam", polyline_length(back_edges[2].points), polyline_length(front_edges[7].points), 0.0))
    checks.append(seam_check("shoulder", lb - dart_sh, lf, o.back_shoulder_ease_mm))
    for d in [*darts_b, *darts_f, bust_dart, *([sh_dart] if sh_dart else [])]:
        checks.append(seam_check(f"{d.name} legs", d.leg_a_mm, d.leg_b_mm, 0.0))
    armhole = polyline_length(back_arm) + polyline_length(arm_low) + polyline_length(arm_up)
    extra: dict[str, object] = {
        "finished_mm": {"bust": round(B + e_b, 1), "waist": round(Wf, 1), "armhole": round(armhole, 1),
                        "back_length": round(y_bn - y_w, 1), "shoulder_front": round(lf, 1)},
        "ease_mm": {"bust": round(e_b, 1), "waist": round(e_w, 1)},
        "darts_mm": {n: round(v, 1) for n, v in sup.items()} | {"bust_dart_deg": round(dart_deg, 2), "back_shoulder": round(dart_sh, 1)},
        "system": "Bunka-style bodice block (文化式原型, 8th edition), ease in mm",
    }
    return [front, back], checks, extra


PRODUCT = GarmentProduct(
    id="bodice",
    name_en="Women's bodice block",
    name_zh="女装衣身原型",
    measurements=MEASUREMENTS,
    options_model=BodiceOptions,
    drafter=_draft,
)
