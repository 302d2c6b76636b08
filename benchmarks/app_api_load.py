"""API load: concurrent clients on loopback create orders and read order lists.

Prints requests/s and p50/p99 latency for yuefang on SQLite and on PostgreSQL and, in the same
run, the same figures for a bare FastAPI endpoint that does no work (the ceiling of the same
server stack on this machine), and yuefang's share of that ceiling.

Targets (2 cores, PostgreSQL): reads >= 40 % of the bare ceiling, creation >= 20 %, read p99 < 50 ms.

How the measurement is kept fair (both servers get exactly the same treatment):

* every server (bare and yuefang) is one uvicorn process, started by the same launcher with the same
  settings: 1 worker, the same event loop and HTTP implementation (uvloop/httptools when installed,
  else asyncio/h11; the table names which), no access log, pinned to its own core
  (``--server-cpu``, default 1) with ``os.sched_setaffinity`` before uvicorn is imported;
* the load generator is this process, pinned to the other core (``--client-cpu``, default 0), and
  is a minimal keep-alive HTTP/1.1 client on raw asyncio streams (pre-built request bytes, only the
  status line and Content-Length parsed), so that it needs far less CPU per request than either
  server and never is the bottleneck; ``--clients`` (default 8) connections, each sending its next
  request when the previous answer is read (closed loop, bounded concurrency);
* each server first gets ``--warmup`` seconds (default 1) of the same load, not counted;
* the figures are taken in alternating short rounds (bare, yuefang, bare, ...) so that a change in
  the machine's load hits both alike; latencies of all rounds are pooled for p50/p99.

PostgreSQL itself is not pinned (it shares the load generator's core). ``YUEFANG_BENCH_SRC=<dir>``
serves yuefang from another source tree (e.g. ``git archive <commit> src``) for before/after runs.

Usage: ``python benchmarks/app_api_load.py [--clients 8] [--seconds 6] [--rounds 3] [--no-write]``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_common import database, free_port, pg_available, server, write_section  # noqa: E402

ORDER = {
    "reference": "LOAD",
    "fabric_name": "Poplin",
    "lines": [{"product_id": "curtain", "inputs": {"window_width_mm": 1800, "drop_mm": 2400},
               "options": {"heading": "pencil_pleat"}, "quantity": 1}],
}  # fmt: skip
READ_PATH = "/api/orders?limit=20"
CREATE_PATH = "/api/orders"
LOOP = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
HTTP = "httptools" if importlib.util.find_spec("httptools") else "h11"


def bare_app():  # the anchor: the same stack (uvicorn + FastAPI + JSON) doing no work
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/bare")
    def bare_get() -> dict:
        return {"data": [], "count": 0}

    @app.post("/bare", status_code=201)
    def bare_post(body: dict) -> dict:
        return body

    return app


def _launcher(app_spec: str, port: int, cpu: int | None) -> list[str]:
    """``python -c`` arguments that pin the process, then run one uvicorn worker on ``app_spec``."""
    pin = f"import os; os.sched_setaffinity(0, {{{cpu}}}); " if cpu is not None else ""
    return ["-c", f"{pin}import uvicorn; uvicorn.run({app_spec!r}, factory={app_spec.endswith('bare_app')}, "
                  f"host='127.0.0.1', port={port}, workers=1, loop={LOOP!r}, http={HTTP!r}, "
                  f"log_level='warning', access_log=False)"]  # fmt: skip


def _request(method: str, path: str, port: int, headers: dict[str, str]) -> bytes:
    body = json.dumps(ORDER).encode() if method == "POST" else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: application/json",
             *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    if method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(pid: int, port: int, request: bytes, clients: int, seconds: float) -> dict:
    """One round of ``_load`` and the server's CPU time spent in it."""
    cpu0 = _cpu_s(pid)
    r = asyncio.run(_load(port, request, clients, seconds))
    r["cpu_s"] = _cpu_s(pid) - cpu0
    return r


async def _load(port: int, request: bytes, clients: int, seconds: float) -> dict:
    """``clients`` keep-alive connections each send ``request`` in a closed loop for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(clients)]
    stop = time.perf_counter() + seconds

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal errors
        perf = time.perf_counter
        while perf() < stop:
            t0 = perf()
            writer.write(request)
            head = (await reader.readuntil(b"\r\n\r\n")).lower()
            i = head.find(b"content-length:")
            if i < 0:
                raise RuntimeError(f"response without Content-Length: {head[:200]!r}")
            await reader.readexactly(int(head[i + 15 : head.find(b"\r\n", i)]))
            latencies.append(perf() - t0)
            if head[9:10] in (b"4", b"5"):
                errors += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(client(r, w) for r, w in conns))
    elapsed = time.perf_counter() - t0
    for _, w in conns:
        w.close()
    return {"n": len(latencies), "elapsed": elapsed, "latencies": latencies, "errors": errors}


def _summary(parts: list[dict]) -> dict:
    lat = sorted(x for p in parts for x in p["latencies"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 2 else [0.0] * 99
    n = sum(p["n"] for p in parts)
    return {"rps": n / sum(p["elapsed"] for p in parts), "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000, "n": n,
            "errors": sum(p["errors"] for p in parts), "cpu_ms": 1000 * sum(p["cpu_s"] for p in parts) / max(n, 1),
            "busy": sum(p["cpu_s"] for p in parts) / sum(p["elapsed"] for p in parts)}  # fmt: skip


def _seed(url: str) -> dict:
    from yuefang.app.auth import hash_password, issue_token
    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.models import Enterprise, User
    from yuefang.app.schemas.orders import OrderCreate
    from yuefang.app.services.orders import place_order

    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        ent = Enterprise(name="Load test", city_code="440100")
        s.add(ent)
        s.flush()
        user = User(email="desk@load.test", password_hash=hash_password("x" * 12), role="order_desk",
                    enterprise_id=ent.id)  # fmt: skip
        s.add(user)
        s.commit()
        for i in range(200):
            place_order(
                session=s, actor=user, data=OrderCreate.model_validate({**ORDER, "reference": f"SEED-{i}"})
            )
        token = issue_token(s, user=user)
    engine.dispose()
    return {"Authorization": f"Bearer {token}"}


def run(clients: int, seconds: float, rounds: int, warmup: float, server_cpu: int | None,
        kinds: list[str]) -> list[tuple[str, str, dict]]:  # fmt: skip
    """Bare and yuefang side by side, in alternating rounds of ``seconds / rounds``."""
    rows: list[tuple[str, str, dict]] = []
    bare_parts: dict[str, list[dict]] = {"read": [], "create": []}
    bport = free_port()
    benv = {"PYTHONPATH": str(Path(__file__).resolve().parent)}
    per = seconds / rounds
    bare_req = {"read": _request("GET", "/bare", bport, {}), "create": _request("POST", "/bare", bport, {})}
    with server(_launcher("app_api_load:bare_app", bport, server_cpu), benv, bport) as bproc, \
            tempfile.TemporaryDirectory() as tmp:  # fmt: skip
        for op in ("read", "create"):
            asyncio.run(_load(bport, bare_req[op], clients, warmup))  # warm-up, not counted
        for kind in kinds:
            with database(kind, Path(tmp)) as url:
                headers = _seed(url)
                port = free_port()
                env = {
                    "YUEFANG_DATABASE_URL": url,
                    "YUEFANG_INLINE_WORKER": "false",
                    "YUEFANG_ENVIRONMENT": "test",
                }
                if os.environ.get("YUEFANG_BENCH_SRC"):  # A/B: serve yuefang from another source tree
                    env["PYTHONPATH"] = os.environ["YUEFANG_BENCH_SRC"]
                mine_req = {"read": _request("GET", READ_PATH, port, headers),
                            "create": _request("POST", CREATE_PATH, port, headers)}  # fmt: skip
                with server(_launcher("yuefang.app.asgi:app", port, server_cpu), env, port) as proc:
                    for op in ("read", "create"):
                        asyncio.run(_load(port, mine_req[op], clients, warmup))  # warm-up, not counted
                    mine: dict[str, list[dict]] = {"read": [], "create": []}
                    for _ in range(rounds):
                        for op in ("read", "create"):
                            bare_parts[op].append(_measure(bproc.pid, bport, bare_req[op], clients, per))
                            mine[op].append(_measure(proc.pid, port, mine_req[op], clients, per))
                    for op in ("read", "create"):
                        rows.append((f"yuefang {kind}", op, _summary(mine[op])))
    return [("bare FastAPI", op, _summary(parts)) for op, parts in bare_parts.items()] + rows


def table(rows: list[tuple[str, str, dict]], a: argparse.Namespace, load: tuple[float, float]) -> str:
    bare = {op: r for name, op, r in rows if name == "bare FastAPI"}
    pin = (f"server pinned to CPU {a.server_cpu}, load generator to CPU {a.client_cpu}"
           if a.server_cpu is not None else "nothing pinned")  # fmt: skip
    lines = [
        f"API load: {a.clients} concurrent keep-alive clients on loopback, {a.seconds:g} s per figure in "
        f"{a.rounds} alternating rounds after {a.warmup:g} s warm-up; one uvicorn worker ({LOOP} loop, {HTTP}), "
        f"{pin}; {os.cpu_count()} CPUs; load average {load[0]:.2f} before, {load[1]:.2f} after.",
        "",
        "| server | operation | requests/s | p50 ms | p99 ms | errors | share of bare ceiling | server CPU ms/request "
        "| server core busy |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, op, r in rows:
        share = r["rps"] / bare[op]["rps"] if bare.get(op) and bare[op]["rps"] else float("nan")
        lines.append(f"| {name} | {op} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | "
                     f"{share:.0%} | {r['cpu_ms']:.2f} | {r['busy']:.0%} |")  # fmt: skip
    lines += ["", f"read = `GET {READ_PATH}` (token check, tenant filter, count); create = `POST {CREATE_PATH}` "
              "with one curtain line (validation, audit, steps rows); bare = a FastAPI endpoint doing no work "
              "(GET returns a constant, POST echoes the JSON body). Server CPU = user + system time of the uvicorn process "
              "(/proc) during the measured rounds, per request; server core busy = that time / wall time (100 % = "
              "the server's core saturated, below = it waited, e.g. for the database or for the CPU taken by "
              "other processes)."]  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=6.0, help="measured seconds per figure (all rounds)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--server-cpu", type=int, default=1, help="core of the server processes (-1: no pinning)")
    ap.add_argument("--client-cpu", type=int, default=0, help="core of the load generator")
    ap.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one database only")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks/app.md")
    ap.add_argument("--note", default="", help="a note for the table (e.g. 'machine loaded')")
    a = ap.parse_args()
    if a.server_cpu < 0 or (os.cpu_count() or 1) < 2:
        a.server_cpu = None
    else:
        os.sched_setaffinity(0, {a.client_cpu})
    kinds = [a.only] if a.only else ["sqlite"] + (["postgresql"] if pg_available() else [])
    before = os.getloadavg()[0]
    rows = run(a.clients, a.seconds, a.rounds, a.warmup, a.server_cpu, kinds)
    out = table(rows, a, (before, os.getloadavg()[0])) + (f"\n\n{a.note}" if a.note else "")
    print(out)
    if not a.no_write:
        write_section("app_api_load", "## API load (`benchmarks/app_api_load.py`)\n\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
