"""Acts and paid work from the window alone (issue 18.4, 18.6): the client's refusal with rework
items and due dates, the rework countdowns in the ticket with Mark done, the "Rework due" view
and the dashboard's rework tab, Save act as DOCX/PDF, the act shortcuts, and the paid suggestion
confirmed or cleared on the ticket pane."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.domain.tickets import Channel
from desktop.errors import ValidationError
from desktop.services import acts, tickets
from desktop.services.reads import listing
from tests.ui.conftest import detail, save_screenshot, settle
from tests.ui.test_actions import open_ticket

#: Saturday 21 November 2026, 23:00 in Moscow (the demo's clock is Friday noon).
SATURDAY_NIGHT = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)


def act_sent(ws) -> str:
    """A resolved demo ticket whose acceptance act went to the client."""
    for row in listing.list_tickets(ws, "resolved"):
        try:
            acts.issue_act(ws, row["tid"])
        except ValidationError:
            continue  # a client without a contract number: no act
        acts.send_act(ws, row["tid"])
        return row["tid"]
    raise AssertionError("the demo has no resolved ticket of a client with a contract")


def _by_keyboard(qtbot, window, key: Qt.Key):
    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.detail.setFocus()
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    window.ticket_actions.dialogOpened.disconnect(opened.append)
    assert opened, f"Ctrl+Shift+{key} opened no dialog"
    return opened[0]


def _fill(dlg) -> None:
    dlg.reasons_edit.setPlainText("Форма не отправляется в Safari\nНет уведомления менеджеру")
    dlg.table.item(0, 0).setText("Исправить отправку формы в Safari")
    dlg.date_edit(0).setDate(dlg.date_edit(0).date().addDays(-4))  # due in three days
    dlg.add_button.click()
    dlg.table.item(1, 0).setText("Добавить уведомление менеджеру о новой заявке")


def test_refuse_an_act_with_rework_and_work_it_off_in_the_window(qtbot, window, demo_ws, demo_clock, tmp_path):
    tid = act_sent(demo_ws)
    open_ticket(qtbot, window, tid)
    act = window.ticket_actions.actions["refuse_act"]
    assert act.isEnabled() and act in window.ticket_menu.actions()
    dlg = _by_keyboard(qtbot, window, Qt.Key.Key_X)
    assert dlg.objectName() == "refuse_act_dialog"

    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # nothing written yet: said, not closed
    assert dlg.isVisible() and dlg.problem.isVisible()
    assert "at least one of the client's reasons" in dlg.problem.text()
    assert "says nothing to do" in dlg.problem.text()
    _fill(dlg)
    assert not dlg.problem.isVisible()  # fixed as the agent types
    save_screenshot(dlg, "refuse_act_dialog_filled_en.png", tmp_path)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not dlg.isVisible()

    d = detail(demo_ws, tid)
    assert d["status"] == "in_progress"
    assert [a["kind"] for a in d["acts"]][-1] == "bilateral"
    assert [r["description"] for r in d["rework"]] == ["Исправить отправку формы в Safari",
                                                       "Добавить уведомление менеджеру о новой заявке"]
    panel = window.detail.acts_panel
    qtbot.waitUntil(lambda: panel.rework_list.topLevelItemCount() == 2)
    assert panel.isVisible() and panel.act_row.isVisible()
    assert "Bilateral act" in panel.act_label.text()
    first = panel.rework_list.topLevelItem(0)
    assert first.text(2).endswith("left") and first.text(0) == "Исправить отправку формы в Safari"

    # the window's tick counts down without a read: four days on, the first one is overdue
    demo_clock.t += timedelta(days=4)
    panel.tick(demo_ws.now(), "en")
    assert panel.rework_list.topLevelItem(0).text(2).startswith("overdue by")
    assert panel.rework_list.topLevelItem(0).foreground(2).color().name() == "#c62828"
    save_screenshot(window.detail, "rework_in_the_ticket_en.png", tmp_path)

    panel.rework_list.setCurrentItem(panel.rework_list.topLevelItem(0))
    assert panel.done_button.isEnabled()
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    d = detail(demo_ws, tid)
    assert [r["state"] for r in d["rework"]] == ["ok", "done_late"]
    assert d["history"][-1]["action"] == "rework_done"
    qtbot.waitUntil(lambda: panel.rework_list.topLevelItem(1) is not None
                    and panel.rework_list.topLevelItem(1).text(2).startswith("done"))

    # the "Rework due" view holds it, counting down to its rework
    window.views.select("rework")
    settle(qtbot, window)
    assert window.model.rowCount() == 1 and window.views.count_of("rework") == 1
    assert window.countdown_cell(0)[0].startswith("rework ·")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_refusal_dialog_and_the_pane_fit_their_words(qtbot, window, demo_ws, tmp_path, lang):
    tid = act_sent(demo_ws)
    window.set_language(lang)
    try:
        open_ticket(qtbot, window, tid)
        dlg = _by_keyboard(qtbot, window, Qt.Key.Key_X)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        for button in (dlg.add_button, dlg.remove_button, *dlg.buttons.buttons()):
            assert button.width() >= button.sizeHint().width(), (lang, button.text())
        assert dlg.width() <= 900
        save_screenshot(dlg, f"refuse_act_dialog_{lang}.png", tmp_path)
        _fill(dlg)
        dlg.accept()
        settle(qtbot, window)
        panel = window.detail.acts_panel
        qtbot.waitUntil(lambda: panel.rework_list.topLevelItemCount() == 2)
        assert panel.done_button.width() >= panel.done_button.sizeHint().width()
        for button in (panel.pdf_button, panel.docx_button):
            assert button.isVisible() and button.width() >= button.sizeHint().width()
        save_screenshot(window.detail, f"ticket_rework_{lang}.png", tmp_path)
        save_screenshot(window, f"window_rework_{lang}.png", tmp_path)
    finally:
        window.set_language("en")


def test_save_the_act_as_docx_and_pdf_from_the_window(qtbot, window, demo_ws, tmp_path):
    from docx import Document

    tid = act_sent(demo_ws)
    open_ticket(qtbot, window, tid)
    number = detail(demo_ws, tid)["acts"][-1]["number"]
    notices: list[str] = []
    window.ticket_actions.notice.connect(notices.append)
    for fmt in ("docx", "pdf"):
        action = window.ticket_actions.actions[f"save_act_{fmt}"]
        assert action.isEnabled() and action in window.ticket_menu.actions()
        action.trigger()
        dlg = window.ticket_actions.acts.file_dialog
        assert dlg is not None and dlg.isVisible()
        assert dlg.selectedFiles()[0].endswith(f"act-{number}.{fmt}".replace("/", "_"))
        target = tmp_path / f"chosen.{fmt}"
        dlg.selectFile(str(target))
        dlg.accept()
        qtbot.waitUntil(lambda target=target: target.exists(), timeout=20_000)
        settle(qtbot, window)
        assert f"Act {number} saved to {target}" in notices[-1]
    doc = Document(str(tmp_path / "chosen.docx"))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert number in body and tid in body
    assert (tmp_path / "chosen.pdf").read_bytes().startswith(b"%PDF")


def test_act_shortcuts_are_there_and_every_shortcut_of_the_window_is_its_own(window):
    a = window.ticket_actions.actions
    assert a["send_act"].shortcut().toString() == "Ctrl+Shift+J"
    assert a["accept_act"].shortcut().toString() == "Ctrl+Shift+U"
    assert a["refuse_act"].shortcut().toString() == "Ctrl+Shift+X"
    seen: dict[str, str] = {}
    for act in window.findChildren(QAction):
        for key in act.shortcuts():
            text = key.toString()
            assert text not in seen or seen[text] == act.text(), f"{text}: {seen.get(text)} and {act.text()}"
            seen[text] = act.text()


def _saturday_call(ws, clock) -> str:
    clock.t = SATURDAY_NIGHT
    return tickets.log_contact(ws, channel=Channel.PHONE, client="ООО «Ромашка»", requester="boss@romashka.ru",
                               subject="СРОЧНО: сайт не открывается", text="Позвонили ночью, просят срочно поднять сайт")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_paid_suggestion_confirmed_and_cleared_on_the_pane(qtbot, window, demo_ws, demo_clock, tmp_path, lang):
    tid = _saturday_call(demo_ws, demo_clock)
    window.refresh_all()
    settle(qtbot, window)
    window.set_language(lang)
    try:
        open_ticket(qtbot, window, tid)
        panel = window.detail.acts_panel
        assert panel.paid_row.isVisible()
        text = panel.paid_label.text()
        if lang == "en":
            assert "Suggested as paid work" in text and "outside the plan" in text and "Sat 21.11.2026 23:00" in text
            assert "Mon–Fri 11:00–20:00" in text
        else:
            assert "Предлагается как платная работа" in text and "сб 21.11.2026 23:00" in text
        assert panel.confirm_button.isEnabled() and panel.clear_button.isEnabled()
        assert panel.confirm_button.width() >= panel.confirm_button.sizeHint().width()
        save_screenshot(window.detail, f"paid_suggestion_{lang}.png", tmp_path)

        qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
        settle(qtbot, window)
        d = detail(demo_ws, tid)
        assert d["paid"] is True and d["paid_basis"] == "outside_hours"
        qtbot.waitUntil(lambda: not panel.confirm_button.isEnabled())
        assert ("Paid work" if lang == "en" else "Платная работа") in panel.paid_label.text()
        history = [window.detail.history.topLevelItem(i).text(2) for i in range(window.detail.history.topLevelItemCount())]
        assert any(("Paid work confirmed" if lang == "en" else "Платная работа подтверждена") in h for h in history)
        assert any(("Suggested as paid work" if lang == "en" else "Предложено как платная работа") in h
                   for h in history)

        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
        settle(qtbot, window)
        assert detail(demo_ws, tid)["paid"] is False
        qtbot.waitUntil(lambda: not panel.paid_row.isVisible())
    finally:
        window.set_language("en")


def test_work_unrelated_to_the_services_marked_paid_by_hand(qtbot, window, demo_ws):
    tid = next(t["tid"] for t in listing.list_tickets(demo_ws, "in_progress") if t["client"] and not t["paid"])
    open_ticket(qtbot, window, tid)
    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.ticket_actions.actions["paid"].trigger()
    dlg = opened[0]
    dlg.fields["basis"].setCurrentIndex(dlg.fields["basis"].findData("unrelated"))
    dlg.fields["reason"].setText("Set up ads in Yandex Direct")
    dlg.accept()
    settle(qtbot, window)
    d = detail(demo_ws, tid)
    assert (d["paid"], d["paid_basis"], d["paid_reason"]) == (True, "unrelated", "Set up ads in Yandex Direct")
    qtbot.waitUntil(lambda: window.detail.acts_panel.paid_row.isVisible())
    assert "not related to the client's services: Set up ads" in window.detail.acts_panel.paid_label.text()


def test_the_dashboard_lists_the_rework(qtbot, window, demo_ws):
    tid = act_sent(demo_ws)
    today = demo_ws.now().date()
    acts.refuse_act(demo_ws, tid, ["Не работает"], [("Починить форму", today + timedelta(days=2))])
    d = window.dashboard_entry.open()
    d.resize(1400, 950)
    qtbot.waitUntil(lambda: d.loaded_count >= 1, timeout=10_000)
    settle(qtbot, window)
    lists = d.lists
    assert lists.rework_model.rowCount() == 1 and lists.rework_model.tid(0) == tid
    assert "(1)" in lists.tabs.tabText(lists.tabs.count() - 1)
    assert "Rework due: 1, overdue: 0" in d.cards["acts"].note.text()
    lists.select_rows("rework", [0])
    assert lists.current_list() == "rework" and lists.selected_tids() == [tid]
    d.close()
