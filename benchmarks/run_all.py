"""Run every benchmark script in this folder (``make bench``), one after another.

Each script prints the project's figure next to its anchor (a peer tool or the best-known
result) as a ratio, and writes its table under ``docs/benchmarks/``. Pass script names to run
only those: ``python benchmarks/run_all.py marker_nesting plan_salbp``. Arguments after ``--``
are passed to every script.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    scripts = sorted(p for p in HERE.glob("*_*.py") if p.name != "run_all.py" and not p.name.startswith("_") and not p.stem.endswith("_common"))
    if argv:
        wanted = {a.removesuffix(".py") for a in argv}
        scripts = [p for p in scripts if p.stem in wanted]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *extra])
        print(f"=== {script.name}: exit {rc}, {time.perf_counter() - t0:.1f} s ===", flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
