"""Durable job queue: throughput of trivial jobs with 1 and 2 `yuefang worker` processes, and the
time from a worker's death (SIGKILL mid-job) to its job running again, on SQLite and PostgreSQL.

Anchor: the database's own ceiling for the two commits every job needs (claim, complete),
measured in the same run as bare single-row UPDATE commits from one connection.

Usage: ``python benchmarks/app_jobs.py [--jobs 300] [--lease-s 2] [--no-write]``.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_common import database, pg_available, write_section  # noqa: E402


def _factory(url: str):
    from yuefang.app.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    return engine, make_sessionmaker(engine)


def _enqueue(factory, n: int, kind: str = "platform.noop", payload=None) -> list[int]:
    from yuefang.app.jobs import enqueue

    with factory() as s:
        ids = [enqueue(s, kind=kind, payload=payload or {"i": i}).id for i in range(n)]
        s.commit()
    return ids


def _workers(url: str, n: int, lease_s: float) -> list[subprocess.Popen]:
    env = {**os.environ, "YUEFANG_DATABASE_URL": url, "YUEFANG_JOB_LEASE_S": str(lease_s),
           "YUEFANG_JOB_POLL_S": "0.05", "YUEFANG_ENVIRONMENT": "test"}  # fmt: skip
    procs = [subprocess.Popen([sys.executable, "-m", "yuefang.cli", "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for _ in range(n)]  # fmt: skip
    for p in procs:
        p.stderr.readline()  # the worker is up
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def _wait_done(factory, ids: list[int], timeout_s: float = 300) -> None:
    from sqlalchemy import func, select

    from yuefang.app.models import Job

    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        with factory() as s:
            left = s.scalar(select(func.count()).select_from(Job).where(Job.id.in_(ids), Job.state != "done"))
        if not left:
            return
        time.sleep(0.05)
    raise RuntimeError("jobs not done in time")


def throughput(url: str, n_jobs: int, n_workers: int) -> float:
    from sqlalchemy import func, select

    from yuefang.app.models import Job

    engine, factory = _factory(url)
    procs = _workers(url, n_workers, 30.0)
    try:
        ids = _enqueue(factory, n_jobs)
        _wait_done(factory, ids)
        with factory() as s:
            t0, t1 = s.execute(select(func.min(Job.started_at), func.max(Job.finished_at)).where(Job.id.in_(ids))).one()
            assert s.scalar(select(func.max(Job.attempts)).where(Job.id.in_(ids))) == 1
    finally:
        _stop(procs)
        engine.dispose()
    return n_jobs / max((t1 - t0).total_seconds(), 1e-9)


def death_to_rerun(url: str, lease_s: float) -> float:
    """Seconds from SIGKILL of the worker running a job to the job's start on the other worker."""
    from yuefang.app.models import Job

    engine, factory = _factory(url)
    (w1,) = _workers(url, 1, lease_s)
    (jid,) = _enqueue(factory, 1, "platform.sleep", {"seconds": 30.0})
    w2 = None
    try:
        t0 = time.monotonic()
        while True:  # w1 (the only worker) takes the job
            with factory() as s:
                if s.get(Job, jid).state == "running":
                    break
            if time.monotonic() - t0 > 60:
                raise RuntimeError("worker 1 did not start the job")
            time.sleep(0.02)
        (w2,) = _workers(url, 1, lease_s)  # idle, polling
        killed = time.time()
        os.kill(w1.pid, signal.SIGKILL)
        while True:
            with factory() as s:
                job = s.get(Job, jid)
                if job.attempts >= 2:
                    return job.started_at.timestamp() - killed
            if time.time() - killed > 120:
                raise RuntimeError("the job was not run again")
            time.sleep(0.02)
    finally:
        _stop([w1] + ([w2] if w2 else []))
        engine.dispose()


def db_commit_ceiling(url: str, n: int = 400) -> float:
    """Jobs/s the database would allow if a job cost exactly two single-row UPDATE commits."""
    from sqlalchemy import text

    engine, factory = _factory(url)
    (jid,) = _enqueue(factory, 1)
    try:
        with engine.connect() as c:
            t0 = time.perf_counter()
            for i in range(n):
                c.execute(text("UPDATE job SET progress = :p WHERE id = :id"), {"p": i / n, "id": jid})
                c.commit()
            dt = time.perf_counter() - t0
    finally:
        engine.dispose()
    return n / dt / 2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=300)
    ap.add_argument("--lease-s", type=float, default=2.0)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    lines = [
        f"Trivial jobs (`platform.noop`) through the durable queue, {a.jobs} jobs per figure, `yuefang worker` "
        f"processes; worker death = SIGKILL mid-job with a {a.lease_s:g} s lease; {os.cpu_count()} CPUs.",
        "",
        "| database | 1 worker jobs/s | 2 workers jobs/s | anchor: DB ceiling (2 commits/job) jobs/s | 1 worker / ceiling "
        "| death -> job running again, s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            with database(kind, Path(tmp)) as url:
                ceiling = db_commit_ceiling(url)
                one = throughput(url, a.jobs, 1)
                two = throughput(url, a.jobs, 2)
                rerun = death_to_rerun(url, a.lease_s)
            lines.append(f"| {kind} | {one:.0f} | {two:.0f} | {ceiling:.0f} | {one / ceiling:.0%} | {rerun:.2f} |")
            print(lines[-1], flush=True)
    out = "\n".join(lines) + (f"\n\n{a.note}" if a.note else "")
    print(out)
    if not a.no_write:
        write_section("app_jobs", "## Durable jobs (`benchmarks/app_jobs.py`)\n\n" + out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
