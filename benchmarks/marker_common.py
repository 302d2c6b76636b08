"""Helpers shared by the marker benchmarks (``marker_nesting.py``, ``marker_garments.py``).

The anchor of both is a plain spyrrow (sparrow) solve with its default configuration; this
runs it and turns its layout into the engine result yuefang's own assembly checks, so that
the two figures are measured the same way.
"""

from __future__ import annotations

import time

import spyrrow

from yuefang.marker.engine import EnginePlacement, EngineResult

__all__ = ["plain_spyrrow_result"]


def plain_spyrrow_result(
    instance: spyrrow.StripPackingInstance, *, time_limit_s: int, seed: int
) -> tuple[EngineResult, float]:
    """One plain spyrrow solve of ``instance``: (its layout as an EngineResult, wall seconds)."""
    t0 = time.perf_counter()
    sol = instance.solve(spyrrow.StripPackingConfig(total_computation_time=time_limit_s, seed=seed))
    wall = time.perf_counter() - t0
    result = EngineResult(
        placements=tuple(
            EnginePlacement(p.id, round(p.rotation % 360.0, 6) % 360.0, p.translation[0], p.translation[1])
            for p in sol.placed_items
        ),
        engine_length=float(sol.width),
        seed_used=seed,
    )
    return result, wall


if __name__ == "__main__":
    print("marker_common.py: helpers of marker_nesting.py and marker_garments.py; nothing to measure here")
