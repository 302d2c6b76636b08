"""The durable job queue: job records live in the application database.

Why not a library: Huey does not acknowledge tasks (a worker killed mid-task loses it there),
Procrastinate and PGQueuer need PostgreSQL (the embedded default is SQLite), Dramatiq/RQ/Celery
need a broker. The queue is one table (``job``) and three statements:

* **claim** — ``UPDATE job SET state='running', attempts=attempts+1, lease_until=now+lease … WHERE id =
  (SELECT id … WHERE queued, or running with an expired lease … FOR UPDATE SKIP LOCKED LIMIT 1)
  RETURNING …``. On PostgreSQL ``SKIP LOCKED`` lets several ``yuefang worker`` processes on several
  machines share the work; on SQLite the single UPDATE statement is atomic under the database lock.
* **heartbeat** — while a handler runs, a thread pushes ``lease_until`` forward every lease/3.
  A worker that dies stops heartbeating; once its lease expires the job is claimed again
  (``attempts`` + 1), up to ``max_attempts``.
* **complete** — ``UPDATE … SET state='done', result=… WHERE id=… AND worker_id=me AND
  attempts=my attempt AND state='running'``: only the current holder stores a result, and once
  stored it is the result of record. A handler can complete inside its own transaction
  (``JobContext.complete``) so that its outputs and the job's result commit together.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from yuefang.app.db import utcnow
from yuefang.app.models import Job, JobState
from yuefang.app.settings import Settings

__all__ = [
    "JobContext",
    "JobHandler",
    "LeaseLost",
    "job_handler",
    "HANDLERS",
    "input_hash",
    "enqueue",
    "claim_next",
    "run_claimed",
    "Worker",
    "drain",
]

log = logging.getLogger("yuefang.jobs")


class LeaseLost(RuntimeError):
    """This worker no longer holds the job (its lease expired and another worker took it)."""


@dataclass
class JobContext:
    """What a handler gets: the job's identity and a way to report progress and complete."""

    job_id: int
    kind: str
    attempt: int
    worker_id: str
    sessionmaker: sessionmaker[Session]
    settings: Settings
    completed: bool = False

    def _mine(self) -> Any:
        return and_(
            Job.id == self.job_id,
            Job.worker_id == self.worker_id,
            Job.attempts == self.attempt,
            Job.state == JobState.running.value,
        )

    def progress(self, fraction: float, message: str | None = None) -> None:
        """Record progress (0..1) and a message; raises LeaseLost when the job was taken over."""
        with self.sessionmaker() as s:
            res = s.execute(
                update(Job)
                .where(self._mine())
                .values(progress=max(0.0, min(1.0, float(fraction))), message=message, heartbeat_at=utcnow())
            )
            s.commit()
        if res.rowcount == 0:  # type: ignore[attr-defined]
            raise LeaseLost(f"job {self.job_id}: lease lost")

    def complete(self, session: Session, result: dict[str, Any] | None) -> None:
        """Store the result in ``session``'s transaction (the caller commits); LeaseLost if not ours."""
        res = session.execute(
            update(Job)
            .where(self._mine())
            .values(
                state=JobState.done.value, result=result, progress=1.0, finished_at=utcnow(), lease_until=None
            )
        )
        if res.rowcount == 0:  # type: ignore[attr-defined]
            raise LeaseLost(f"job {self.job_id}: lease lost, result not stored")
        self.completed = True


@dataclass
class JobHandler:
    kind: str
    run: Callable[[JobContext, dict[str, Any]], dict[str, Any] | None]
    on_failure: Callable[[Session, Job, str], None] | None = None


HANDLERS: dict[str, JobHandler] = {}


def job_handler(
    kind: str, *, on_failure: Callable[[Session, Job, str], None] | None = None
) -> Callable[[Callable[[JobContext, dict[str, Any]], dict[str, Any] | None]], Any]:
    """Register ``fn(ctx, payload) -> result`` as the handler of jobs of ``kind``."""

    def deco(fn: Callable[[JobContext, dict[str, Any]], dict[str, Any] | None]) -> Any:
        HANDLERS[kind] = JobHandler(kind, fn, on_failure)
        return fn

    return deco


def input_hash(kind: str, payload: dict[str, Any]) -> str:
    """SHA-256 of the job's kind and canonical JSON payload.

    >>> input_hash("platform.noop", {"b": 1, "a": 2}) == input_hash("platform.noop", {"a": 2, "b": 1})
    True
    """
    blob = json.dumps({"kind": kind, "payload": payload}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def enqueue(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    enterprise_id: int | None = None,
    order_id: int | None = None,
    max_attempts: int = 5,
    dedupe: bool = False,
) -> Job:
    """Add a queued job to ``session`` (the caller commits, so it is queued with its cause).

    With ``dedupe``, an identical job (same kind and input hash) still queued or running is
    returned instead of a new one.
    """
    digest = input_hash(kind, payload)
    if dedupe:
        existing = session.scalar(
            select(Job).where(
                Job.input_hash == digest, Job.state.in_((JobState.queued.value, JobState.running.value))
            )
        )
        if existing is not None:
            return existing
    job = Job(
        kind=kind,
        payload=payload,
        input_hash=digest,
        enterprise_id=enterprise_id,
        order_id=order_id,
        max_attempts=max_attempts,
        state=JobState.queued.value,
        run_after=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


@dataclass
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


def claim_next(factory: sessionmaker[Session], *, worker_id: str, lease_s: float) -> Claimed | None:
    """Claim the oldest runnable job (queued, or running with an expired lease), or None."""
    now = utcnow()
    runnable = or_(
        and_(Job.state == JobState.queued.value, Job.run_after <= now),
        and_(Job.state == JobState.running.value, Job.lease_until < now),
    )
    pick = (
        select(Job.id)
        .where(runnable)
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = (
        update(Job)
        .where(Job.id == pick)
        .values(
            state=JobState.running.value,
            attempts=Job.attempts + 1,
            worker_id=worker_id,
            lease_until=now + timedelta(seconds=lease_s),
            heartbeat_at=now,
            started_at=now,
            error=None,
        )
        .returning(Job.id, Job.kind, Job.payload, Job.attempts, Job.max_attempts)
    )
    with factory() as s:
        row = s.execute(stmt, execution_options={"synchronize_session": False}).first()
        s.commit()
    if row is None:
        return None
    return Claimed(row[0], row[1], row[2] or {}, row[3], row[4])


def _fail(factory: sessionmaker[Session], claimed: Claimed, worker_id: str, error: str) -> None:
    with factory() as s:
        job = s.get(Job, claimed.id)
        if job is None or job.state != JobState.running.value or job.worker_id != worker_id:
            return
        if job.attempts != claimed.attempts:
            return
        job.state = JobState.failed.value
        job.error = error[-4000:]
        job.finished_at = utcnow()
        job.lease_until = None
        handler = HANDLERS.get(job.kind)
        if handler is not None and handler.on_failure is not None:
            try:
                handler.on_failure(s, job, error)
            except Exception:  # the job is failed whatever the hook does
                log.exception("on_failure hook of job %s", job.id)
        s.commit()


class _Heartbeat(threading.Thread):
    """Extends the lease of the job being run (``current``) every lease/3; one per worker."""

    def __init__(self, lease_s: float) -> None:
        super().__init__(daemon=True, name="yuefang-heartbeat")
        self.lease_s = lease_s
        self.current: JobContext | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.lease_s / 3):
            ctx = self.current
            if ctx is None:
                continue
            try:
                with ctx.sessionmaker() as s:
                    now = utcnow()
                    s.execute(
                        update(Job)
                        .where(ctx._mine())
                        .values(lease_until=now + timedelta(seconds=self.lease_s), heartbeat_at=now)
                    )
                    s.commit()
            except Exception:  # a missed heartbeat is retried at the next tick
                log.warning("heartbeat of job %s failed", ctx.job_id, exc_info=True)


def run_claimed(
    factory: sessionmaker[Session],
    settings: Settings,
    claimed: Claimed,
    *,
    worker_id: str,
    heartbeat: _Heartbeat | None = None,
) -> str:
    """Run one claimed job to its end; returns the job's final state (or ``"lost"``)."""
    if claimed.attempts > claimed.max_attempts:
        _fail(factory, claimed, worker_id, f"gave up after {claimed.max_attempts} attempts (workers died)")
        return JobState.failed.value
    handler = HANDLERS.get(claimed.kind)
    if handler is None:
        _fail(
            factory,
            claimed,
            worker_id,
            f"kind: no handler for job kind {claimed.kind!r}; known: {sorted(HANDLERS)}",
        )
        return JobState.failed.value
    ctx = JobContext(claimed.id, claimed.kind, claimed.attempts, worker_id, factory, settings)
    own = heartbeat is None
    beat = heartbeat if heartbeat is not None else _Heartbeat(settings.job_lease_s)
    beat.current = ctx
    if own:
        beat.start()
    try:
        result = handler.run(ctx, claimed.payload)
        if not ctx.completed:
            with factory() as s:
                ctx.complete(s, result)
                s.commit()
        return JobState.done.value
    except LeaseLost:
        log.warning("job %s: lease lost; another worker runs it", claimed.id)
        return "lost"
    except Exception as exc:  # any handler error fails the job with its reason
        _fail(factory, claimed, worker_id, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")
        return JobState.failed.value
    finally:
        beat.current = None
        if own:
            beat.stop.set()


def new_worker_id() -> str:
    """``host:pid:random``: unique per worker."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Worker:
    """A loop that claims and runs jobs until ``stop`` is set."""

    sessionmaker: sessionmaker[Session]
    settings: Settings
    worker_id: str = field(default_factory=new_worker_id)
    stop: threading.Event = field(default_factory=threading.Event)
    _beat: _Heartbeat | None = field(default=None, repr=False)

    def run_once(self) -> bool:
        """Claim and run one job; False when none was runnable."""
        claimed = claim_next(self.sessionmaker, worker_id=self.worker_id, lease_s=self.settings.job_lease_s)
        if claimed is None:
            return False
        if self._beat is None or not self._beat.is_alive():
            self._beat = _Heartbeat(self.settings.job_lease_s)
            self._beat.start()
        run_claimed(self.sessionmaker, self.settings, claimed, worker_id=self.worker_id, heartbeat=self._beat)
        return True

    def close(self) -> None:
        """Stop the heartbeat thread."""
        if self._beat is not None:
            self._beat.stop.set()

    def run_forever(self) -> None:
        """Run jobs until ``stop`` is set, polling every ``settings.job_poll_s`` when idle."""
        log.info("worker %s started", self.worker_id)
        while not self.stop.is_set():
            try:
                if not self.run_once():
                    self.stop.wait(self.settings.job_poll_s)
            except Exception:  # database unreachable for a moment: wait and retry
                log.exception("worker %s: error while claiming", self.worker_id)
                self.stop.wait(max(1.0, self.settings.job_poll_s))
        self.close()

    def start_thread(self) -> threading.Thread:
        """Run the loop in a daemon thread (the server's embedded worker)."""
        t = threading.Thread(target=self.run_forever, daemon=True, name=f"worker-{self.worker_id}")
        t.start()
        return t


def drain(factory: sessionmaker[Session], settings: Settings, *, max_jobs: int = 1000) -> int:
    """Run runnable jobs in this thread until none is left (tests, CLI); returns how many ran."""
    worker = Worker(factory, settings)
    n = 0
    try:
        while n < max_jobs and worker.run_once():
            n += 1
    finally:
        worker.close()
    return n


# --- platform job kinds: used by the tests and the queue benchmark --------------------------------


@job_handler("platform.noop")
def _noop(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """A job that does nothing but return its payload (queue throughput)."""
    return {"echo": payload, "attempt": ctx.attempt}


@job_handler("platform.sleep")
def _sleep(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Sleep ``seconds`` in steps, reporting progress (worker-death tests)."""
    seconds = float(payload.get("seconds", 1.0))
    t0 = time.monotonic()
    while (elapsed := time.monotonic() - t0) < seconds:
        ctx.progress(elapsed / seconds, f"slept {elapsed:.1f} s")
        time.sleep(min(0.1, seconds - elapsed))
    return {"slept_s": seconds, "attempt": ctx.attempt, "worker_id": ctx.worker_id}
