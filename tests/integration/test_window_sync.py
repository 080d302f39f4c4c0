"""The window's mail sync end to end: a real Dovecot mailbox, the window's sync in its own
process (desktop/services/background/sync_process.py), tickets appearing in the queue, a restart after the
accounts change, and a window that closes promptly with its sync process gone."""

from __future__ import annotations

import os
import time

import pytest

from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail, make_account

pytestmark = [pytest.mark.integration, pytest.mark.ui]


def _child_pid(window) -> int | None:
    worker = window.sync.worker
    process = getattr(worker, "process", None) if worker is not None else None
    return process.pid if process is not None else None


def test_the_window_syncs_in_a_process_of_its_own(qtbot, ws, mailbox: Mailbox, memory_keyring) -> None:
    from ui.app import create_window
    from ui.sync import STOP_GRACE_MS

    make_account(ws, mailbox)
    for n in range(3):
        mailbox.append(client_mail(f"Не работает выгрузка №{n}", msgid=f"<w{n}@client.example>"))
    window = create_window(ws, language="en")
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=60_000)
    qtbot.waitUntil(lambda: "connected" in window.sync.last_text, timeout=30_000)
    first = _child_pid(window)
    assert first is not None and first != os.getpid()
    # the day's backup is the sync process's job, off the window's start-up
    assert len(list(ws.paths.backups.glob("*-daily.db"))) == 1

    # New mail while the window waits: IDLE in the child, the queue follows.
    mailbox.append(client_mail("Ещё вопрос про отчёт", msgid="<w9@client.example>"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=60_000)

    # Check mail now (File menu, Ctrl+Shift+Y): the running sync looks at once, in the same process.
    window.sync_now_action.trigger()
    assert "checking" in window.sync.last_text
    qtbot.waitUntil(lambda: "connected" in window.sync.last_text, timeout=10_000)
    assert _child_pid(window) == first

    # The accounts changed (the dialog closed): the sync starts again in a new process.
    window.sync._accounts_changed()
    qtbot.waitUntil(lambda: _child_pid(window) not in (None, first), timeout=30_000)
    second = _child_pid(window)
    assert second is not None

    started = time.monotonic()
    window.close()
    # The IDLE wait ends on the stop at once (no need for the IDLE slice), and the window is
    # gone with its sync process within 2 s even on a busy machine (the grace, then an end).
    assert time.monotonic() - started < max(2.0, STOP_GRACE_MS / 1000)
    assert window.sync.worker is None
    with pytest.raises(ProcessLookupError):
        _wait_gone(second)


def _wait_gone(pid: int) -> None:
    """Raises ProcessLookupError once ``pid`` is gone (reaped by multiprocessing)."""
    end = time.monotonic() + 10
    while time.monotonic() < end:
        os.kill(pid, 0)
        time.sleep(0.1)


def test_a_first_account_starts_syncing_without_a_restart(qtbot, ws, mailbox: Mailbox, memory_keyring) -> None:
    from ui.app import create_window

    window = create_window(ws, language="en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "no account" in window.sync.last_text, timeout=30_000)
    assert window.sync.worker is None
    mailbox.append(client_mail("Первый вопрос", msgid="<first@client.example>"))
    make_account(ws, mailbox)
    window.sync._accounts_changed()  # what closing the accounts dialog does
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=60_000)
    window.close()
    assert window.sync.worker is None


def test_a_password_fixed_outside_the_window_is_picked_up(qtbot, ws, mailbox: Mailbox, memory_keyring) -> None:
    """The sync process only has the passwords it was handed: when its mailbox keeps failing and
    the keyring now says otherwise (fixed with ``reglament account`` in a terminal), it is
    started again with the new one."""
    from desktop.services import accounts
    from ui.app import create_window

    accounts.add_account(ws, name="support", email="support@reglament.test", imap_host=mailbox.server.host,
                         imap_port=mailbox.server.port, smtp_port=1, security="none", user=mailbox.user,
                         password="a wrong password")
    mailbox.append(client_mail("Вопрос", msgid="<fix@client.example>"))
    window = create_window(ws, language="en")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "authentication failed" in window.sync.last_text, timeout=60_000)
    first = _child_pid(window)
    accounts.set_password(ws, "support", mailbox.password)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=60_000)
    assert _child_pid(window) not in (None, first)
    window.close()
