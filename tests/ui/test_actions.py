"""Each ticket action, done through the window's actions and dialogs, changes the ticket the way
the service does (R-UI-2)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from desktop.services import replies, tickets
from desktop.services.reads import listing
from tests.ui.conftest import detail, settle
from ui import errors
from ui.thread_html import local_time


def first_with(ws, status: str, **extra) -> str:
    for t in listing.list_tickets(ws, status):
        if all(t.get(k) == v for k, v in extra.items()):
            return str(t["tid"])
    raise AssertionError(f"the demo has no {status} ticket")


def open_ticket(qtbot, win, tid: str) -> None:
    win.views.select("all")
    settle(qtbot, win)
    assert win.select_tid(tid), tid
    qtbot.waitUntil(lambda: win.detail.data is not None and win.detail.data.tid == tid)
    settle(qtbot, win)


def trigger(qtbot, win, key: str):
    """Press the action (as its shortcut or menu would) and return the dialog it opened."""
    act = win.ticket_actions.actions[key]
    assert act.isEnabled(), key
    opened = []
    win.ticket_actions.dialogOpened.connect(opened.append)
    act.trigger()
    settle(qtbot, win)
    win.ticket_actions.dialogOpened.disconnect(opened.append)
    return opened[0] if opened else None


def accept(qtbot, win, dlg) -> None:
    dlg.accept()
    settle(qtbot, win)


def test_take_into_work(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "new")
    open_ticket(qtbot, window, tid)
    trigger(qtbot, window, "take")
    d = detail(demo_ws, tid)
    assert d["status"] == "in_progress"
    assert d["assignee"] == "anna"
    assert window.detail.data.status == "in_progress"
    row = window.model.row_of(window.current_ticket_id())
    assert window.model.data(window.model.index(row, 4)) == "In progress"


def test_request_information_pauses(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "in_progress")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, "request_info")
    dlg.fields["text"].setPlainText("Пришлите, пожалуйста, снимок экрана.")
    accept(qtbot, window, dlg)
    d = detail(demo_ws, tid)
    assert d["status"] == "waiting_client"
    assert d["messages"][-1]["text"] == "Пришлите, пожалуйста, снимок экрана."


def test_escalate_to_department(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "in_progress")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, "escalate")
    combo = dlg.fields["department"]
    combo.setCurrentIndex(combo.findData("sales"))
    dlg.fields["note"].setPlainText("Вопрос по стоимости доработки")
    accept(qtbot, window, dlg)
    d = detail(demo_ws, tid)
    assert (d["status"], d["department"]) == ("escalated", "sales")


@pytest.mark.parametrize(("key", "status"), [("postpone", "postponed"), ("refuse", "refused")])
def test_postpone_and_refuse_with_prefilled_template(qtbot, window, demo_ws, key, status):
    tid = first_with(demo_ws, "new")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, key)
    reason = dlg.fields["reason"]
    reason.setCurrentIndex(reason.findData("out_of_scope"))
    qtbot.waitUntil(lambda: bool(dlg.fields["reply"].toPlainText().strip()))
    settle(qtbot, window)
    template = dlg.fields["reply"].toPlainText()
    assert template == replies.reason_template(demo_ws, tid, "out_of_scope")
    accept(qtbot, window, dlg)
    d = detail(demo_ws, tid)
    assert d["status"] == status and d["reason"] == "out_of_scope"
    assert d["messages"][-1]["text"] == template


def test_resolve_then_reopen(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "in_progress")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, "resolve")
    dlg.fields["summary"].setPlainText("Исправили форму.")
    accept(qtbot, window, dlg)
    assert detail(demo_ws, tid)["status"] == "resolved"
    qtbot.waitUntil(lambda: window.ticket_actions.actions["reopen"].isEnabled())
    dlg = trigger(qtbot, window, "reopen")
    dlg.fields["note"].setText("client says it still fails")
    accept(qtbot, window, dlg)
    assert detail(demo_ws, tid)["status"] == "in_progress"


def test_assign_mark_paid_and_note(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "new")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, "assign")
    combo = dlg.fields["agent"]
    combo.setCurrentIndex(combo.findData("olga"))
    accept(qtbot, window, dlg)
    assert detail(demo_ws, tid)["assignee"] == "olga"

    dlg = trigger(qtbot, window, "paid")
    dlg.fields["reason"].setText("Work outside the plan")
    accept(qtbot, window, dlg)
    d = detail(demo_ws, tid)
    assert d["paid"] is True and d["paid_reason"] == "Work outside the plan"

    dlg = trigger(qtbot, window, "note")
    dlg.fields["text"].setPlainText("Позвонить клиенту после обеда")
    accept(qtbot, window, dlg)
    notes = [m for m in detail(demo_ws, tid)["messages"] if m["direction"] == "note"]
    assert notes[-1]["text"] == "Позвонить клиенту после обеда"
    assert "Notes (" in window.detail.tabs.tabText(2)


def test_merge_into_original(qtbot, window, demo_ws):
    new = listing.list_tickets(demo_ws, "new")
    # Two of one client's: a ticket merges only into one of its own client's.
    dup, orig = next((a["tid"], b["tid"]) for a in new for b in new if a is not b and a["client"] and a["client"] == b["client"])
    open_ticket(qtbot, window, dup)
    dlg = trigger(qtbot, window, "merge")
    dlg.fields["into"].setText(orig)
    accept(qtbot, window, dlg)
    d = detail(demo_ws, dup)
    assert d["status"] == "duplicate" and d["duplicate_of"] == orig


def test_split_selected_message(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "resolved")
    open_ticket(qtbot, window, tid)
    before = [m["id"] for m in detail(demo_ws, tid)["messages"] if m["direction"] != "note"]
    dlg = trigger(qtbot, window, "split")
    messages = dlg.fields["messages"]
    shown = [m for m in detail(demo_ws, tid)["messages"] if m["direction"] != "note"]
    for i, m in enumerate(shown):  # which question each message asks, at the agent's clock
        item = messages.item(i)
        head, _, preview = item.text().partition("\n")
        assert head.startswith(local_time(datetime.fromisoformat(m["date"])))
        assert preview.rstrip("…") in " ".join(m["text"].split())
        assert item.toolTip() == m["text"].strip()[:2000]
    messages.item(messages.count() - 1).setCheckState(Qt.CheckState.Checked)
    dlg.fields["subject"].setText("Отдельный вопрос")
    accept(qtbot, window, dlg)
    after = [m["id"] for m in detail(demo_ws, tid)["messages"] if m["direction"] != "note"]
    assert len(after) == len(before) - 1
    newest = listing.list_tickets(demo_ws)[-1]
    assert newest["subject"] == "Отдельный вопрос" or any(
        t["subject"] == "Отдельный вопрос" for t in listing.list_tickets(demo_ws))


def test_log_phone_consultation(qtbot, window, demo_ws):
    count = len(listing.list_tickets(demo_ws))
    dlg = trigger(qtbot, window, "log_contact")
    dlg.fields["requester"].setText("m.ivanova@romashka.ru")
    dlg.fields["subject"].setText("Смена пароля администратора")
    dlg.fields["text"].setPlainText("Просит сменить пароль — только письменно.")
    dlg.fields["account_change"].setChecked(True)
    accept(qtbot, window, dlg)
    items = listing.list_tickets(demo_ws)
    assert len(items) == count + 1
    new = max(items, key=lambda t: t["tid"])
    assert new["channel"] == "phone" and "written_confirmation_required" in new["flags"]
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == new["tid"])


def test_reply_sends_and_drops_the_draft(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "in_progress")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, "reply")
    settle(qtbot, window)
    assert dlg.parent() is not None and window.detail.isAncestorOf(dlg)  # inline, under the thread
    dlg.quote_box.setChecked(False)
    combo = dlg.templates
    combo.setCurrentIndex(next(i for i in range(combo.count()) if "Work done" in combo.itemText(i)))
    dlg.insert_template()
    settle(qtbot, window)
    text = dlg.editor.toPlainText()
    assert tid in text and "{{" not in text
    dlg.save_draft()
    settle(qtbot, window)
    assert replies.load_draft(demo_ws, tid) == text
    dlg.send()
    settle(qtbot, window)
    d = detail(demo_ws, tid)
    assert d["messages"][-1]["direction"] == "out" and d["messages"][-1]["text"] == text
    assert replies.load_draft(demo_ws, tid) == ""
    assert window.composer.composer is None


def test_reply_collision_is_stopped_and_draft_kept(qtbot, window, demo_ws, demo_clock):
    tid = first_with(demo_ws, "in_progress")
    open_ticket(qtbot, window, tid)
    dlg = trigger(qtbot, window, "reply")
    settle(qtbot, window)
    dlg.quote_box.setChecked(False)
    dlg.editor.setPlainText("Мой ответ")
    # A colleague answers meanwhile (through the same service, another agent).
    demo_clock.advance(minutes=1)
    other = type(demo_ws)(paths=demo_ws.paths, db=demo_ws.db, clock=demo_clock, actor="dmitry")
    replies.reply(other, tid, "Ответ коллеги")
    dlg.send()
    settle(qtbot, window)
    assert "replied meanwhile" in str(errors.QUIET["last"])
    assert "Дмитрий Козлов" in str(errors.QUIET["last"])
    assert dlg.isVisible() and window.composer.composer is dlg
    assert replies.load_draft(demo_ws, tid) == "Мой ответ"
    texts = [m["text"] for m in detail(demo_ws, tid)["messages"]]
    assert "Мой ответ" not in texts
    # The agent has now seen the colleague's answer; a second Send goes through on purpose.
    qtbot.waitUntil(lambda: dlg.send_button.isEnabled())
    dlg.send()
    settle(qtbot, window)
    assert detail(demo_ws, tid)["messages"][-1]["text"] == "Мой ответ"


def test_stale_version_is_a_plain_conflict(qtbot, window, demo_ws):
    tid = first_with(demo_ws, "new")
    open_ticket(qtbot, window, tid)
    tickets.assign(demo_ws, tid, "olga")  # someone else changes it after we opened it
    trigger(qtbot, window, "take")
    assert "changed by someone else" in str(errors.QUIET["last"])
    assert detail(demo_ws, tid)["status"] == "new"


def test_the_act_actions_issue_send_and_accept_through_the_window(qtbot, window, demo_ws):
    """Issue, send and accept run the acts service in the write lane (imported there on first
    use) and say what they did; accepting closes the resolved ticket."""
    tid = first_with(demo_ws, "resolved")
    open_ticket(qtbot, window, tid)
    notices: list[str] = []
    window.ticket_actions.notice.connect(notices.append)
    for key, said in (("issue_act", "saved to"), ("send_act", "queued to the client"), ("accept_act", "accepted")):
        count = len(notices)
        window.ticket_actions.actions[key].trigger()
        qtbot.waitUntil(lambda count=count: len(notices) > count, timeout=20_000)
        assert said in notices[-1], notices[-1]
        settle(qtbot, window)
    qtbot.waitUntil(lambda: detail(demo_ws, tid)["status"] == "closed")
