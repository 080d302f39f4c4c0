"""Timers run without any mailbox (R-AUTO-1..3): the loop of their own reminds and closes, and
exactly one loop applies a pass — across workstations (the lease) and within one process."""

from __future__ import annotations

import threading
from datetime import timedelta

from desktop.services.background import timers
from desktop.services.background.timer_loop import run_timers_forever
from desktop.services.background.timers import TimerReport, run_timers
from desktop.services.reads import listing
from desktop.store.leases import try_acquire
from desktop.store.models import MailAccount
from tests.unit.test_timer_services import _waiting_ticket


def _loop_until(ws, stop: threading.Event, want) -> list[TimerReport]:
    seen: list[TimerReport] = []

    def heard(report: TimerReport) -> None:
        seen.append(report)
        if want(seen):
            stop.set()

    worker = threading.Thread(target=run_timers_forever, args=(ws, stop),
                              kwargs={"interval": 0.05, "on_report": heard})
    worker.start()
    worker.join(timeout=60)
    stop.set()
    assert not worker.is_alive()
    return seen


def test_a_workstation_without_a_mailbox_closes_a_silent_ticket(ws, clock) -> None:
    with ws.db.reading() as s:
        assert s.query(MailAccount).count() == 0  # no mailbox: the mail sync never starts
    tid = _waiting_ticket(ws, clock)
    clock.advance(days=3)
    seen = _loop_until(ws, threading.Event(), lambda reports: any(r.closed_inactive for r in reports))
    assert any(r.closed_inactive == [tid] for r in seen)
    assert listing.ticket_detail(ws, tid)["status"] == "inactive"


def test_another_workstation_holding_the_lease_applies_nothing_here(ws, clock) -> None:
    tid = _waiting_ticket(ws, clock)
    clock.advance(days=3)
    with ws.db.session() as s:
        assert try_acquire(s, timers.LEASE, "elsewhere:1", clock(), timedelta(minutes=5))
    seen = _loop_until(ws, threading.Event(), lambda reports: len(reports) >= 3)
    assert all(r.skipped_lease and r.total == 0 for r in seen)
    assert listing.ticket_detail(ws, tid)["status"] == "waiting_client"


def test_two_loops_of_one_process_take_turns(ws, clock) -> None:
    """The window's loop and a sync in a thread beside it share the process's lease holder:
    while one applies a pass the other skips it."""
    _waiting_ticket(ws, clock)
    clock.advance(days=3)
    with timers._IN_PROCESS:  # a pass of the other loop is under way
        assert run_timers(ws).skipped_lease
    assert run_timers(ws).closed_inactive


def test_a_failing_pass_does_not_end_the_loop(ws, clock, monkeypatch) -> None:
    calls: list[int] = []
    real = run_timers

    def flaky(w):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return real(w)

    monkeypatch.setattr("desktop.services.background.timer_loop.run_timers", flaky)
    seen = _loop_until(ws, threading.Event(), lambda reports: len(reports) >= 2)
    assert len(calls) >= 3 and len(seen) >= 2


def test_run_timers_every_on_the_command_line(tmp_path) -> None:
    """``reglament run-timers --every`` on a data folder with no mailbox closes a ticket whose
    client has been silent for ten days, and goes on until it is interrupted."""
    import json
    import os
    import signal
    import subprocess
    import sys
    from datetime import UTC, datetime

    from desktop.services.workspace import open_workspace
    from tests.conftest import FixedClock

    home = tmp_path / "home"
    past = FixedClock(datetime.now(UTC) - timedelta(days=10))
    w = open_workspace(home=home, clock=past, actor="tester")
    try:
        tid = _waiting_ticket(w, past)
    finally:
        w.close()
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    bad = subprocess.run([sys.executable, "-m", "desktop.cli", "run-timers", "--every", "0"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "seconds" in bad.stderr
    with subprocess.Popen([sys.executable, "-m", "desktop.cli", "run-timers", "--every", "1", "--json"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            lines: list[str] = []
            assert proc.stdout is not None
            while not (lines and lines[-1].startswith("}")):
                line = proc.stdout.readline()
                assert line, "run-timers ended without a report"
                lines.append(line)
            assert json.loads("".join(lines))["closed_inactive"] == [tid]
            assert proc.poll() is None  # still applying them
        finally:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=30)
    assert proc.returncode == 130
