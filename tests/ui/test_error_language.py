"""Engine messages reach the Russian window in Russian: error boxes, the accounts dialog's test
verdict, the sync state in the status bar."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop.errors import ReglamentError
from desktop.mail.transport_errors import HostUnreachable, describe_os_error
from desktop.services import accounts, tickets
from desktop.services.background.events import MailboxSynced
from desktop.services.background.sync import SyncReport
from tests.ui.conftest import settle
from ui import errors, i18n


@pytest.fixture
def russian(qtbot, window) -> Iterator[object]:
    window.set_language("ru")
    settle(qtbot, window)
    yield window
    # The window is closed by pytest-qt before this runs: restore the process-wide language only.
    i18n.install(QApplication.instance(), "en")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _new_ticket(ws) -> str:
    from sqlalchemy import select

    from desktop.store.models import Ticket

    with ws.db.session() as s:
        return str(s.scalars(select(Ticket.tid).where(Ticket.status == "new")).first())


def test_an_engine_error_is_shown_in_russian(russian, demo_ws):
    tid = _new_ticket(demo_ws)
    with pytest.raises(ReglamentError) as err:
        tickets.reopen(demo_ws, tid)
    assert str(err.value) == f"{tid} is new and need not be reopened"
    errors.show_error(None, err.value)
    assert errors.QUIET["last"] == f"Обращение {tid} в статусе «новое», открывать его заново не нужно"


def test_the_same_error_stays_english_in_the_english_window(window, demo_ws):
    tid = _new_ticket(demo_ws)
    with pytest.raises(ReglamentError) as err:
        tickets.reopen(demo_ws, tid)
    assert errors.user_message(err.value) == f"{tid} is new and need not be reopened"


def test_the_connection_test_verdict_is_russian(qtbot, russian, demo_ws, memory_keyring):
    port = _free_port()  # nobody listens there: "connection refused", at once
    accounts.add_account(demo_ws, name="support", email="support@example.ru", imap_host="127.0.0.1",
                         imap_port=port, smtp_port=port, security="none", password="secret")
    russian.sync.open_accounts()
    dlg = russian.sync.last_dialog
    settle(qtbot, russian)
    dlg.listing.setCurrentRow(0)
    dlg.test_connection()
    qtbot.waitUntil(lambda: dlg.test_button.isEnabled(), timeout=30_000)
    text = dlg.verdict.text()
    assert f"127.0.0.1:{port}" in text
    assert "не удаётся подключиться" in text and "в соединении отказано" in text
    assert "cannot reach" not in text
    dlg.close()


def test_the_sync_state_names_the_cause_in_russian(qtbot, russian):
    error = HostUnreachable("imap.example.ru", 993, describe_os_error(TimeoutError()))
    report = SyncReport(account_id=1, account="support", folder="INBOX", error=str(error))
    russian.sync.bridge.post(MailboxSynced(report))
    qtbot.waitUntil(lambda: "imap.example.ru:993" in russian.sync.last_text)
    assert "истекло время ожидания" in russian.sync.last_text
    assert "timed out" not in russian.sync.last_text


def test_a_stored_sync_error_is_shown_in_russian(qtbot, russian, demo_ws, memory_keyring):
    """After a restart the status bar shows the mailbox's last error as stored (English text in
    the database); the Russian window still says it in Russian."""
    from desktop.services.background.sync import sync_account_once

    port = _free_port()
    info = accounts.add_account(demo_ws, name="support", email="support@example.ru", imap_host="127.0.0.1",
                                imap_port=port, security="none", password="secret")
    report = sync_account_once(demo_ws, info.id)
    assert report.error and "cannot reach" in str(report.error)
    russian.sync._live = None
    russian.sync.enabled = False  # the window must not start its own sync meanwhile
    from desktop.services.reads.queue import mail_status

    russian.sync.show_status(mail_status(demo_ws))  # what the window's periodic refresh hands it
    assert f"127.0.0.1:{port}" in russian.sync.last_text
    assert "не удаётся подключиться" in russian.sync.last_text
    assert "cannot reach" not in russian.sync.last_text


def test_stored_english_messages_translate_with_their_values() -> None:
    from desktop.i18n import translate_stored
    from desktop.mail.transport_errors import AuthenticationFailed

    stored = str.__str__(str(AuthenticationFailed("support", "mail.example.ru")))
    assert translate_stored(stored, "ru") == "неверное имя пользователя или пароль для support@mail.example.ru"
    assert translate_stored(stored, "en") == stored
    assert translate_stored("text no template made", "ru") == "text no template made"
    assert translate_stored("", "ru") == ""
