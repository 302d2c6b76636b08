"""What every garment shares: the product object, option and input parsing, ease, scale.

A garment module defines an options model (Pydantic, defaults and bounds), the measurements it
reads and a ``_draft(body, options, ...)`` function; :class:`GarmentProduct` wraps them into the
registry's ``PRODUCT`` with the ``draft(inputs, options, *, size, order_line)`` contract.

Examples
--------
>>> body_scale(1.0), body_scale(0.1 / 0.6) < 1.0, body_scale(3.0) > 1.0
(1.0, True, True)
>>> resolve_ease(None, 8.0, 1000.0, 120.0, "chest_ease")
80.0
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from yuefang.pattern.draft.checks import pieces_valid
from yuefang.pattern.errors import DraftError, InputError, OptionError, PatternError
from yuefang.pattern.model import Pattern, Piece

__all__ = [
    "Fit",
    "GarmentOptions",
    "GarmentProduct",
    "body_scale",
    "resolve_ease",
    "parse_options",
    "parse_inputs",
    "mirror_points",
    "line_points",
    "check_range",
]

Fit = Literal["slim", "regular", "loose"]


class GarmentOptions(BaseModel):
    """Base of every garment's options: frozen, unknown options refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fit: Fit = Field("regular", description="slim / regular / loose: sets the default ease at every girth")
    sa_mm: float = Field(10.0, ge=0, le=40, description="seam allowance of every seam not given its own, mm")


def body_scale(ratio: float) -> float:
    """Scale of a draft's fixed constants for a body ``ratio`` times the reference body.

    Constants of a drafting system (a 30 mm button stand, a 60 mm cuff) hold for adult bodies; for
    bodies far outside the adult range (a doll at 1/10, a giant at 3x, FreeSewing's test bodies)
    they scale with the body so that the pieces keep their shape. The scale is 1 between 0.6 and
    1.6 times the reference and continuous outside.
    """
    if ratio < 0.6:
        return ratio / 0.6
    if ratio > 1.6:
        return ratio / 1.6
    return 1.0


def resolve_ease(ease_mm: float | None, ease_pct: float | None, girth_mm: float, default_mm: float, name: str) -> float:
    """The ease at a girth (mm): given in mm, or as a percentage of the body girth, or the fit's default.

    Raises
    ------
    OptionError
        When both the mm and the percentage are given.
    """
    if ease_mm is not None and ease_pct is not None:
        raise OptionError(
            f"{name}_mm", ease_mm, f"either {name}_mm or {name}_pct, not both (got {name}_pct={ease_pct})"
        )
    if ease_mm is not None:
        return float(ease_mm)
    if ease_pct is not None:
        return float(ease_pct) / 100.0 * girth_mm
    return float(default_mm)


def check_range(field: str, value: float, lo: float, hi: float) -> None:
    """Refuse a body-dependent option outside ``[lo, hi]`` (mm)."""
    if not (lo <= value <= hi):
        raise OptionError(field, value, f"between {lo:.0f} and {hi:.0f} mm for this body")


def _allowed_text(model: type[BaseModel], field: str) -> str:
    info = model.model_fields.get(field)
    if info is None:
        return "one of the options: " + ", ".join(sorted(model.model_fields))
    ann = info.annotation
    args = typing.get_args(ann)
    lits = [a for a in args if typing.get_origin(a) is Literal] or ([ann] if typing.get_origin(ann) is Literal else [])
    if lits:
        return "one of " + ", ".join(str(v) for lit in lits for v in typing.get_args(lit))
    lo = hi = None
    for m in info.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
        hi = getattr(m, "lt", None) if getattr(m, "lt", None) is not None else hi
    if bool in args or ann is bool:
        return "true or false"
    parts = []
    if lo is not None:
        parts.append(f"from {lo}")
    if hi is not None:
        parts.append(f"to {hi}")
    unit = " mm" if field.endswith("_mm") else (" %" if field.endswith("_pct") else "")
    nullable = " (or null for the default)" if type(None) in args else ""
    return (" ".join(parts) + unit + nullable) if parts else f"a value of type {ann}"


def parse_options(model: type[BaseModel], options: Mapping[str, object] | None) -> Any:
    """Validate options into ``model``; a bad one raises :class:`OptionError`."""
    try:
        return model.model_validate(dict(options or {}))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "options"
        value = err.get("input")
        raise OptionError(
            field,
            value,
            _allowed_text(model, field),
            f"option {field}: {value!r} is not allowed ({err['msg']}); allowed: {_allowed_text(model, field)}",
        ) from None


@functools.cache
def inputs_model_for(product_id: str, measurements: tuple[str, ...]) -> type[BaseModel]:
    """A Pydantic model of the body: every measurement a positive number of mm, plus ``sex``."""
    fields: dict[str, Any] = {
        m: (float, Field(gt=0, description=f"{m}, mm (ISO 8559-1 name)")) for m in measurements
    }
    fields["sex"] = (Literal["male", "female"] | None, None)
    return create_model(
        f"{product_id.title()}Inputs", __config__=ConfigDict(extra="ignore", frozen=True), **fields
    )


def parse_inputs(measurements: tuple[str, ...], inputs: Mapping[str, float | str]) -> dict[str, float]:
    """The measurements a garment reads, checked: present, finite and positive (mm)."""
    body: dict[str, float] = {}
    for m in measurements:
        if m not in inputs or inputs[m] is None:
            raise InputError(m, None, "a positive body measurement in mm", f"input {m}: missing; this garment needs "
                             f"{', '.join(measurements)} (mm)")
        v = inputs[m]
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise InputError(m, v, "a positive number of mm") from None
        if not np.isfinite(f) or f <= 0:
            raise InputError(m, v, "a positive number of mm")
        body[m] = f
    return body


def line_points(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """The straight line from point ``a`` to point ``b`` (mm) as a 2 x 2 float array.

    Examples
    --------
    >>> line_points((0, 0), (10, 5)).tolist()
    [[0.0, 0.0], [10.0, 5.0]]
    """
    return np.array([a, b], dtype=float)


def mirror_points(pts: np.ndarray) -> np.ndarray:
    """Mirror a polyline about the y axis (x -> -x)."""
    out = np.array(pts, dtype=float, copy=True)
    out[:, 0] *= -1.0
    return out


@dataclass(frozen=True)
class GarmentProduct:
    """A garment in the registry (see :mod:`yuefang.pattern.products`)."""

    id: str
    name_en: str
    name_zh: str
    measurements: tuple[str, ...]
    options_model: type[GarmentOptions]
    drafter: Callable[..., tuple[list[Piece], list[dict[str, object]], dict[str, object]]]
    kind: str = "garment"

    @property
    def inputs_model(self) -> type[BaseModel]:
        return inputs_model_for(self.id, self.measurements)

    def draft(
        self,
        inputs: Mapping[str, float | str],
        options: Mapping[str, object] | None = None,
        *,
        size: str | None = None,
        order_line: str | None = None,
    ) -> Pattern:
        """Draft every piece for one body and its options; self-checks in ``Pattern.report``.

        Parameters
        ----------
        inputs
            Body measurements by ISO 8559-1 name, mm (extra names are ignored).
        options
            Style options (see ``options_model``); missing ones take their defaults.
        size, order_line
            The size label (e.g. ``"170/88A"``) or the order line the pattern is cut for.

        Raises
        ------
        InputError
            A measurement the garment reads is missing or not a positive number.
        OptionError
            An option outside its allowed range or set.
        """
        body = parse_inputs(self.measurements, inputs)
        opts = parse_options(self.options_model, options)
        try:
            pieces, checks, extra = self.drafter(body, opts)
        except PatternError:
            raise
        except (ValueError, ArithmeticError) as exc:
            # geometry that cannot be drawn (a piece crossing itself, a seam that cannot be trued)
            given = {k: getattr(opts, k) for k in sorted(opts.model_fields_set)}
            if given:
                raise OptionError(
                    ", ".join(given), given, "options that give drawable pieces for this body",
                    f"option {', '.join(given)}: {given!r} cannot be drafted for this body ({exc}); "
                    "allowed: options that give drawable pieces for this body (try the defaults)",
                ) from exc
            raise DraftError("inputs", dict(body), "a body this garment can be drawn for",
                             f"input: this body cannot be drafted as a {self.id} ({exc})") from exc
        from yuefang.pattern.draft.checks import report

        failed = [c for c in checks if not c["ok"]]
        if failed and opts.model_fields_set:
            # the draft cannot meet its own checks: refuse the options if the defaults would have met them
            _, default_checks, _ = self.drafter(body, self.options_model.model_validate({}))
            if all(c["ok"] for c in default_checks):
                given = {k: getattr(opts, k) for k in sorted(opts.model_fields_set)}
                what = "; ".join(f"{c['name']} off by {c['error_mm']} mm" for c in failed[:3])
                raise OptionError(
                    ", ".join(given), given, "options whose seams and girths this body can meet",
                    f"option {', '.join(given)}: {given!r} cannot be met for this body ({what}); "
                    "allowed: options whose seams and girths this body can meet (the defaults can)",
                )
        bad = pieces_valid(pieces)
        checks.append(
            {"name": "pieces_valid_simple", "kind": "geometry", "value_mm": float(len(bad)), "target_mm": 0.0,
             "error_mm": float(len(bad)), "tolerance_mm": 0.0, "ok": not bad, "bad_pieces": bad}
        )
        opt_dump = {k: v for k, v in opts.model_dump().items() if v is not None}
        return Pattern(
            product=self.id,
            size=size,
            order_line=order_line,
            inputs={k: v for k, v in inputs.items() if isinstance(v, int | float | str)},
            options=opt_dump,
            pieces=tuple(pieces),
            report=report(checks, extra),
        )
