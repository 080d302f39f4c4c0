"""A ticket imported from a mailbox's archive says so in the window, in both languages."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from tests.ui.conftest import save_screenshot, settle
from tests.unit.test_ingest import account
from ui.queue_model import COLUMNS, DUE


def _archived_ticket(ws) -> str:
    """Mail a month older than the account that received it, through the real ingest."""
    acc_id = account(ws)
    msg = EmailMessage()
    msg["From"] = "Мария <m.ivanova@romashka.ru>"
    msg["To"] = "support@reglament.test"
    msg["Subject"] = "Не приходят письма из формы"
    msg["Message-ID"] = "<archive-1@romashka.ru>"
    msg.set_content("Здравствуйте! С формы на сайте перестали приходить заявки.")
    report = ingest_batch(ws, acc_id, "INBOX", 1, [
        IncomingMail(uid=1, internaldate=ws.now() - timedelta(days=30), raw=msg.as_bytes())])
    assert report.archived == 1
    [tid] = report.new_tickets
    return tid


def test_archived_ticket_shows_archive_and_no_deadline(qtbot, window, demo_ws, tmp_path):
    tid = _archived_ticket(demo_ws)
    window.views.select("all")
    window.refresh()
    settle(qtbot, window)
    assert window.select_tid(tid)
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == tid)
    settle(qtbot, window)
    detail = window.detail
    assert "Closed · archive" in detail.meta.text()
    assert "From the mailbox&#x27;s archive: no SLA deadline" in detail.deadlines.text()  # rich text
    lines = [detail.history.topLevelItem(i).text(2) for i in range(detail.history.topLevelItemCount())]
    assert any(line.startswith("Imported closed from the mailbox's archive") for line in lines)
    row = window.table.currentIndex().row()
    assert window.model.index(row, DUE).data() in ("", None)  # no "missed" for what nobody could answer
    assert window.model.index(row, COLUMNS.index("status")).data() == "Closed · archive"
    save_screenshot(window, "archived-ticket-en.png", tmp_path)

    window.set_language("ru")
    settle(qtbot, window)
    assert "Закрыто · архив" in detail.meta.text()
    assert window.model.index(window.table.currentIndex().row(), COLUMNS.index("status")).data() == "Закрыто · архив"
    assert "Из архива ящика: сроков SLA нет" in detail.deadlines.text()
    lines = [detail.history.topLevelItem(i).text(2) for i in range(detail.history.topLevelItemCount())]
    assert any(line.startswith("Загружено закрытым из архива ящика") for line in lines)
    save_screenshot(window, "archived-ticket-ru.png", tmp_path)
    window.set_language("en")
    settle(qtbot, window)
