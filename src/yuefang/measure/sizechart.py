"""An enterprise's size chart and the fit of a body to it.

A chart maps size labels to body measurements (or finished garment measurements, with the
garment type, whose ease is then taken off) with tolerances in mm. For a body the platform
recommends a size, shows the fit of each measurement (tight / good / loose, by how much beyond
the tolerance) and says when the body falls between sizes or outside the chart (then
made-to-measure is needed).

CSV form (wide, one row per size, mm)::

    size,chest_girth,chest_girth_tolerance,waist_girth,waist_girth_tolerance
    S,880,20,740,20

JSON form::

    {"name": "shirts 2026", "basis": "body", "default_tolerance_mm": 20,
     "sizes": {"S": {"chest_girth": 880, "waist_girth": {"value": 740, "tolerance": 20}}}}

Examples
--------
>>> chart = SizeChart.from_csv_text("size,chest_girth,waist_girth\\nS,880,740\\nM,920,780\\nL,960,820\\n")
>>> fit = fit_size_chart(chart, {"chest_girth": 915, "waist_girth": 790})
>>> fit.recommended, fit.between_sizes, fit.outside_chart
('M', False, False)
>>> fit_size_chart(chart, {"chest_girth": 1100, "waist_girth": 900}).made_to_measure
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yuefang.measure.vocabulary import MEASUREMENTS

__all__ = ["SizeSpec", "SizeChart", "MeasurementFit", "SizeFit", "fit_size_chart", "SizeChartError"]

_TOL_SUFFIXES = ("_tolerance", "_tol")


class SizeChartError(ValueError):
    """A size chart could not be read; the message names the field, value and what is allowed."""


@dataclass(frozen=True)
class SizeSpec:
    """One size: ``label`` and ``measurements`` name -> (value mm, tolerance mm, ±)."""

    label: str
    measurements: dict[str, tuple[float, float]]


def _number(where: str, value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise SizeChartError(f"{where}: {value!r} is not a number; allowed: a number in mm") from None
    if not x > 0:
        raise SizeChartError(f"{where}: {value!r} is not allowed; allowed: a positive number in mm")
    return x


@dataclass(frozen=True)
class SizeChart:
    """An enterprise's size chart.

    Attributes
    ----------
    sizes : tuple of SizeSpec
        In the chart's order (smallest first, usually).
    basis : {"body", "garment"}
        Whether the values are body measurements or finished garment measurements.
    garment_type : str or None
        For ``basis="garment"``: the garment type whose ease is taken off (see ``EASE``).
    name : str
    """

    sizes: tuple[SizeSpec, ...]
    basis: str = "body"
    garment_type: str | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.basis not in ("body", "garment"):
            raise SizeChartError(f"basis: {self.basis!r} is not allowed; allowed: 'body', 'garment'")
        if self.basis == "garment":
            from yuefang.measure.garment import EASE

            if self.garment_type not in EASE:
                raise SizeChartError(f"garment_type: {self.garment_type!r} is not allowed for a garment chart; "
                                     f"allowed: {', '.join(EASE)}")
        if not self.sizes:
            raise SizeChartError("sizes: the chart has no size; allowed: at least one size")
        labels = [s.label for s in self.sizes]
        dup = {x for x in labels if labels.count(x) > 1}
        if dup:
            raise SizeChartError(f"size: {sorted(dup)[0]!r} appears twice; allowed: unique size labels")
        for s in self.sizes:
            for name in s.measurements:
                if name not in MEASUREMENTS:
                    raise SizeChartError(f"{name}: unknown measurement in size {s.label!r}; allowed: names of "
                                         "yuefang.measure.MEASUREMENTS (ISO 8559-1, mm)")

    @classmethod
    def from_csv_text(cls, text: str, *, basis: str = "body", garment_type: str | None = None,
                      name: str = "", default_tolerance_mm: float = 20.0) -> SizeChart:
        """Parse the wide CSV form (``size`` column, measurement columns, ``<name>_tolerance``)."""
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        cols = [c.strip() for c in (reader.fieldnames or [])]
        label_col = next((c for c in ("size", "label") if c in cols), None)
        if label_col is None:
            raise SizeChartError(f"size: no 'size' column; allowed: a 'size' column, then measurement columns "
                                 f"(got {', '.join(cols)})")
        sizes = []
        for line, rec in enumerate(reader, start=2):
            rec = {(k or "").strip(): (v or "").strip() for k, v in rec.items()}
            ms: dict[str, tuple[float, float]] = {}
            for c, v in rec.items():
                if c == label_col or c.endswith(_TOL_SUFFIXES) or v == "":
                    continue
                tol_raw = next((rec.get(c + s) for s in _TOL_SUFFIXES if rec.get(c + s)), None)
                tol = _number(f"line {line}, {c}_tolerance", tol_raw) if tol_raw else default_tolerance_mm
                ms[c] = (_number(f"line {line}, {c}", v), tol)
            sizes.append(SizeSpec(rec[label_col], ms))
        return cls(tuple(sizes), basis, garment_type, name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SizeChart:
        """Parse the JSON form (``sizes`` as a mapping label -> measurements, or a list of
        ``{"label", "measurements"}``); a measurement is a number or ``{"value", "tolerance"}``."""
        if not isinstance(data, Mapping) or "sizes" not in data:
            raise SizeChartError("sizes: missing; allowed: {'sizes': {label: {measurement: mm | {value, tolerance}}}}")
        default_tol = float(data.get("default_tolerance_mm", 20.0))
        raw = data["sizes"]
        items = raw.items() if isinstance(raw, Mapping) else ((d.get("label"), d.get("measurements", {})) for d in raw)
        sizes = []
        for label, ms in items:
            out: dict[str, tuple[float, float]] = {}
            for k, v in ms.items():
                if isinstance(v, Mapping):
                    out[k] = (_number(f"{label}.{k}.value", v.get("value")),
                              _number(f"{label}.{k}.tolerance", v.get("tolerance", default_tol)))
                else:
                    out[k] = (_number(f"{label}.{k}", v), default_tol)
            sizes.append(SizeSpec(str(label), out))
        return cls(tuple(sizes), data.get("basis", "body"), data.get("garment_type"), data.get("name", ""))

    def to_dict(self) -> dict:
        return {"name": self.name, "basis": self.basis, "garment_type": self.garment_type,
                "sizes": {s.label: {k: {"value": v, "tolerance": t} for k, (v, t) in s.measurements.items()}
                          for s in self.sizes}}


@dataclass(frozen=True)
class MeasurementFit:
    """Fit of one measurement in one size: ``fit`` is ``tight``, ``good`` or ``loose``; ``by_mm`` is how
    far beyond the tolerance (0 when good); ``difference_mm`` is body minus the size's body value."""

    name: str
    body_mm: float
    size_mm: float
    tolerance_mm: float
    fit: str
    by_mm: float
    difference_mm: float

    def to_dict(self) -> dict:
        return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SizeFit:
    """Result of :func:`fit_size_chart`.

    Attributes
    ----------
    recommended : str
        The size with the smallest misfit beyond tolerance.
    fits : list of MeasurementFit
        Per measurement, in the recommended size.
    by_size : dict
        Size label -> list of MeasurementFit.
    between_sizes : bool
        No size fits every measurement, but the body is inside the chart.
    outside_chart : bool
        Some measurement is beyond the chart's smallest or largest size (with tolerance).
    made_to_measure : bool
        No size fits every measurement well: made-to-measure is advised.
    alternatives : list of str
        The next best sizes (when between sizes).
    notes : list of str
    """

    recommended: str
    fits: list[MeasurementFit]
    by_size: dict[str, list[MeasurementFit]]
    between_sizes: bool
    outside_chart: bool
    made_to_measure: bool
    alternatives: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"recommended": self.recommended, "fits": [f.to_dict() for f in self.fits],
                "between_sizes": self.between_sizes, "outside_chart": self.outside_chart,
                "made_to_measure": self.made_to_measure, "alternatives": list(self.alternatives),
                "notes": list(self.notes),
                "by_size": {k: [f.to_dict() for f in v] for k, v in self.by_size.items()}}


def fit_size_chart(chart: SizeChart, body: Any, sex: str | None = None) -> SizeFit:
    """Fit a body to a size chart.

    Parameters
    ----------
    chart : SizeChart
    body : mapping or CompletedBody
        Body measurements in mm (a ``CompletedBody``'s ``values`` are used). On women's bodies a
        chart's ``chest_girth`` is compared with ``bust_girth``.
    sex : str, optional
        Only to map chest/bust when ``body`` is a plain mapping with ``bust_girth``.

    Returns
    -------
    SizeFit
    """
    values = dict(body) if isinstance(body, Mapping) else dict(body.values)
    if "bust_girth" in values and "chest_girth" not in values:
        values["chest_girth"] = values["bust_girth"]
    ease: dict[str, tuple[float, float]] = {}
    if chart.basis == "garment":
        from yuefang.measure.garment import EASE

        ease = EASE[chart.garment_type or ""]
    used = sorted({n for s in chart.sizes for n in s.measurements if n in values})
    if not used:
        raise SizeChartError("body: none of the chart's measurements is in the body; allowed: a body with "
                             + ", ".join(sorted({n for s in chart.sizes for n in s.measurements})))
    by_size: dict[str, list[MeasurementFit]] = {}
    score: dict[str, float] = {}
    notes: list[str] = []
    for s in chart.sizes:
        fits = []
        total = 0.0
        for name in used:
            if name not in s.measurements:
                continue
            value, tol = s.measurements[name]
            target = value - (ease[name][0] if name in ease else 0.0)
            b = float(values[name])
            d = b - target
            excess = max(0.0, abs(d) - tol)
            verdict = "good" if excess == 0 else ("tight" if d > 0 else "loose")
            fits.append(MeasurementFit(name, b, target, tol, verdict, excess, d))
            total += (excess / tol) ** 2 + 1e-3 * (d / tol) ** 2
        by_size[s.label] = fits
        score[s.label] = total
    order = sorted(score, key=lambda k: score[k])
    best = order[0]
    all_good = [lab for lab in order if all(f.fit == "good" for f in by_size[lab])]
    outside = False
    for name in used:
        tops = [s.measurements[name][0] + s.measurements[name][1] - (ease[name][0] if name in ease else 0.0)
                for s in chart.sizes if name in s.measurements]
        bottoms = [s.measurements[name][0] - s.measurements[name][1] - (ease[name][0] if name in ease else 0.0)
                   for s in chart.sizes if name in s.measurements]
        if float(values[name]) > max(tops):
            outside = True
            notes.append(f"{name}: {values[name]:.0f} mm is above the largest size ({max(tops):.0f} mm with tolerance)")
        elif float(values[name]) < min(bottoms):
            outside = True
            notes.append(f"{name}: {values[name]:.0f} mm is below the smallest size ({min(bottoms):.0f} mm with tolerance)")
    between = not all_good and not outside
    if between:
        notes.append("the body falls between sizes: no size fits every measurement")
    mtm = not all_good
    if mtm:
        notes.append("made-to-measure is advised")
    return SizeFit(best, by_size[best], by_size, between, outside, mtm,
                   [lab for lab in order[1:3]] if between else [], notes)
