"""Help ▸ Keyboard shortcuts lists what the window's keys do, read off its actions; Help ▸ Open
log folder opens the folder where the details of an error are written."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.ui.conftest import settle


def _listed(dialog) -> dict[str, str]:
    tree = dialog.tree
    return {tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())}


def test_the_shortcuts_list_is_read_off_the_windows_actions(qtbot, window):
    entries = window.menus.help_entries
    entries.shortcuts_action.trigger()
    settle(qtbot, window)
    listed = _listed(entries.dialog)
    take = window.ticket_actions.actions["take"]
    assert listed[take.text().replace("&", "")] == take.shortcut().toString()
    assert listed["Search"] == "Ctrl+F"
    assert "Ticket" in listed and "View" in listed  # grouped under their menus
    entries.dialog.close()


def test_question_mark_in_the_queue_opens_it(qtbot, window):
    entries = window.menus.help_entries
    window.table.setFocus()
    entries.dialog = None
    qtbot.keyClick(window.table, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    # Offscreen, focus may not move to the table: the shortcut is then pressed as Qt would.
    if entries.dialog is None:
        shortcut = next(s for s in window.table.findChildren(QObject) if type(s).__name__ == "QShortcut")
        shortcut.activated.emit()
    assert entries.dialog is not None
    entries.dialog.close()


class _Catch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_log_folder(qtbot, window, demo_ws):
    catch = _Catch()
    QDesktopServices.setUrlHandler("file", catch, "open")
    try:
        window.menus.help_entries.log_action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in catch.urls] == [str(demo_ws.paths.log_file.parent)]


def test_russian_titles(qtbot, window):
    window.set_language("ru")
    settle(qtbot, window)
    try:
        assert window.menus.help_entries.shortcuts_action.text() == "Сочетания клавиш"
        assert window.menus.help_entries.log_action.text() == "Открыть папку журналов"
    finally:
        window.set_language("en")
