"""API load: concurrent clients on loopback create orders and read order lists.

Prints requests/s and p50/p99 latency for yuefang on SQLite and on PostgreSQL and, in the same
run, the same figures for a bare FastAPI endpoint that does no work (the ceiling of the same
server stack on this machine), and yuefang's share of that ceiling.

Targets (2 cores, PostgreSQL): reads >= 40 % of the bare ceiling, creation >= 20 %, read p99 < 50 ms.

Usage: ``python benchmarks/app_api_load.py [--clients 8] [--seconds 5] [--no-write]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_common import database, free_port, pg_available, server, write_section  # noqa: E402

ORDER = {
    "reference": "LOAD",
    "fabric_name": "Poplin",
    "lines": [{"product_id": "curtain", "inputs": {"window_width_mm": 1800, "drop_mm": 2400},
               "options": {"heading": "pencil_pleat"}, "quantity": 1}],
}  # fmt: skip


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


async def _load(url: str, method: str, headers: dict, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            r = await (c.get(url, headers=headers) if method == "GET" else c.post(url, json=ORDER, headers=headers))
            latencies.append(time.perf_counter() - t0)
            if r.status_code >= 400:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as c:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(c) for _ in range(clients)))
        elapsed = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0.0] * 99
    return {"rps": len(latencies) / elapsed, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000, "n": len(latencies),
            "errors": errors}  # fmt: skip


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
            place_order(session=s, actor=user, data=OrderCreate.model_validate({**ORDER, "reference": f"SEED-{i}"}))
        token = issue_token(s, user=user)
    engine.dispose()
    return {"Authorization": f"Bearer {token}"}


def _merge(parts: list[dict]) -> dict:
    n = sum(p["n"] for p in parts)
    return {
        "rps": statistics.fmean(p["rps"] for p in parts),
        "p50_ms": statistics.median(p["p50_ms"] for p in parts),
        "p99_ms": max(p["p99_ms"] for p in parts),
        "n": n,
        "errors": sum(p["errors"] for p in parts),
    }


def run(clients: int, seconds: float, rounds: int = 3) -> list[tuple[str, str, dict]]:
    """Bare and yuefang run side by side; their figures are taken in alternating short rounds so that
    a change in the machine's load hits both alike."""
    rows: list[tuple[str, str, dict]] = []
    bare_parts: dict[str, list[dict]] = {"read": [], "create": []}
    bport = free_port()
    benv = {"PYTHONPATH": str(Path(__file__).resolve().parent)}
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    per = seconds / rounds
    with server(["-c", f"import uvicorn, app_api_load as b; uvicorn.run(b.bare_app(), port={bport}, log_level='warning')"],
                benv, bport), tempfile.TemporaryDirectory() as tmp:  # fmt: skip
        bare = f"http://127.0.0.1:{bport}/bare"
        asyncio.run(_load(bare, "GET", {}, clients, 1.0))  # warm-up
        for kind in kinds:
            with database(kind, Path(tmp)) as url:
                headers = _seed(url)
                port = free_port()
                env = {"YUEFANG_DATABASE_URL": url, "YUEFANG_INLINE_WORKER": "false", "YUEFANG_ENVIRONMENT": "test"}
                with server(["-m", "uvicorn", "yuefang.app.asgi:app", "--port", str(port), "--log-level", "warning"],
                            env, port):  # fmt: skip
                    base = f"http://127.0.0.1:{port}"
                    asyncio.run(_load(f"{base}/api/orders?limit=20", "GET", headers, clients, 1.0))  # warm-up
                    mine: dict[str, list[dict]] = {"read": [], "create": []}
                    for _ in range(rounds):
                        for op, method, path in (("read", "GET", "/api/orders?limit=20"), ("create", "POST", "/api/orders")):
                            bare_parts[op].append(asyncio.run(_load(bare, method, {}, clients, per)))
                            mine[op].append(asyncio.run(_load(base + path, method, headers, clients, per)))
                    for op in ("read", "create"):
                        rows.append((f"yuefang {kind}", op, _merge(mine[op])))
    return [("bare FastAPI", op, _merge(parts)) for op, parts in bare_parts.items()] + rows


def table(rows: list[tuple[str, str, dict]], clients: int, seconds: float) -> str:
    bare = {op: r for name, op, r in rows if name == "bare FastAPI"}
    lines = [
        f"API load: {clients} concurrent clients on loopback, {seconds:g} s per figure, one uvicorn process; "
        f"{os.cpu_count()} CPUs.",
        "",
        "| server | operation | requests/s | p50 ms | p99 ms | errors | share of bare ceiling |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, op, r in rows:
        share = r["rps"] / bare[op]["rps"] if bare.get(op) and bare[op]["rps"] else float("nan")
        lines.append(f"| {name} | {op} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | "
                     f"{share:.0%} |")  # fmt: skip
    lines += ["", "read = `GET /api/orders?limit=20` (token check, tenant filter, count); create = `POST /api/orders` "
              "with one curtain line (validation, audit, steps rows); bare = a FastAPI endpoint doing no work."]  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks/app.md")
    ap.add_argument("--note", default="", help="a note for the table (e.g. 'machine loaded')")
    a = ap.parse_args()
    rows = run(a.clients, a.seconds)
    out = table(rows, a.clients, a.seconds) + (f"\n\n{a.note}" if a.note else "")
    print(out)
    if not a.no_write:
        write_section("app_api_load", "## API load (`benchmarks/app_api_load.py`)\n\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
