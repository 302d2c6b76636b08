"""Adapter to the nesting engine, sparrow (through its Python bindings ``spyrrow``).

What this module adds on top of one plain ``spyrrow`` call with the same time budget:

* **optional portfolio of independent runs** (``runs > 1``): the CPU threads are shared among
  engine runs in parallel Python threads (the engine releases the GIL), each with its own seed,
  and the best layout wins. In a short test on 2 cores (shirts, 15 s, 3 seeds, loaded machine)
  one run with 2 threads beat the best of two 1-thread runs (median 63.06 against 63.81), so the
  default is one run with every available CPU;
* **progress** as the elapsed fraction of the time budget (the engine's own report queue is
  not used: the engine call is then exactly a plain ``spyrrow`` call).

Engine settings, measured in paired runs against plain spyrrow (``benchmarks/marker_engine_options.py``,
``docs/benchmarks/marker.md``): the call keeps spyrrow's defaults, because none of the others
beat them beyond the run-to-run spread of one setting (about +-1 % density at 15-30 s on the loaded
2-core machine). ``early_termination`` never fired at 15-90 s (the engine always used its whole
budget: it needs 10 failed separations in a row, and at most 7 were seen), and turning it off
(which also changes the compression step decay from failure-based to time-based) came out level
or slightly worse (paired median ~0.998); 90 % exploration instead of 80 % was level; one thread
instead of two was level under load 6-9; the default thread count is already every logical CPU.

The callers (:mod:`yuefang.marker.nest`) then compact the layout to the left
(:mod:`yuefang.marker.compact`) and measure the length on the real outlines.

The engine aborts (panics) on a piece that does not fit across the strip and on broken
polygons; callers validate with :mod:`yuefang.marker.prepare` first. A panic that still
happens is turned into :class:`NestingEngineError`.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import spyrrow

from yuefang.marker.errors import NestingEngineError
from yuefang.marker.model import Pt

__all__ = ["EngineItem", "EnginePlacement", "EngineResult", "solve_strip", "ENGINE_NAME", "default_workers"]

ENGINE_NAME = f"sparrow (spyrrow {getattr(spyrrow, '__version__', '0.9')})"


@dataclass(frozen=True)
class EngineItem:
    """One kind of item for the engine (shape in its own frame, rotated about (0, 0))."""

    key: str
    shape: tuple[Pt, ...]
    demand: int
    orientations: tuple[float, ...] | None  # None: free rotation


@dataclass(frozen=True)
class EnginePlacement:
    key: str
    rotation_deg: float
    x: float
    y: float


@dataclass(frozen=True)
class EngineResult:
    """The best layout found: placements and the engine's own strip length."""

    placements: tuple[EnginePlacement, ...]
    engine_length: float
    seed_used: int
    runs: tuple[dict, ...] = field(default_factory=tuple)


def default_workers() -> int:
    """CPU threads for the engine: the CPUs this process may use, at most 4."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 4))


def _norm_rotation(r: float) -> float:
    r = round(float(r) % 360.0, 6)
    return 0.0 if r == 360.0 else r


def solve_strip(
    items: Sequence[EngineItem],
    strip_height: float,
    *,
    time_limit_s: float,
    seed: int = 0,
    workers: int | None = None,
    runs: int = 1,
    progress: Callable[[float], None] | None = None,
    name: str = "marker",
) -> EngineResult:
    """Nest ``items`` in a strip of height ``strip_height``, minimising its length.

    Parameters
    ----------
    items : sequence of EngineItem
        Validated shapes (simple, counter-clockwise polygons that fit across the strip).
    strip_height : float
        The fixed dimension (fabric width), same unit as the shapes.
    time_limit_s : float
        Wall-clock budget for the engine runs (whole seconds; at least 1).
    seed : int
        Run ``k`` of the portfolio uses engine seed ``seed + 1000 * k``.
    workers : int, optional
        CPU threads for the engine (default: the engine's own choice, every logical CPU, for
        one run; the CPUs this process may use, up to 4, shared among several runs).
    runs : int
        Independent engine runs in parallel, sharing the threads; the best layout wins.
    progress : callable, optional
        Called with the elapsed fraction of the budget (0..1), about 4 times a second.

    Returns
    -------
    EngineResult
    """
    budget = max(1, int(math.floor(time_limit_s + 1e-9)))
    n_runs = max(1, int(runs))
    # one run with no thread count asked: the engine's own default (every logical CPU), so
    # that the call is exactly a plain spyrrow call
    threads_per_run: int | None = None
    if workers is not None or n_runs > 1:
        threads_per_run = max(1, (workers or default_workers()) // n_runs)
    sp_items = [spyrrow.Item(it.key, list(it.shape), int(it.demand), None if it.orientations is None else list(it.orientations)) for it in items]
    instance = spyrrow.StripPackingInstance(name, float(strip_height), sp_items)
    results: list[spyrrow.StripPackingSolution | None] = [None] * n_runs
    errors: list[BaseException | None] = [None] * n_runs

    def run(k: int) -> None:
        cfg = spyrrow.StripPackingConfig(
            total_computation_time=budget,
            seed=seed + 1000 * k,
            num_workers=threads_per_run,
        )
        try:
            results[k] = instance.solve(cfg)
        except BaseException as exc:  # pyo3 PanicException derives from BaseException
            errors[k] = exc

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(n_runs)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if progress is not None:
            progress(min(1.0, (time.monotonic() - started) / budget))
        for t in threads:
            t.join(timeout=0.25)
    for t in threads:
        t.join()
    if progress is not None:
        progress(1.0)

    run_log: list[dict] = []
    best_k, best_length = -1, math.inf
    for k in range(n_runs):
        sol = results[k]
        run_log.append(
            {
                "seed": seed + 1000 * k,
                "length": None if sol is None else float(sol.width),
                "error": None if errors[k] is None else str(errors[k]),
            }
        )
        if sol is not None and (best_k < 0 or sol.width < best_length):
            best_k, best_length = k, sol.width
    if best_k < 0:
        raise NestingEngineError(f"the nesting engine found no layout: {run_log[0]['error']}")
    best = results[best_k]
    assert best is not None
    placements = tuple(
        EnginePlacement(
            key=p.id, rotation_deg=_norm_rotation(p.rotation), x=float(p.translation[0]), y=float(p.translation[1])
        )
        for p in best.placed_items
    )
    return EngineResult(
        placements=placements, engine_length=float(best.width), seed_used=seed + 1000 * best_k, runs=tuple(run_log)
    )
