"""Speed of yuefang's shirt against FreeSewing's Simon for the same body, in one run.

The claim (issue 4): yuefang drafts the men's shirt with its self-checks and renders its SVG in no
more time than FreeSewing 4 (``@freesewing/simon`` 4.10.x) takes to draft and render Simon for the
same body (ratio <= 1.0), and writes every export (SVG, A4 PDF, plot PDF, DXF-AAMA, HPGL,
pieces.json, report.json) in under 300 ms.

FreeSewing is installed with npm into ``benchmarks/.peer/freesewing/`` (git-ignored) when this
script runs and is not there yet; node times ``new Simon({measurements}).draft().render()`` in a
loop after a warm-up, and this script times ``draft`` + ``to_svg`` the same way in Python. Both
use the body of GB/T 1335 ``170/88A`` (men) from ``yuefang.measure``; FreeSewing's measurements
that yuefang has no name for are estimated from it (see ``freesewing_measurements``). The
median of ``--repeat`` runs is reported. Writes ``docs/benchmarks/pattern.md`` (the table) and,
with ``--pictures``, the two SVGs under ``docs/img/pattern/``.

Usage::

    .venv/bin/python benchmarks/pattern_vs_freesewing.py [--repeat 30] [--pictures] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEER = HERE / ".peer" / "freesewing"
DOC = REPO / "docs" / "benchmarks" / "pattern.md"
IMG = REPO / "docs" / "img" / "pattern"
SIMON_VERSION = "4.10"
LABEL, SEX = "170/88A", "male"

NODE_SCRIPT = r"""
import { Simon } from '@freesewing/simon'
import { writeFileSync } from 'node:fs'
const [measurements, repeat, svgOut] = [JSON.parse(process.argv[2]), Number(process.argv[3]), process.argv[4]]
const once = () => new Simon({ measurements, sa: 10 }).draft()
let pattern = once()
let svg = pattern.render()
for (let i = 0; i < 5; i++) once().render()  // warm-up
const times = []
const cpu = []
for (let i = 0; i < repeat; i++) {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  pattern = once()
  svg = pattern.render()
  const c1 = process.cpuUsage(c0)
  times.push(performance.now() - t0)
  cpu.push((c1.user + c1.system) / 1000)
}
if (svgOut) writeFileSync(svgOut, svg)
const errors = (pattern.store.logs?.error || []).length
console.log(JSON.stringify({ times, cpu, svg_bytes: svg.length, errors }))
"""


def write_section(doc: Path, key: str, title: str, lines: list[str]) -> None:
    """Replace this script's section of ``doc`` (between HTML comment markers), keeping the others."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Pattern benchmarks\n"
    block = "\n".join([start, f"## {title}", "", *lines, end])
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def freesewing_measurements(body: dict[str, float]) -> dict[str, float]:
    """FreeSewing's names (mm, degrees) from a yuefang body; the ones yuefang lacks are estimated."""
    return {
        "biceps": body["upper_arm_girth"],
        "chest": body["chest_girth"],
        "hips": body["hip_girth"],
        "waist": body["waist_girth"],
        "neck": body.get("neck_girth", body["neck_base_girth"] * 0.92),
        "hpsToWaistBack": body["back_waist_length"],
        "hpsToBust": 0.155 * body["stature"],  # estimated
        "shoulderToShoulder": body["shoulder_width"],
        "shoulderSlope": 13.0,  # degrees, estimated
        "waistToArmpit": 0.5 * body["back_waist_length"],  # estimated
        "waistToHips": body["waist_to_hip_length"],
        "shoulderToWrist": body["arm_length"],
        "wrist": body["wrist_girth"],
    }


def ensure_freesewing() -> bool:
    """Install Simon with npm into benchmarks/.peer/freesewing once; False when npm or node is absent."""
    if (PEER / "node_modules" / "@freesewing" / "plugin-transform").is_dir():
        return True
    if not shutil.which("npm") or not shutil.which("node"):
        print("npm/node not found: FreeSewing cannot be installed; skipping the peer")
        return False
    PEER.mkdir(parents=True, exist_ok=True)
    (PEER / "package.json").write_text('{"name": "yuefang-peer-freesewing", "private": true, "type": "module"}\n')
    pkgs = ("simon", "core", "plugin-transform", "config")  # simon 4.10 does not declare the last two
    cmd = ["npm", "install", "--no-audit", "--no-fund", *(f"@freesewing/{p}@{SIMON_VERSION}" for p in pkgs)]
    print("installing FreeSewing:", " ".join(cmd), flush=True)
    rc = subprocess.call(cmd, cwd=PEER)
    return rc == 0


def time_freesewing(measurements: dict[str, float], repeat: int, svg_out: Path | None) -> dict[str, object]:
    script = PEER / "bench_simon.mjs"
    script.write_text(NODE_SCRIPT)
    out = subprocess.run(
        ["node", str(script), json.dumps(measurements), str(repeat), str(svg_out or "")],
        cwd=PEER, capture_output=True, text=True, check=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {"median_ms": statistics.median(data["times"]), "min_ms": min(data["times"]),
            "cpu_median_ms": statistics.median(data["cpu"]), **data}


def time_yuefang(body: dict[str, float], repeat: int) -> dict[str, float]:
    from yuefang.pattern.export import export_all, to_svg
    from yuefang.pattern.products import get_product

    shirt = get_product("shirt")

    def draft_svg() -> str:
        return to_svg(shirt.draft(body, size=LABEL))

    for _ in range(5):
        draft_svg()
    t_draft, c_draft = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        draft_svg()
        t_draft.append((time.perf_counter() - t0) * 1000)
        c_draft.append((time.process_time() - c0) * 1000)
    pattern = shirt.draft(body, size=LABEL)
    export_all(pattern)
    t_all, c_all = [], []
    for _ in range(max(3, repeat // 3)):
        t0, c0 = time.perf_counter(), time.process_time()
        export_all(pattern)
        t_all.append((time.perf_counter() - t0) * 1000)
        c_all.append((time.process_time() - c0) * 1000)
    return {
        "draft_svg_median_ms": statistics.median(t_draft),
        "draft_svg_min_ms": min(t_draft),
        "export_all_median_ms": statistics.median(t_all),
        "draft_svg_cpu_median_ms": statistics.median(c_draft),
        "export_all_cpu_median_ms": statistics.median(c_all),
        "pieces": len(pattern.pieces),
        "ok": bool(pattern.report.get("ok")),
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--pictures", action="store_true", help="write both SVGs under docs/img/pattern/")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite docs/benchmarks/pattern.md")
    args = ap.parse_args(argv)

    try:
        from yuefang.measure import body_for_designation
        from yuefang.pattern.products import get_product

        get_product("shirt")
    except ImportError as exc:
        print(f"yuefang's shirt is not available yet ({exc}); nothing to measure")
        return 0
    body = body_for_designation(LABEL, SEX)
    ours = time_yuefang(body, args.repeat)
    peer: dict[str, object] | None = None
    if ensure_freesewing():
        svg_out = IMG / "freesewing-simon-170-88A.svg" if args.pictures else None
        if svg_out:
            svg_out.parent.mkdir(parents=True, exist_ok=True)
        peer = time_freesewing(freesewing_measurements(body), args.repeat, svg_out)
    if args.pictures:
        from yuefang.pattern.export import to_svg

        (IMG / "yuefang-shirt-170-88A.svg").write_text(to_svg(get_product("shirt").draft(body, size=LABEL)), encoding="utf-8")

    cores = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()} {cores} cores, load average {load:.1f}; python {platform.python_version()}")
    print(f"yuefang shirt draft + self-checks + SVG: median {ours['draft_svg_median_ms']:.1f} ms "
          f"(min {ours['draft_svg_min_ms']:.1f} ms), {ours['pieces']} pieces, self-checks ok={ours['ok']}")
    print(f"  CPU time: median {ours['draft_svg_cpu_median_ms']:.1f} ms")
    print(f"yuefang all exports (7 files): median {ours['export_all_median_ms']:.1f} ms, CPU {ours['export_all_cpu_median_ms']:.1f} ms "
          "(target < 300 ms)")
    ratio = cpu_ratio = None
    if peer:
        ratio = ours["draft_svg_median_ms"] / float(peer["median_ms"])  # type: ignore[arg-type]
        print(f"FreeSewing Simon {SIMON_VERSION}.x draft + render: median {float(peer['median_ms']):.1f} ms "
              f"(min {float(peer['min_ms']):.1f} ms), errors logged: {peer['errors']}")
        cpu_ratio = ours["draft_svg_cpu_median_ms"] / float(peer["cpu_median_ms"])  # type: ignore[arg-type]
        print(f"  CPU time: median {float(peer['cpu_median_ms']):.1f} ms")
        print(f"ratio yuefang / FreeSewing: {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target <= 1.0)")
    if not args.no_write:
        peer_ms = f"{float(peer['median_ms']):.1f}" if peer else "n/a"
        peer_cpu = f"{float(peer['cpu_median_ms']):.1f}" if peer else "n/a"
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if shutil.which("node") else "absent"
        lines = [
            f"Machine: {cores} cores, load average {load:.1f} when measured"
            + (" (a loaded, shared machine: absolute timings are pessimistic, the ratio is taken in the same run)"
               if load > (cores or 1) else "")
            + f"; Python {platform.python_version()}; node {node}.",
            f"Body: GB/T 1335 {LABEL} ({SEX}) from `yuefang.measure.body_for_designation`; medians of {args.repeat} runs.",
            "",
            "Wall time, and CPU time of the process (user + system), which a loaded machine inflates less.",
            "",
            "| what | yuefang | FreeSewing Simon 4.10 | ratio | target |",
            "| --- | --- | --- | --- | --- |",
            f"| shirt: draft + self-checks + SVG, wall | {ours['draft_svg_median_ms']:.1f} ms | {peer_ms} ms (draft + render) | "
            f"{f'{ratio:.2f}' if ratio is not None else 'n/a'} | <= 1.0 |",
            f"| shirt: draft + self-checks + SVG, CPU | {ours['draft_svg_cpu_median_ms']:.1f} ms | "
            f"{peer_cpu} ms | "
            f"{f'{cpu_ratio:.2f}' if cpu_ratio is not None else 'n/a'} | <= 1.0 |",
            f"| shirt: all 7 exports (SVG, A4 PDF, plot PDF, DXF-AAMA, HPGL, pieces.json, report.json) | "
            f"{ours['export_all_median_ms']:.1f} ms wall, {ours['export_all_cpu_median_ms']:.1f} ms CPU | — | — | < 300 ms |",
        ]
        write_section(DOC, "vs-freesewing", "Shirt against FreeSewing (`benchmarks/pattern_vs_freesewing.py`)", lines)
        print(f"wrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
