"""Nesting: lay the pieces of one or more order lines on the fabric, shortest marker first.

:func:`nest` takes patterns (``pieces.json``) and a :class:`~yuefang.marker.fabric.Fabric`;
:func:`nest_instance` takes a strip-packing instance in the jagua-rs/sparrow JSON format
(``../shared/benchmarks/nesting``). Both return a :class:`~yuefang.marker.model.Marker` whose
placements have been checked by :func:`~yuefang.marker.check.check_marker`, independently of
the engine.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from shapely.geometry import Polygon

from yuefang.marker.check import check_marker
from yuefang.marker.compact import compact_left
from yuefang.marker.engine import ENGINE_NAME, EngineItem, EnginePlacement, EngineResult, solve_strip
from yuefang.marker.errors import MarkerInputError, NestingEngineError
from yuefang.marker.fabric import Fabric
from yuefang.marker.model import Marker, MarkerPiece, Placement, transform_outline
from yuefang.marker.prepare import clean_ring, engine_shape, max_extent_across, prepare_order
from yuefang.pattern.model import Pattern

__all__ = ["nest", "nest_instance", "EXACT_FIT_SLACK_MM", "SIMPLIFY_ABOVE_VERTICES", "SIMPLIFY_MM"]

#: The engine rules out exact (zero-clearance) fits, e.g. a piece exactly as wide as the fabric;
#: the strip it sees is this much wider (mm), well inside the checker's 0.01 mm tolerance.
EXACT_FIT_SLACK_MM = 0.001
#: Outlines with more vertices than this are simplified (outwards only) for the engine.
SIMPLIFY_ABOVE_VERTICES = 120
#: Tolerance of that simplification (mm); the piece grows by at most this much.
SIMPLIFY_MM = 0.05
#: Time allowed for left compaction after the engine: the larger of these seconds and this
#: fraction of the time limit (the engine itself gets the whole time limit, whole seconds).
COMPACTION_BUDGET_S = 1.0
COMPACTION_BUDGET_FRACTION = 0.02


def _check_budget(time_limit_s: Any, seed: Any) -> tuple[float, int]:
    if isinstance(time_limit_s, bool) or not isinstance(time_limit_s, int | float) or not math.isfinite(time_limit_s):
        raise MarkerInputError("time_limit_s", time_limit_s, "a number of seconds >= 1")
    if time_limit_s < 1:
        raise MarkerInputError("time_limit_s", time_limit_s, "a number of seconds >= 1")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise MarkerInputError("seed", seed, "an integer >= 0")
    return float(time_limit_s), seed


def _compact(
    result: EngineResult, shapes: Mapping[str, tuple], deadline: float
) -> tuple[EngineResult, float]:
    """Slide the engine's layout to the left; returns the shifted result and the gain."""
    placed = [
        Polygon(transform_outline(shapes[ep.key], ep.rotation_deg, ep.x, ep.y)) for ep in result.placements
    ]
    before = max(p.bounds[2] for p in placed) - min(p.bounds[0] for p in placed)
    shifts = compact_left(placed, min_x=min(p.bounds[0] for p in placed), deadline=deadline)
    moved = tuple(
        EnginePlacement(ep.key, ep.rotation_deg, ep.x - d, ep.y) for ep, d in zip(result.placements, shifts, strict=True)
    )
    after = max(p.bounds[2] - d for p, d in zip(placed, shifts, strict=True)) - min(
        p.bounds[0] - d for p, d in zip(placed, shifts, strict=True)
    )
    return replace(result, placements=moved), before - after


def _finish(pieces: Sequence[MarkerPiece], solved: tuple[EngineResult, EngineResult, dict[str, object]], **kw: Any) -> Marker:
    """Assemble the compacted layout; if it fails the check, the engine's own layout."""
    compacted, raw, stats = solved
    if compacted is raw:
        return _assemble(pieces, raw, stats, **kw)
    try:
        return _assemble(pieces, compacted, stats, **kw)
    except NestingEngineError as exc:
        stats = {**stats, "compaction_rejected": str(exc)}
        return _assemble(pieces, raw, stats, **kw)


def _solve(
    items: list[EngineItem],
    strip: float,
    *,
    time_limit_s: float,
    seed: int,
    workers: int | None,
    runs: int,
    compact: bool,
    progress: Callable[[float], None] | None,
    name: str,
) -> tuple[EngineResult, EngineResult, dict[str, object]]:
    """Engine run(s) for ``time_limit_s``, then left compaction (a short, bounded pass).

    Returns the compacted result, the engine's own result and statistics.
    """
    started = time.monotonic()
    engine_budget = max(1.0, math.floor(time_limit_s + 1e-9))
    result = solve_strip(
        items, strip, time_limit_s=engine_budget, seed=seed, workers=workers, runs=runs, progress=progress, name=name
    )
    engine_s = time.monotonic() - started
    stats: dict[str, object] = {
        "engine_budget_s": engine_budget,
        "engine_s": round(engine_s, 3),
        "engine_length": result.engine_length,
        "engine_seed": result.seed_used,
        "runs": list(result.runs),
    }
    compacted = result
    if compact:
        shapes = {it.key: it.shape for it in items}
        deadline = time.monotonic() + max(COMPACTION_BUDGET_S, COMPACTION_BUDGET_FRACTION * time_limit_s)
        compacted, gain = _compact(result, shapes, deadline)
        stats["compaction_gain"] = gain
        stats["compaction_s"] = round(time.monotonic() - started - engine_s, 3)
    return compacted, result, stats


def _assemble(
    pieces: Sequence[MarkerPiece],
    result: EngineResult,
    stats: dict[str, object],
    *,
    width: float,
    y_shift: float,
    gap_mm: float,
    fabric: dict[str, object],
    seed: int,
    time_limit_s: float,
    spreading: str,
    units: str,
) -> Marker:
    by_key = {p.key: p for p in pieces}
    raw = []
    for ep in result.placements:
        piece = by_key[ep.key]
        outline = transform_outline(piece.outline, ep.rotation_deg, ep.x, ep.y + y_shift)
        raw.append((ep, piece, outline))
    # slide the layout to the start: its leftmost point at x = 0
    min_x = min(x for _, _, outline in raw for x, _ in outline)
    raw.sort(key=lambda r: (min(x for x, _ in r[2]), r[1].key))
    copies: dict[str, int] = defaultdict(int)
    placements = []
    for ep, piece, _ in raw:
        x, y = ep.x - min_x, ep.y + y_shift
        outline = transform_outline(piece.outline, ep.rotation_deg, x, y)
        placements.append(
            Placement(
                piece=piece.key,
                name=piece.name,
                copy=copies[piece.key],
                x_mm=x,
                y_mm=y,
                rotation_deg=ep.rotation_deg,
                mirrored=piece.mirrored,
                outline=outline,
            )
        )
        copies[piece.key] += 1
    length = max(x for pl in placements for x, _ in pl.outline)
    area = sum(by_key[pl.piece].area_mm2 for pl in placements)
    utilisation = area / (length * width) if length > 0 else 0.0
    marker = Marker(
        width_mm=width,
        length_mm=length,
        utilisation=min(1.0, utilisation),
        gap_mm=gap_mm,
        pieces=tuple(pieces),
        placements=tuple(placements),
        fabric=fabric,
        engine=ENGINE_NAME,
        seed=seed,
        time_limit_s=time_limit_s,
        spreading=spreading,
        units=units,
        stats=stats,
    )
    problems = check_marker(marker)
    if problems:
        raise NestingEngineError("the engine's layout failed the marker check: " + "; ".join(problems[:5]))
    return marker


def nest(
    order: Sequence[tuple[Pattern, int]],
    fabric: Fabric,
    *,
    time_limit_s: float,
    seed: int = 0,
    gap_mm: float = 0.0,
    spreading: str = "face_up",
    progress: Callable[[float], None] | None = None,
    workers: int | None = None,
    runs: int = 1,
    compact: bool = True,
) -> Marker:
    """Nest the pieces of ``order`` on ``fabric``, minimising the marker length.

    Parameters
    ----------
    order : sequence of (Pattern, int)
        Order lines: a pattern (``pieces.json``) and the number of garments of it in the marker.
        Several lines make a mixed marker (several sizes or garments).
    fabric : Fabric
        Usable width, nap, cross grain and shrinkage come from here.
    time_limit_s : float
        Wall-clock budget of the engine, s (whole seconds, >= 1). Left compaction then takes at
        most ``max(1 s, 2 %)`` more; the engine itself may overrun by a fraction of a second.
    seed : int
        Seed of the engine runs; same seed and time limit give the same marker as far as the
        engine's time-based search allows.
    gap_mm : float
        Minimum distance between two pieces, mm (pieces may still touch the selvedge line).
    spreading : {"face_up", "face_to_face"}
        See :func:`yuefang.marker.prepare.prepare_order`.
    progress : callable, optional
        Called with the elapsed fraction (0..1) of the budget while the engine runs.
    workers : int, optional
        CPU threads for the engine (default: the CPUs available, up to 4).
    runs : int
        Independent engine runs sharing those threads; the shortest layout wins.
    compact : bool
        Slide the engine's layout to the left before measuring it (inside the time limit).

    Returns
    -------
    Marker
        Checked marker: length, utilisation and every placement.

    Raises
    ------
    MarkerInputError
        Bad order, fabric, piece geometry (broken polygon, wider than the fabric) or options.
    """
    if not isinstance(fabric, Fabric):
        raise MarkerInputError("fabric", type(fabric).__name__, "a yuefang.marker.Fabric")
    time_limit_s, seed = _check_budget(time_limit_s, seed)
    if isinstance(gap_mm, bool) or not isinstance(gap_mm, int | float) or not (0 <= gap_mm <= 100):
        raise MarkerInputError("gap_mm", gap_mm, "a number of mm from 0 to 100")
    pieces = prepare_order(order, fabric, spreading=spreading)
    width = fabric.usable_width_mm
    items = []
    for p in pieces:
        simplify = SIMPLIFY_MM if len(p.outline) > SIMPLIFY_ABOVE_VERTICES else 0.0
        items.append(
            EngineItem(
                key=p.key,
                shape=engine_shape(p.outline, gap_mm=float(gap_mm), simplify_mm=simplify),
                demand=p.demand,
                orientations=p.allowed_rotations_deg,
            )
        )
    strip = width + float(gap_mm) + EXACT_FIT_SLACK_MM
    solved = _solve(
        items,
        strip,
        time_limit_s=time_limit_s,
        seed=seed,
        workers=workers,
        runs=runs,
        compact=compact,
        progress=progress,
        name="marker",
    )
    return _finish(
        pieces,
        solved,
        width=width,
        y_shift=-(float(gap_mm) + EXACT_FIT_SLACK_MM) / 2.0,
        gap_mm=float(gap_mm),
        fabric=fabric.model_dump(),
        seed=seed,
        time_limit_s=time_limit_s,
        spreading=spreading,
        units="mm",
    )


def _instance_pieces(instance: Mapping[str, Any], strip_height: float) -> list[MarkerPiece]:
    items = instance.get("items")
    if not isinstance(items, list) or not items:
        raise MarkerInputError("instance.items", items if items is None else type(items).__name__, "a non-empty list")
    pieces = []
    for i, item in enumerate(items):
        field = f"instance.items[{i}]"
        if not isinstance(item, Mapping):
            raise MarkerInputError(field, type(item).__name__, "an object with shape, demand, allowed_orientations")
        demand = item.get("demand", 1)
        if isinstance(demand, bool) or not isinstance(demand, int) or demand < 1:
            raise MarkerInputError(f"{field}.demand", demand, "an integer >= 1")
        shape = item.get("shape")
        if not isinstance(shape, Mapping):
            raise MarkerInputError(f"{field}.shape", shape, "an object {type, data}")
        kind = shape.get("type")
        data = shape.get("data")
        if kind == "simple_polygon":
            ring = data
        elif kind == "polygon" and isinstance(data, Mapping):
            ring = data.get("outer")  # holes are ignored, as by the engine
        elif kind == "rectangle" and isinstance(data, Mapping):
            x, y = float(data.get("x_min", 0)), float(data.get("y_min", 0))
            w, h = float(data["width"]), float(data["height"])
            ring = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        else:
            raise MarkerInputError(f"{field}.shape.type", kind, "simple_polygon, polygon or rectangle")
        if not isinstance(ring, list):
            raise MarkerInputError(f"{field}.shape.data", type(ring).__name__, "a list of [x, y] points")
        poly = clean_ring(ring, f"{field}.shape.data")
        orients = item.get("allowed_orientations")
        if orients is None:
            rotations: tuple[float, ...] = ()
            across = min(max_extent_across(poly, [a]) for a in range(0, 180))
        else:
            try:
                rotations = tuple(sorted({round(float(r) % 360.0, 6) for r in orients})) or (0.0,)
            except (TypeError, ValueError):
                raise MarkerInputError(f"{field}.allowed_orientations", orients, "a list of angles in degrees") from None
            across = max_extent_across(poly, rotations)
        if across >= strip_height:
            raise MarkerInputError(
                f"{field}.shape",
                f"{across:g} across",
                f"less than the strip height {strip_height:g} in some allowed orientation",
            )
        outline = tuple((float(x), float(y)) for x, y in list(poly.exterior.coords)[:-1])
        key = str(item.get("id", i))
        pieces.append(
            MarkerPiece(
                key=key,
                order_line=0,
                name=key,
                label=str(item.get("dxf", "")),
                demand=demand,
                allowed_rotations_deg=rotations,
                outline=outline,
                area_mm2=float(Polygon(outline).area),
            )
        )
    if len({p.key for p in pieces}) != len(pieces):
        raise MarkerInputError("instance.items[].id", [p.key for p in pieces], "unique ids")
    return pieces


def nest_instance(
    instance: Mapping[str, Any],
    *,
    time_limit_s: float,
    seed: int = 0,
    strip_height: float | None = None,
    progress: Callable[[float], None] | None = None,
    workers: int | None = None,
    runs: int = 1,
    compact: bool = True,
) -> Marker:
    """Nest a strip-packing instance (jagua-rs/sparrow JSON, parsed) in its strip.

    Parameters
    ----------
    instance : mapping
        ``{"name", "strip_height", "items": [{"id", "demand", "allowed_orientations", "shape"}]}``;
        an omitted ``allowed_orientations`` means free rotation. Lengths are unitless and are
        reported as if they were mm.
    time_limit_s, seed, progress, workers, runs, compact
        As for :func:`nest`.
    strip_height : float, optional
        Overrides the instance's strip height (e.g. 38 instead of the inflated 38.0038).

    Returns
    -------
    Marker
    """
    time_limit_s, seed = _check_budget(time_limit_s, seed)
    if not isinstance(instance, Mapping):
        raise MarkerInputError("instance", type(instance).__name__, "a JSON object (dict)")
    height = instance.get("strip_height") if strip_height is None else strip_height
    if isinstance(height, bool) or not isinstance(height, int | float) or not math.isfinite(height) or height <= 0:
        raise MarkerInputError("strip_height", height, "a number > 0")
    pieces = _instance_pieces(instance, float(height))
    # an empty orientation list stands for free rotation (None for the engine)
    items = [EngineItem(p.key, p.outline, p.demand, p.allowed_rotations_deg or None) for p in pieces]
    solved = _solve(
        items,
        float(height),
        time_limit_s=time_limit_s,
        seed=seed,
        workers=workers,
        runs=runs,
        compact=compact,
        progress=progress,
        name=str(instance.get("name", "instance")),
    )
    return _finish(
        pieces,
        solved,
        width=float(height),
        y_shift=0.0,
        gap_mm=0.0,
        fabric={"name": str(instance.get("name", "instance")), "strip_height": float(height)},
        seed=seed,
        time_limit_s=time_limit_s,
        spreading="face_up",
        units="instance units",
    )
