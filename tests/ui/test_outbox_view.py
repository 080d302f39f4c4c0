"""File ▸ Outbox…: the counts, the list with the server's words, "Send now" over a real aiosmtpd
with AUTH, and dropping a failed message — all engine work off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.services import accounts
from desktop.services.reads.outbox import outbox_counts
from desktop.services.replies import reply
from desktop.store.models import OutboxItem, Ticket
from tests.integration.sync_support import memory_keyring
from tests.servers.smtp import SmtpServer
from tests.ui.conftest import settle

pytestmark = pytest.mark.ui

WORDS = "553 5.1.3 Recipient address rejected: no such domain"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(users={"support": "пароль-7"}, require_auth=True)
    server.start()
    try:
        yield server
    finally:
        server.close()


def test_send_now_sends_what_waits_and_a_refusal_shows_the_servers_words(
    qtbot, window, demo_ws, smtp: SmtpServer, monkeypatch
) -> None:
    with memory_keyring():
        accounts.add_account(
            demo_ws, name="support", email="support@reglament.test", imap_host="127.0.0.1", imap_port=1,
            smtp_host=smtp.host, smtp_port=smtp.port, security="none", user="support", password="пароль-7",
        )
        with demo_ws.db.session() as s:
            (tid_ok, to_ok), (tid_bad, to_bad) = s.execute(
                select(Ticket.tid, Ticket.requester).where(Ticket.requester.like("%@%"))
                .order_by(Ticket.id).limit(2)
            ).all()
            before = set(s.scalars(select(OutboxItem.id)))
        assert to_ok != to_bad
        smtp.refuse_recipient(to_bad, WORDS)
        reply(demo_ws, tid_ok, "Здравствуйте! Доступ восстановлен.")
        reply(demo_ws, tid_bad, "Здравствуйте! Проверьте, пожалуйста, адрес.")
        waiting = outbox_counts(demo_ws).waiting
        assert waiting >= 2

        window.menus.outbox_action.trigger()
        dialog = window.menus.outbox_dialog
        settle(qtbot, window)
        assert dialog.counts.text().startswith(f"{waiting} waiting, 0 backing off, 0 failed")
        assert {r.tid for r in dialog.model.rows} >= {tid_ok, tid_bad}

        dialog.send_button.click()
        settle(qtbot, window)
        qtbot.waitUntil(lambda: not dialog.busy)
        settle(qtbot, window)
        sent_to = [m.rcpt_tos[0] for m in smtp.messages]
        assert to_ok in sent_to and to_bad not in sent_to
        assert smtp.logins == 1
        assert "Failed: 1." in dialog.verdict.text()
        [failed] = [r for r in dialog.model.rows if r.tid == tid_bad]
        assert failed.state == "failed"
        column = dialog.model.index(dialog.model.rows.index(failed), 5)
        assert WORDS in dialog.model.data(column)
        assert dialog.counts.text().startswith("0 waiting, 0 backing off, 1 failed")
        window.refresh_all()  # the status bar says the same, by the same definition
        settle(qtbot, window)
        assert "outbox: 0 waiting, 0 backing off, 1 failed" in window.sync.last_text

        dialog.table.selectRow(dialog.model.rows.index(failed))
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        dialog.drop_button.click()
        settle(qtbot, window)
        qtbot.waitUntil(lambda: all(r.tid != tid_bad for r in dialog.model.rows))
        with demo_ws.db.session() as s:
            mine = s.scalars(select(OutboxItem).where(OutboxItem.id.not_in(before))).all()
            assert sorted(i.status for i in mine) == ["dropped", "sent"]
        dialog.close()
        settle(qtbot, window)


def test_a_server_out_of_reach_is_said_once_in_the_status_bar(qtbot, window) -> None:
    from desktop.services.background.events import OutboxDrained
    from desktop.services.background.outbox import DrainReport

    verdict = "cannot reach smtp.example.ru:465: connection refused; 2,000 messages wait; next try 14:05"
    window.sync.bridge.post(OutboxDrained(DrainReport(waiting=[1, 2], verdicts=[verdict])))
    settle(qtbot, window)
    assert window.sync.last_text == f"Mail: {verdict}"
