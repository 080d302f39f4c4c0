"""File ▸ Log phone/chat consultation… (Ctrl+L): the call is logged with who answered and when,
opens in work with the reaction met, and the window shows the new ticket."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.services import clients
from desktop.services.reads import listing
from tests.ui.conftest import detail, save_screenshot, settle


def _open_by_keyboard(qtbot, window):
    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    window.ticket_actions.dialogOpened.disconnect(opened.append)
    assert opened, "Ctrl+L opened no dialog"
    return opened[0]


def test_a_call_answered_by_a_colleague_an_hour_ago(qtbot, window, demo_ws, demo_clock, tmp_path):
    client = next(c for c in clients.list_clients(demo_ws) if c.domains)
    count = len(listing.list_tickets(demo_ws))
    dlg = _open_by_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: dlg.client_combo.findData(client.name) >= 0)
    dlg.fields["channel"].setCurrentIndex(dlg.fields["channel"].findData("phone"))
    dlg.client_combo.setCurrentIndex(dlg.client_combo.findData(client.name))
    dlg.fields["requester"].setText(f"it@{client.domains[0]}")
    dlg.fields["subject"].setText("Смена пароля администратора")
    dlg.fields["text"].setPlainText("Просит сменить пароль — только письменно.")
    dlg.fields["answered_by"].setCurrentIndex(dlg.fields["answered_by"].findData("olga"))
    dlg.when.setDateTime(dlg.when.dateTime().addSecs(-3600))
    dlg.fields["account_change"].setChecked(True)
    save_screenshot(dlg, "log_contact_filled_en.png", tmp_path)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(qtbot, window)

    items = listing.list_tickets(demo_ws)
    assert len(items) == count + 1
    new = max(items, key=lambda t: t["tid"])
    d = detail(demo_ws, new["tid"])
    assert (d["status"], d["assignee"], d["client"], d["channel"]) == ("in_progress", "olga", client.name, "phone")
    assert "written_confirmation_required" in d["flags"]
    logged = next(h for h in d["history"] if h["action"] == "contact_logged")
    expected = (demo_clock() - timedelta(hours=1)).replace(second=0, microsecond=0)
    assert logged["new"] == "olga" and logged["details"]["answered_at"].startswith(expected.isoformat()[:16])
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == new["tid"])
    reaction = dict(window.detail.data.countdowns).get("reaction")
    assert reaction is None or reaction.state == "met"  # never a running clock
    tree = window.detail.history
    lines = [tree.topLevelItem(i).text(2) for i in range(tree.topLevelItemCount())]
    assert any(line.startswith("Contact logged: answered by olga") for line in lines), lines


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_dialog_fits_its_words(qtbot, window, tmp_path, lang):
    window.set_language(lang)
    QApplication.processEvents()  # the language change reaches the widgets before the dialog opens
    try:
        dlg = _open_by_keyboard(qtbot, window)
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).text()
        assert ok == {"en": "Create ticket", "ru": "Создать обращение"}[lang]
        settle(qtbot, window)
        for key in ("account_change",):
            w = dlg.fields[key]
            assert w.width() >= w.sizeHint().width(), (lang, key)
        for w in dlg.fields.values():
            assert w.width() >= w.minimumSizeHint().width(), (lang, w)
        assert dlg.width() <= 900
        save_screenshot(dlg, f"log_contact_{lang}.png", tmp_path)
        dlg.reject()
    finally:
        window.set_language("en")
