"""The window's sync process (desktop/services/background/sync_process.py) against a real Dovecot: it syncs
on the passwords the window handed down, reports back over its pipe, runs below the window's
priority, stops when asked and stops by itself when the window goes away."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.services.background.events import MailboxSynced, SyncFailed, SyncFinished
from desktop.services.background.sync_process import NICENESS, SyncProcess
from desktop.store.models import Message, Ticket
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail, make_account, memory_keyring

pytestmark = pytest.mark.integration


def _wait(cond, limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_the_sync_process_brings_mail_in_and_stops_when_asked(ws, mailbox: Mailbox, tmp_path: Path) -> None:
    with memory_keyring():
        make_account(ws, mailbox)
        for n in range(3):
            mailbox.append(client_mail(f"Вопрос {n}: не работает выгрузка", msgid=f"<p{n}@client.example>"))
        proc = SyncProcess(ws, idle_slice=1.0)
    # From here on this process has no keyring entry at all: the child has what it was handed.
    proc.start()
    try:
        assert proc.pid is not None and proc.pid != os.getpid()
        if hasattr(os, "getpriority"):  # below the window's priority (POSIX; capped at 19)
            ours = os.getpriority(os.PRIO_PROCESS, 0)
            _wait(lambda: os.getpriority(os.PRIO_PROCESS, proc.pid) == min(ours + NICENESS, 19))
        events = proc.events()
        report = None
        for event in events:
            assert not isinstance(event, SyncFailed), event
            if isinstance(event, MailboxSynced):
                report = event.report
                break
        assert report is not None and report.error is None and report.fetched == 3
        with ws.db.session() as s:
            assert s.scalar(select(func.count(Ticket.id))) == 3
        # new mail while it waits in IDLE comes in too
        mailbox.append(client_mail("Re: ещё вопрос", msgid="<p9@client.example>"))
        _wait(lambda: _incoming(ws) == 4)
        started = time.monotonic()
        proc.request_stop()
        rest = list(events)
        assert isinstance(rest[-1], SyncFinished) and not any(isinstance(e, SyncFailed) for e in rest)
        assert time.monotonic() - started < 10
    finally:
        proc.stop(timeout=10)
    assert proc.pid is None


def test_the_sync_process_stops_by_itself_when_the_window_is_gone(ws, mailbox: Mailbox) -> None:
    with memory_keyring():
        make_account(ws, mailbox)
        proc = SyncProcess(ws, idle_slice=1.0)
    proc.start()
    process = proc._process
    assert process is not None
    next(e for e in proc.events() if isinstance(e, MailboxSynced))
    assert proc._conn is not None
    proc._conn.close()  # what a window that crashed leaves behind: a closed pipe
    process.join(20)
    assert not process.is_alive() and process.exitcode == 0


def test_a_missing_password_is_reported_not_hidden(ws, mailbox: Mailbox) -> None:
    with memory_keyring() as backend:
        make_account(ws, mailbox)
        backend.entries.clear()  # the keyring lost the password (say, it was reset)
        proc = SyncProcess(ws, idle_slice=1.0)
    proc.start()
    try:
        for event in proc.events():
            if isinstance(event, MailboxSynced):
                assert event.report.error and "password" in event.report.error.lower()
                break
            assert not isinstance(event, SyncFinished)
    finally:
        proc.stop(timeout=10)


def _incoming(ws) -> int:
    with ws.db.session() as s:
        return int(s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) or 0)


def test_check_mail_now_and_stop_do_not_wait_for_the_idle_slice(ws, mailbox: Mailbox) -> None:
    with memory_keyring():
        make_account(ws, mailbox)
        proc = SyncProcess(ws, idle_slice=60.0)  # a long IDLE wait: only a nudge or stop ends it early
    proc.start()
    try:
        events = proc.events()
        assert isinstance(next(e for e in events if isinstance(e, MailboxSynced | SyncFailed)), MailboxSynced)
        started = time.monotonic()
        proc.nudge()  # nothing new on the server, but the mailbox is looked at again right away
        assert isinstance(next(e for e in events if isinstance(e, MailboxSynced | SyncFailed)), MailboxSynced)
        assert time.monotonic() - started < 10
        started = time.monotonic()
        proc.request_stop()
        assert isinstance(list(events)[-1], SyncFinished)
        assert time.monotonic() - started < 5
    finally:
        proc.stop(timeout=10)


def test_the_sync_process_works_on_a_team_database(postgres_url: str, mailbox: Mailbox, tmp_path: Path) -> None:
    """Team mode: the child opens the same PostgreSQL database the window uses."""
    from desktop.services.workspace import open_workspace

    team = open_workspace(home=tmp_path / "team", db_url=postgres_url, actor="anna")
    try:
        with memory_keyring():
            make_account(team, mailbox)
            mailbox.append(client_mail("Вопрос в командном режиме", msgid="<team@client.example>"))
            proc = SyncProcess(team, idle_slice=1.0)
        proc.start()
        try:
            event = next(e for e in proc.events() if isinstance(e, MailboxSynced | SyncFailed))
            assert isinstance(event, MailboxSynced), event
            assert event.report.error is None and event.report.fetched == 1
        finally:
            proc.stop(timeout=10)
        with team.db.session() as s:
            assert s.scalar(select(func.count(Ticket.id))) == 1
    finally:
        team.close()
