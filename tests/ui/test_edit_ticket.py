"""Ticket ▸ Edit ticket… changes priority, category, department, client, requester and the
password reminder from the window, by keyboard, and the pane shows the new plan and deadlines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.services import clients
from desktop.services.reads import listing
from tests.ui.conftest import detail, save_screenshot, settle
from tests.ui.test_actions import open_ticket


def _unidentified(ws) -> str:
    return next(t["tid"] for t in listing.list_tickets(ws, "new") if "client_not_identified" in t["flags"])


def _premium_client(ws) -> str:
    return next(c.name for c in clients.list_clients(ws) if c.plan == "premium")


def _open_by_keyboard(qtbot, window):
    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.detail.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    window.ticket_actions.dialogOpened.disconnect(opened.append)
    assert opened, "Ctrl+Shift+E opened no dialog"
    return opened[0]


def test_attach_a_client_and_raise_priority_from_the_window(qtbot, window, demo_ws, tmp_path):
    tid, client = _unidentified(demo_ws), _premium_client(demo_ws)
    before = detail(demo_ws, tid)
    open_ticket(qtbot, window, tid)
    assert window.ticket_actions.actions["edit"] in window.detail.toolbar.actions()
    assert window.ticket_actions.actions["edit"] in window.ticket_menu.actions()

    dlg = _open_by_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: dlg.client_combo.findData(client) >= 0)  # the list is read in the background
    assert dlg.client_combo.currentData() == ""  # not identified yet
    dlg.client_combo.setCurrentIndex(dlg.client_combo.findData(client))
    dlg.fields["priority"].setCurrentIndex(dlg.fields["priority"].findData("urgent"))
    dlg.fields["category"].setCurrentIndex(dlg.fields["category"].findData("defect"))
    dlg.fields["password_reminder"].setChecked(True)
    save_screenshot(dlg, "edit_ticket_en.png", tmp_path)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(qtbot, window)

    after = detail(demo_ws, tid)
    assert (after["client"], after["plan"], after["priority"], after["category"]) == (
        client, "premium", "urgent", "defect")
    assert after["password_reminder"] is True
    assert "client_not_identified" not in after["flags"]
    assert after["reaction_due_at"] != before["reaction_due_at"]
    fields = {h["field"] for h in after["history"] if h["action"] == "change"}
    assert {"client", "plan", "priority", "category", "password_reminder"} <= fields
    qtbot.waitUntil(lambda: window.detail.data.client == client and window.detail.data.priority == "urgent")


def test_nothing_changed_sends_nothing_and_a_bad_address_is_refused(qtbot, window, demo_ws):
    from ui import errors

    tid = _unidentified(demo_ws)
    open_ticket(qtbot, window, tid)
    version = detail(demo_ws, tid)["version"]
    dlg = _open_by_keyboard(qtbot, window)
    dlg.accept()
    settle(qtbot, window)
    assert detail(demo_ws, tid)["version"] == version

    dlg = _open_by_keyboard(qtbot, window)
    dlg.fields["requester"].setText("not an address")
    dlg.accept()
    settle(qtbot, window)
    assert "not an e-mail address" in str(errors.QUIET["last"])
    assert detail(demo_ws, tid)["version"] == version


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_dialog_fits_its_words(qtbot, window, demo_ws, tmp_path, lang):
    window.set_language(lang)
    try:
        open_ticket(qtbot, window, _unidentified(demo_ws))
        dlg = _open_by_keyboard(qtbot, window)
        settle(qtbot, window)
        for w in dlg.fields.values():
            hint = w.sizeHint().width()
            assert w.width() >= min(hint, w.minimumSizeHint().width()), (lang, w)
        check = dlg.fields["password_reminder"]
        assert check.width() >= check.sizeHint().width(), "the reminder's words are cut"
        assert dlg.width() <= 900
        save_screenshot(dlg, f"edit_ticket_dialog_{lang}.png", tmp_path)
        save_screenshot(window, f"edit_ticket_window_{lang}.png", tmp_path)
        dlg.reject()
    finally:
        window.set_language("en")
