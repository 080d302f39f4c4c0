"""The sync under faults: killed mid-transaction, server gone mid-sync, mailbox renumbered.

The promise checked everywhere is the one of R-MAIL-2: whatever happens, once the sync has run
to the end the stored messages are exactly the mailbox's — none lost, none twice.
"""

from __future__ import annotations

import os
import queue
import random
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.services.background.sync import SyncReport, sync_account_once
from desktop.services.background.sync_forever import run_sync_forever
from desktop.store.models import Message, Quarantined, SyncState, Ticket
from tests.integration.conftest import AGENT, AGENT_PASSWORD, Mailbox
from tests.integration.sync_support import (
    account_for_a_child,
    client_mail,
    make_account,
    many_questions,
)
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def stored_uids(ws: Any, account_id: int) -> list[tuple[int | None, int | None]]:
    """(UIDVALIDITY, UID) of every stored incoming message and quarantined item, with repeats."""
    with ws.db.session() as s:
        rows = s.execute(
            select(Message.uidvalidity, Message.uid).where(
                Message.account_id == account_id, Message.direction == "in"
            )
        ).all()
        rows += s.execute(
            select(Quarantined.uidvalidity, Quarantined.uid).where(
                Quarantined.account_id == account_id
            )
        ).all()
    return sorted((r[0], r[1]) for r in rows)


def checkpoint(ws: Any, account_id: int) -> tuple[int | None, int]:
    with ws.db.session() as s:
        row = s.scalars(select(SyncState).where(SyncState.account_id == account_id)).one_or_none()
        return (row.uidvalidity, row.last_uid) if row is not None else (None, 0)


# --------------------------------------------------------------------------- SIGKILL


def _kill_at_random_point(proc: subprocess.Popen[str], rng: random.Random) -> bool:
    """Let the child run to a random point, then SIGKILL it; False if it finished first.

    A quarter of the kills land anywhere from start-up to the first commit (connect, SEARCH,
    FETCH, parsing); the rest land a random few milliseconds after a committed batch — inside
    the next batch's fetch, parse, or transaction.
    """
    assert proc.stdout is not None
    early = rng.random() < 0.25
    commits_before_kill = 0 if early else rng.randint(1, 2)
    seen = 0
    while True:
        line = proc.stdout.readline()
        if not line or line.startswith("done"):
            proc.wait(timeout=30)
            return False
        if early and line.startswith("ready"):
            break
        if line.startswith("progress"):
            done = int(line.split()[1])
            if done > 0:
                seen += 1
            if not early and seen >= commits_before_kill:
                break
    delay = rng.uniform(0.0, 0.5) if early else rng.uniform(0.0, 0.06)
    try:
        proc.wait(timeout=delay)  # it may finish on its own in the meantime
        return False
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
        return True


@pytest.mark.slow
def test_sigkill_at_random_points_twenty_times_loses_and_duplicates_nothing(
    tmp_path: Path, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, ws, account_id = account_for_a_child(tmp_path, mailbox, monkeypatch)
    appended = mailbox.append_many(many_questions(1500))
    expected = sorted((appended.uidvalidity, uid) for uid in appended.uids)

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(20261117)
    kills = runs = 0
    while kills < 20:
        runs += 1
        assert runs < 60, "the child keeps finishing before it can be killed"
        batch = rng.choice([10, 20, 40])
        with subprocess.Popen(
            [sys.executable, "-m", "tests.integration.sync_child", str(home), str(account_id),
             str(batch)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=REPO,
        ) as proc:
            try:
                kills += _kill_at_random_point(proc, rng)
            finally:
                if proc.poll() is None:
                    proc.kill()
        # After every kill the checkpoint and the stored messages agree exactly: what is stored
        # is every UID up to the checkpoint, once, and nothing beyond it.
        validity, last_uid = checkpoint(ws, account_id)
        assert stored_uids(ws, account_id) == [
            (v, u) for v, u in expected if validity is not None and u <= last_uid
        ]
    assert checkpoint(ws, account_id)[1] < appended.uids[-1], "the mailbox was synced before the 20th kill"

    final = subprocess.run(
        [sys.executable, "-m", "tests.integration.sync_child", str(home), str(account_id), "250"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
    )
    assert final.returncode == 0, final.stdout + final.stderr
    assert stored_uids(ws, account_id) == expected
    with ws.db.session() as s:
        # One ticket per question (each mail is distinct), and every raw message on disk.
        assert s.scalar(select(func.count(Ticket.id))) == 1500
        hashes = list(s.scalars(select(Message.raw_sha256).where(Message.direction == "in")))
        assert len(set(hashes)) == 1500
        state = s.scalars(select(SyncState)).one()
        assert state.lock_holder is None and state.last_uid == appended.uids[-1]
    assert all(ws.blobs.exists(h) for h in hashes if h)
    ws.close()


# --------------------------------------------------------------------------- server faults


def test_dovecot_killed_mid_sync_is_reported_and_the_next_sync_resumes(
    ws: Any, memory_keyring: MemoryKeyring, dovecot: DovecotServer
) -> None:
    box = Mailbox(dovecot, AGENT, AGENT_PASSWORD)
    account_id = make_account(ws, box)
    appended = box.append_many(many_questions(300))

    def crash_server_after_first_batch(done: int, total: int) -> None:
        if done > 0 and dovecot.running:
            dovecot.kill()

    report = sync_account_once(ws, account_id, crash_server_after_first_batch, batch_size=50)
    assert report.error is not None
    assert report.error.startswith(f"the connection to {dovecot.host}:{dovecot.port} was lost")
    with ws.db.session() as s:
        assert s.scalars(select(SyncState)).one().last_error == report.error
    part = stored_uids(ws, account_id)
    assert 50 <= len(part) < 300

    down = sync_account_once(ws, account_id)
    assert down.error is not None and down.error.startswith(
        f"cannot reach {dovecot.host}:{dovecot.port}"
    )

    dovecot.start()
    resumed = sync_account_once(ws, account_id, batch_size=50)
    assert resumed.ok, resumed.error
    assert resumed.fetched == 300 - len(part)
    assert stored_uids(ws, account_id) == sorted((appended.uidvalidity, u) for u in appended.uids)
    with ws.db.session() as s:
        assert s.scalars(select(SyncState)).one().last_error is None


def test_uidvalidity_change_resyncs_without_duplicates(
    ws: Any, memory_keyring: MemoryKeyring, dovecot: DovecotServer
) -> None:
    box = Mailbox(dovecot, AGENT, AGENT_PASSWORD)
    account_id = make_account(ws, box)
    first = box.append_many(many_questions(40))
    assert len(sync_account_once(ws, account_id).new_tickets) == 40

    renumbered = dovecot.reset_uidvalidity(AGENT)
    assert renumbered != first.uidvalidity
    later = box.append(client_mail("Новый вопрос после перенумерации", msgid="<after@x>"))

    report = sync_account_once(ws, account_id)
    assert report.ok and report.uidvalidity_changed
    assert (report.fetched, report.duplicates, len(report.new_tickets)) == (41, 40, 1)
    assert checkpoint(ws, account_id) == (renumbered, later.uid)
    with ws.db.session() as s:
        assert s.scalar(select(func.count(Ticket.id))) == 41
        assert s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 41
    assert sync_account_once(ws, account_id).fetched == 0


def _next(reports: queue.Queue[SyncReport], want: Callable[[SyncReport], bool], what: str) -> SyncReport:
    """The next report the loop emits that matches; waits for a real event (up to 20 s)."""
    while True:
        try:
            report = reports.get(timeout=20)
        except queue.Empty:
            raise AssertionError(f"no sync report with {what} within 20 s") from None
        if want(report):
            return report


def test_forever_loop_survives_server_down_resumes_idles_and_sends_acknowledgements(
    ws: Any,
    memory_keyring: MemoryKeyring,
    dovecot: DovecotServer,
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    box = Mailbox(dovecot, AGENT, AGENT_PASSWORD)
    smtp = smtp_server_factory(users={AGENT: AGENT_PASSWORD})
    make_account(ws, box, smtp)
    dovecot.stop()

    reports: queue.Queue[SyncReport] = queue.Queue()
    stop = threading.Event()
    delays: list[int] = []

    def backoff(failures: int) -> float:
        delays.append(failures)
        return 0.05

    loop = threading.Thread(
        target=run_sync_forever,
        args=(ws, stop),
        kwargs={"backoff": backoff, "idle_slice": 2.0, "on_report": reports.put,
                "outbox_interval": 30.0, "timers_interval": 3600.0},
    )
    loop.start()
    try:
        down = _next(reports, lambda r: r.error is not None, "an error")
        assert down.error is not None and down.error.startswith(f"cannot reach {dovecot.host}")
        with ws.db.session() as s:
            assert s.scalars(select(SyncState)).one().last_error == down.error

        dovecot.start()
        box.append(client_mail("Сервер снова работает?", msgid="<back@x>"))
        got = _next(reports, lambda r: r.fetched == 1, "the message after the restart")
        assert got.ok and len(got.new_tickets) == 1
        [ack] = smtp.wait_for(1)  # drained by the loop right after the new mail
        assert got.new_tickets[0] in str(ack.message["Subject"])

        # Connected and idling now: a new message is pushed by IDLE, not found by a later poll.
        box.append(client_mail("Ещё один вопрос", sender="other@client.example", msgid="<idle@x>"))
        pushed = _next(reports, lambda r: r.fetched == 1, "the message announced by IDLE")
        assert pushed.ok
        smtp.wait_for(2)
    finally:
        stop.set()
        loop.join(timeout=30)
    assert not loop.is_alive()
    assert delays and delays[0] == 1
    with ws.db.session() as s:
        state = s.scalars(select(SyncState)).one()
        assert state.last_error is None and state.lock_holder is None
        assert s.scalar(select(func.count(Ticket.id))) == 2
