"""What the home-textile products share: the product object, input checks, rectangles, self-checks.

Home textiles are drafted from their own dimensions (a window, a duvet, a mattress), not from a
body. Every length is in millimetres; every piece is drawn in its own frame (x right, y up) with
its cut line counter-clockwise, as :mod:`yuefang.pattern.model` requires.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from shapely.geometry import LineString, Point, Polygon

from yuefang.pattern.errors import InputError, OptionError
from yuefang.pattern.model import Pattern, Piece, Pt

__all__ = [
    "HomeTextileProduct",
    "InputError",
    "OptionError",
    "parse_model",
    "rect",
    "self_checks",
    "round_up",
]


@dataclass(frozen=True)
class HomeTextileProduct:
    """A home-textile product: its names, its input and option schemas, and its drafter.

    ``draft(inputs, options=None, *, size=None, order_line=None)`` validates the inputs and the
    options (raising :class:`InputError` / :class:`OptionError` with the field, the value and what
    is allowed) and returns the :class:`~yuefang.pattern.model.Pattern`.
    """

    id: str
    name_en: str
    name_zh: str
    inputs_model: type[BaseModel]
    options_model: type[BaseModel]
    pieces: tuple[str, ...]
    description: str
    drafter: Callable[[Any, Any], tuple[tuple[Piece, ...], dict[str, object]]] = field(repr=False)
    kind: Literal["garment", "home_textile"] = "home_textile"

    def draft(
        self,
        inputs: Mapping[str, Any] | BaseModel,
        options: Mapping[str, Any] | BaseModel | None = None,
        *,
        size: str | None = None,
        order_line: str | None = None,
    ) -> Pattern:
        """Draft the product for these dimensions and options (lengths in mm)."""
        inp = parse_model(self.inputs_model, inputs, InputError)
        opt = parse_model(self.options_model, options or {}, OptionError)
        pieces, summary = self.drafter(inp, opt)
        own: dict[str, dict[str, object]] = summary.pop("checks", {})  # type: ignore[assignment]  # drafters put name -> check dict here
        checks = self_checks(pieces) + [{"name": k, "kind": "fabric", **v} for k, v in own.items()]
        report: dict[str, object] = {
            "ok": all(c["ok"] for c in checks),
            "checks": checks,
            **summary,
        }
        return Pattern(
            product=self.id,
            size=size,
            order_line=order_line,
            inputs=_scalars(inp.model_dump()),
            options=_scalars(opt.model_dump()),
            pieces=pieces,
            report=report,
        )


def _scalars(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if isinstance(v, (int, float, str, bool))}


def _allowed(model: type[BaseModel], err: Mapping[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    name = str(err["loc"][0]) if err.get("loc") else ""
    info = model.model_fields.get(name)
    bounds = []
    if info is not None:
        for m in info.metadata:
            for attr, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
                v = getattr(m, attr, None)
                if v is not None:
                    bounds.append(f"{word} {v:g}")
    if err["type"] == "extra_forbidden":
        return "one of " + ", ".join(model.model_fields)
    if "expected" in ctx:
        return f"one of {ctx['expected']}"
    if bounds and err["type"] != "missing":
        return "a number " + " and ".join(bounds)
    if err["type"] == "missing":
        return "a value (required)" + (": a number " + " and ".join(bounds) if bounds else "")
    return str(err.get("msg", "a valid value"))


def parse_model(model: type[BaseModel], data: Mapping[str, Any] | BaseModel, error: type[ValueError]) -> Any:
    """Validate ``data`` against ``model``; the first problem raises ``error(field, value, allowed)``.

    Examples
    --------
    >>> from pydantic import BaseModel, Field
    >>> class M(BaseModel):
    ...     width_mm: float = Field(ge=10, le=20)
    >>> try:
    ...     parse_model(M, {"width_mm": 5}, OptionError)
    ... except OptionError as e:
    ...     print(e.field, e.value, "|", e.allowed)
    width_mm 5 | a number >= 10 and <= 20
    """
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump()
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err.get("loc", ())) or "input"
        value = None if err["type"] == "missing" else err.get("input")
        allowed = _allowed(model, err)
        if err["type"] == "value_error":  # a model validator's own message: "FIELD VALUE: allowed"
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            head, _, allowed = msg.partition(": ")
            if not err.get("loc") and head.split(" ")[0] in dict(data):
                name = head.split(" ")[0]
                value = dict(data)[name]
            allowed = allowed or msg
        raise _make_error(error, name, value, allowed) from None


def _make_error(error: type[ValueError], name: str, value: object, allowed: str) -> ValueError:
    return error(name, value, allowed)


def rect(x0: float, y0: float, x1: float, y1: float) -> tuple[Pt, Pt, Pt, Pt]:
    """The rectangle [x0, x1] × [y0, y1] counter-clockwise from the lower left corner.

    >>> rect(0, 0, 2, 1)
    ((0, 0), (2, 0), (2, 1), (0, 1))
    """
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def round_up(value: float, step: float) -> float:
    """``value`` rounded up to a multiple of ``step`` (a step under 1 mm leaves it as it is).

    >>> round_up(2310, 640), round_up(2310, 0), round_up(2310, 1e-300)
    (2560, 2310, 2310)
    """
    if step < 1.0:
        return value
    return math.ceil(value / step - 1e-9) * step


def self_checks(pieces: Sequence[Piece]) -> list[dict[str, object]]:
    """Geometric self-checks of every piece: valid simple CCW polygons, marks inside the piece.

    Returns a list of ``{"name", "kind": "geometry", "ok": bool, "detail": str}``, the shape of the
    garments' checks in ``Pattern.report["checks"]``.
    """
    problems: dict[str, list[str]] = {"valid_polygons": [], "sew_inside_cut": [], "marks_inside": []}
    for p in pieces:
        cut = Polygon(p.cut)
        ring = cut.exterior
        if not (cut.is_valid and ring.is_simple and ring.is_ccw and cut.area > 0):
            problems["valid_polygons"].append(p.name)
        if p.sew is not None:
            sew = Polygon(p.sew)
            if not (sew.is_valid and sew.exterior.is_ccw and cut.buffer(1e-6).contains(sew)):
                problems["sew_inside_cut"].append(p.name)
        grown = cut.buffer(0.5)
        marks_ok = grown.contains(LineString(p.grain))
        marks_ok &= all(grown.contains(Point(n.x, n.y)) for n in p.notches)
        marks_ok &= all(grown.contains(Point(d.x, d.y)) for d in p.drill_holes)
        marks_ok &= all(grown.contains(LineString(ln.points)) for ln in p.lines)
        if not marks_ok:
            problems["marks_inside"].append(p.name)
    detail = {
        "valid_polygons": "every cut line a valid simple counter-clockwise polygon",
        "sew_inside_cut": "every sew line inside its cut line",
        "marks_inside": "grain, notches, drill holes and lines inside the piece",
    }
    return [
        {
            "name": k,
            "kind": "geometry",
            "ok": not v,
            "detail": detail[k] if not v else f"{detail[k]}: fails for {', '.join(v)}",
        }
        for k, v in problems.items()
    ]
