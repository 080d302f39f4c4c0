"""The loop breaker's counts for a ticket's sender are in the ticket pane, in both languages."""

from __future__ import annotations

from email.message import EmailMessage

from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from tests.ui.conftest import settle
from tests.unit.test_ingest import account


def _robot_tickets(ws, count: int) -> list[str]:
    """``count`` questions from one sender within the hour, through the real ingest."""
    acc_id = account(ws)
    raws = []
    for n in range(count):
        msg = EmailMessage()
        msg["From"] = "Робот <robot@partner.example>"
        msg["To"] = "support@reglament.test"
        msg["Subject"] = f"Уведомление о платеже №{n}"
        msg["Message-ID"] = f"<robot-{n}@partner.example>"
        msg.set_content(f"Платёж {n} прошёл.")
        raws.append(msg.as_bytes())
    report = ingest_batch(ws, acc_id, "INBOX", 1, [
        IncomingMail(uid=n + 1, internaldate=ws.now(), raw=raw) for n, raw in enumerate(raws)])
    return report.new_tickets


def test_held_back_automatic_replies_are_shown_for_the_sender(qtbot, window, demo_ws):
    tids = _robot_tickets(demo_ws, 6)
    window.views.select("all")
    window.refresh()
    settle(qtbot, window)
    assert window.select_tid(tids[-1])
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == tids[-1])
    settle(qtbot, window)
    label = window.detail.loop_counts
    assert label.isVisibleTo(window.detail)
    assert label.text() == ("Automatic replies held back for this sender: 3 this hour "
                            "(sent 3 of 3 allowed an hour)")
    window.set_language("ru")
    settle(qtbot, window)
    assert label.text().startswith("Автоответов этому отправителю задержано: 3 за этот час")
    window.set_language("en")
    settle(qtbot, window)


def test_a_message_that_came_back_says_so_in_the_thread(qtbot, window, demo_ws):
    from tests.unit.test_ingest import ingest, mail

    acc_id = account(demo_ws)
    raw = mail("Не приходит счёт", sender="m.ivanova@romashka.ru", msgid="<back@romashka.ru>")
    [tid] = ingest(demo_ws, acc_id, raw, at=demo_ws.now()).new_tickets
    again = ingest(demo_ws, acc_id, b"X-Restored: yes\r\n" + raw, start_uid=50, at=demo_ws.now())
    assert again.seen_again == 1 and again.new_tickets == []
    window.views.select("all")
    window.refresh()
    settle(qtbot, window)
    assert window.select_tid(tid)
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == tid)
    settle(qtbot, window)
    assert "seen again 1×" in window.detail.thread_view.toPlainText()
    window.set_language("ru")
    settle(qtbot, window)
    assert "получено повторно: 1×" in window.detail.thread_view.toPlainText()
    window.set_language("en")
    settle(qtbot, window)
