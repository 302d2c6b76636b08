"""Duvet covers (被套): a front and a back sized to the duvet, with a closure along the foot.

The duvet is given by its width and length in mm, or by one of the usual Chinese sizes
(``duvet_size``: "150x200", "180x220", "200x230", "220x240", in cm). The cover is the duvet plus
``ease_mm`` in each direction, plus seam allowances. Closures:

* ``zip`` (拉链, the default): the foot seam is left open between two notches for the zip;
* ``envelope`` (信封口): the front runs on past the foot by ``envelope_flap_mm`` and folds in over
  the back's hemmed opening, like a pillowcase;
* ``buttons`` (纽扣): both openings hemmed; buttonholes on the back, buttons on the front;
* ``ties`` (系带): both openings hemmed; pairs of ties cut as extra pieces.

``corner_ties`` adds eight small ties, sewn into the corner seams, that hold the duvet's loops.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yuefang.pattern.home._common import HomeTextileProduct, rect
from yuefang.pattern.model import DrillHole, Line, Notch, Piece

__all__ = ["DUVET_SIZES_CM", "DuvetCoverInputs", "DuvetCoverOptions", "PRODUCT"]

#: the usual duvet sizes in China, width x length in cm
DUVET_SIZES_CM: tuple[tuple[int, int], ...] = ((150, 200), (180, 220), (200, 230), (220, 240))

TIE_WIDTH_MM = 40.0  # cut width of a tie strip (folded in four: 10 mm finished)
TIE_LENGTH_MM = 250.0


class DuvetCoverInputs(BaseModel):
    """The duvet (mm), or ``duvet_size`` such as ``"200x230"`` (cm)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    duvet_width_mm: float = Field(ge=500, le=3000, description="width of the duvet")
    duvet_length_mm: float = Field(ge=500, le=3200, description="length of the duvet")

    @model_validator(mode="before")
    @classmethod
    def _from_size(cls, data: Any) -> Any:
        if isinstance(data, dict) and "duvet_size" in data:
            data = dict(data)
            label = str(data.pop("duvet_size"))
            try:
                w_cm, l_cm = (float(v) for v in label.lower().replace("×", "x").replace("*", "x").split("x"))
            except ValueError:
                raise ValueError(
                    f"duvet_size {label!r}: WIDTHxLENGTH in cm, e.g. "
                    + ", ".join(f"{w}x{h}" for w, h in DUVET_SIZES_CM)
                ) from None
            data.setdefault("duvet_width_mm", w_cm * 10)
            data.setdefault("duvet_length_mm", l_cm * 10)
        return data


class DuvetCoverOptions(BaseModel):
    """Ease, closure and allowances (mm)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ease_mm: float = Field(
        30, ge=0, le=100, description="cover larger than the duvet, in width and in length"
    )
    closure: Literal["zip", "envelope", "buttons", "ties"] = Field("zip", description="how the foot closes")
    seam_allowance_mm: float = Field(15, ge=8, le=25, description="allowance on the joined edges")
    opening_hem_mm: float = Field(30, ge=15, le=60, description="finished hem at the opening, double turned")
    envelope_flap_mm: float = Field(400, ge=200, le=800, description="envelope closure: flap depth")
    zip_inset_mm: float = Field(
        200, ge=50, le=500, description="zip closure: seam closed this far from each corner"
    )
    fastener_pitch_mm: float = Field(250, ge=120, le=500, description="buttons/ties: target spacing")
    corner_ties: bool = Field(True, description="eight ties in the corner seams to hold the duvet")
    fabric_width_mm: float = Field(
        2500, ge=1100, le=3200, description="usable fabric width (wide sheeting 2.5 m)"
    )


def _fasteners(width: float, pitch: float, inset: float) -> list[float]:
    n = max(2, round((width - 2 * inset) / pitch) + 1)
    step = (width - 2 * inset) / (n - 1)
    return [inset + i * step for i in range(n)]


def _draft(inp: DuvetCoverInputs, opt: DuvetCoverOptions) -> tuple[tuple[Piece, ...], dict[str, object]]:
    w_fin = inp.duvet_width_mm + opt.ease_mm
    l_fin = inp.duvet_length_mm + opt.ease_mm
    sa, h = opt.seam_allowance_mm, opt.opening_hem_mm
    cut_w = w_fin + 2 * sa
    foot = sa if opt.closure == "zip" else 2 * h  # allowance at the foot (y = 0)
    flap = opt.envelope_flap_mm if opt.closure == "envelope" else 0.0
    pieces: list[Piece] = []
    info: dict[str, object] = {}

    def panel(name: str, label: str, extra: float) -> Piece:
        y0 = foot + extra  # the foot line of the finished cover
        cut_l = y0 + l_fin + sa
        notches = [
            Notch(x=cut_w / 2, y=cut_l, angle_deg=-90.0, name="centre_head"),
            Notch(x=0.0, y=y0 + l_fin / 2, angle_deg=0.0, name="centre_side"),
            Notch(x=cut_w, y=y0 + l_fin / 2, angle_deg=180.0, name="centre_side"),
        ]
        lines: list[Line] = []
        holes: list[DrillHole] = []
        if opt.closure == "zip":
            for x in (sa + opt.zip_inset_mm, cut_w - sa - opt.zip_inset_mm):
                notches.append(Notch(x=x, y=0.0, angle_deg=90.0, name="zip_end"))
            info["zip_length_mm"] = round(w_fin - 2 * opt.zip_inset_mm, 1)
        else:
            for y in (h, 2 * h):
                lines.append(Line(kind="fold", points=((0.0, y), (cut_w, y)), name="hem_fold"))
                notches += [
                    Notch(x=0.0, y=y, name="hem_fold"),
                    Notch(x=cut_w, y=y, angle_deg=180.0, name="hem_fold"),
                ]
        if extra:
            lines.append(Line(kind="fold", points=((0.0, y0), (cut_w, y0)), name="flap_fold"))
            notches += [
                Notch(x=0.0, y=y0, name="flap_fold"),
                Notch(x=cut_w, y=y0, angle_deg=180.0, name="flap_fold"),
            ]
        if opt.closure in ("buttons", "ties"):
            xs = _fasteners(w_fin, opt.fastener_pitch_mm, 100.0)
            info["fasteners"] = len(xs)
            for i, x in enumerate(xs):
                if opt.closure == "buttons" and name == "back":
                    half = 11.0  # 20 mm button
                    lines.append(
                        Line(
                            kind="buttonhole",
                            points=((sa + x - half, h), (sa + x + half, h)),
                            name=f"buttonhole{i + 1}",
                        )
                    )
                elif opt.closure == "buttons":
                    lines.append(
                        Line(kind="button", points=((sa + x, h - 1), (sa + x, h + 1)), name=f"button{i + 1}")
                    )
                else:
                    lines.append(
                        Line(kind="placement", points=((sa + x, 0.0), (sa + x, 2 * h)), name=f"tie{i + 1}")
                    )
        if opt.corner_ties:
            for x, y in ((sa, y0), (cut_w - sa, y0), (cut_w - sa, y0 + l_fin), (sa, y0 + l_fin)):
                notches.append(
                    Notch(
                        x=0.0 if x == sa else cut_w,
                        y=y,
                        angle_deg=0.0 if x == sa else 180.0,
                        name="corner_tie",
                    )
                )
        return Piece(
            name=name,
            label=label,
            cut=rect(0.0, 0.0, cut_w, cut_l),
            sew=rect(sa, y0, cut_w - sa, y0 + l_fin),
            turn_points=(0, 1, 2, 3),
            grain=((cut_w / 2, cut_l * 0.3), (cut_w / 2, cut_l * 0.7)),
            quantity=1,
            notches=tuple(notches),
            drill_holes=tuple(holes),
            lines=tuple(lines),
            seam_allowance_mm=sa,
        )

    pieces.append(panel("front", "Front 正面", flap))
    pieces.append(panel("back", "Back 背面", 0.0))
    if opt.closure == "ties":
        pieces.append(_tie("closure_tie", "Closure tie 系带", 2 * int(info["fasteners"])))  # type: ignore[call-overload]  # info is a loose report dict; set to an int above
    if opt.corner_ties:
        pieces.append(_tie("corner_tie", "Corner tie 角带", 8))
    fits = cut_w <= opt.fabric_width_mm
    summary: dict[str, object] = {
        "finished_width_mm": w_fin,
        "finished_length_mm": l_fin,
        "closure": opt.closure,
        **info,
        "fabric_width_mm": opt.fabric_width_mm,
        "checks": {
            "fits_fabric_width": {
                "ok": fits,
                "detail": f"panels {cut_w:g} mm wide on fabric {opt.fabric_width_mm:g} mm"
                + ("" if fits else ": join widths or choose a wider sheeting"),
            }
        },
    }
    return tuple(pieces), summary


def _tie(name: str, label: str, qty: int) -> Piece:
    return Piece(
        name=name,
        label=label,
        cut=rect(0.0, 0.0, TIE_WIDTH_MM, TIE_LENGTH_MM),
        sew=rect(TIE_WIDTH_MM / 4, 0.0, TIE_WIDTH_MM * 3 / 4, TIE_LENGTH_MM),
        turn_points=(0, 1, 2, 3),
        grain=((TIE_WIDTH_MM / 2, 40.0), (TIE_WIDTH_MM / 2, TIE_LENGTH_MM - 40.0)),
        quantity=qty,
        lines=(
            Line(
                kind="fold", points=((TIE_WIDTH_MM / 2, 0.0), (TIE_WIDTH_MM / 2, TIE_LENGTH_MM)), name="fold"
            ),
        ),
    )


PRODUCT = HomeTextileProduct(
    id="duvet_cover",
    name_en="Duvet cover",
    name_zh="被套",
    inputs_model=DuvetCoverInputs,
    options_model=DuvetCoverOptions,
    pieces=("front", "back", "closure_tie", "corner_tie"),
    description="Duvet cover sized to the duvet, closed by zip, envelope, buttons or ties.",
    drafter=_draft,
)
