"""The durable job queue: claims, leases, takeover after a worker's death, result of record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, update

from yuefang.app.jobs import LeaseLost, Worker, claim_next, drain, enqueue, input_hash, run_claimed
from yuefang.app.models import Job


def _enqueue(app, kind="platform.noop", payload=None, **kw):
    with app.state.sessionmaker() as s:
        job = enqueue(s, kind=kind, payload=payload or {}, **kw)
        s.commit()
        return job.id


def _job(app, job_id):
    with app.state.sessionmaker() as s:
        return s.get(Job, job_id)


def test_noop_job_runs_and_keeps_result(app):
    drain(app.state.sessionmaker, app.state.settings)
    jid = _enqueue(app, payload={"x": 1})
    assert _job(app, jid).state == "queued"
    assert _job(app, jid).input_hash == input_hash("platform.noop", {"x": 1})
    assert drain(app.state.sessionmaker, app.state.settings) >= 1
    job = _job(app, jid)
    assert job.state == "done" and job.attempts == 1
    assert job.result == {"echo": {"x": 1}, "attempt": 1}


def test_dedupe_returns_the_waiting_job(app):
    a = _enqueue(app, payload={"same": True}, dedupe=True)
    b = _enqueue(app, payload={"same": True}, dedupe=True)
    assert a == b
    drain(app.state.sessionmaker, app.state.settings)


def test_expired_lease_is_taken_over_and_late_result_is_refused(app):
    factory, settings = app.state.sessionmaker, app.state.settings
    drain(factory, settings)
    jid = _enqueue(app, payload={"lease": 1})
    first = claim_next(factory, worker_id="dead-worker", lease_s=0.3)
    assert first is not None and first.id == jid and first.attempts == 1
    assert claim_next(factory, worker_id="w2", lease_s=5) is None  # lease still held
    time.sleep(0.4)
    second = claim_next(factory, worker_id="w2", lease_s=5)
    assert second is not None and second.id == jid and second.attempts == 2
    assert run_claimed(factory, settings, second, worker_id="w2") == "done"
    # the dead worker wakes up and tries to store its result: refused, the stored one stays
    from yuefang.app.jobs import JobContext

    late = JobContext(jid, "platform.noop", 1, "dead-worker", factory, settings)
    with factory() as s, pytest.raises(LeaseLost):
        late.complete(s, {"late": True})
    job = _job(app, jid)
    assert job.result == {"echo": {"lease": 1}, "attempt": 2} and job.worker_id == "w2"


def test_gives_up_after_max_attempts(app):
    factory, settings = app.state.sessionmaker, app.state.settings
    drain(factory, settings)
    jid = _enqueue(app, max_attempts=1)
    assert claim_next(factory, worker_id="d1", lease_s=0.05).id == jid
    time.sleep(0.1)
    claimed = claim_next(factory, worker_id="d2", lease_s=5)
    assert run_claimed(factory, settings, claimed, worker_id="d2") == "failed"
    job = _job(app, jid)
    assert job.state == "failed" and "gave up" in job.error


def test_handler_error_fails_with_reason(app):
    jid = _enqueue(app, kind="no.such.kind")
    drain(app.state.sessionmaker, app.state.settings)
    job = _job(app, jid)
    assert job.state == "failed" and "no.such.kind" in job.error


def test_two_workers_share_work_each_job_once(app):
    factory, settings = app.state.sessionmaker, app.state.settings
    drain(factory, settings)
    ids = [_enqueue(app, payload={"i": i}) for i in range(40)]
    workers = [Worker(factory, settings) for _ in range(2)]
    ran = {w.worker_id: 0 for w in workers}

    def loop(w):
        while w.run_once():
            ran[w.worker_id] += 1

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with factory() as s:
        jobs = s.scalars(select(Job).where(Job.id.in_(ids))).all()
    assert all(j.state == "done" and j.attempts == 1 for j in jobs)
    assert sum(ran.values()) >= 40


def _wait(pred, timeout_s, what):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_worker_process_loses_nothing(app, db_url):
    """A `yuefang worker` process is killed (SIGKILL) mid-job; another worker runs the job again."""
    factory, settings = app.state.sessionmaker, app.state.settings
    drain(factory, settings)
    jid = _enqueue(app, kind="platform.sleep", payload={"seconds": 1.5})
    env = dict(os.environ, YUEFANG_DATABASE_URL=db_url, YUEFANG_JOB_LEASE_S="1", YUEFANG_JOB_POLL_S="0.05",
               YUEFANG_ENVIRONMENT="test")  # fmt: skip
    cmd = [sys.executable, "-m", "yuefang.cli", "worker"]
    w1 = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    w2 = None
    try:
        _wait(lambda: (j := _job(app, jid)).state == "running" and j.progress > 0.1, 60, "worker 1 to start the job")
        first_worker = _job(app, jid).worker_id
        os.kill(w1.pid, signal.SIGKILL)
        w1.wait(10)
        assert _job(app, jid).state == "running"  # nobody finished it
        w2 = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: _job(app, jid).state == "done", 60, "worker 2 to run the job again")
        job = _job(app, jid)
        assert job.attempts == 2
        assert job.result["attempt"] == 2 and job.result["worker_id"] != first_worker
    finally:
        for p in (w1, w2):
            if p is not None and p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()


def test_worker_stops_on_sigterm(app, db_url):
    env = dict(os.environ, YUEFANG_DATABASE_URL=db_url, YUEFANG_JOB_POLL_S="0.05", YUEFANG_ENVIRONMENT="test")
    p = subprocess.Popen([sys.executable, "-m", "yuefang.cli", "worker"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        line = p.stderr.readline().decode()  # printed once the signal handlers are installed
        assert line.startswith("worker "), line
        p.send_signal(signal.SIGTERM)
        assert p.wait(20) == 0
    finally:
        if p.poll() is None:
            p.kill()


def test_job_progress_is_visible(app):
    factory, settings = app.state.sessionmaker, app.state.settings
    drain(factory, settings)
    jid = _enqueue(app, kind="platform.sleep", payload={"seconds": 0.3})
    drain(factory, settings)
    job = _job(app, jid)
    assert job.state == "done" and job.progress == 1.0 and job.message.startswith("slept")
    with factory() as s:
        s.execute(update(Job).where(Job.id == jid).values(progress=0.5))
        s.commit()
