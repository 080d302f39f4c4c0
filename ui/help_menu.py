"""Help ▸ Keyboard shortcuts (also F1, and ``?`` in the queue) and Help ▸ Open log folder.

The shortcuts are read off the window's own actions when the list opens, so it never goes
stale: an action given a key anywhere in the window is listed under its menu, in the window's
language and in the keys' native spelling (⌘ on macOS).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcut_rows(frame: QMainWindow) -> list[tuple[str, list[tuple[str, str]]]]:
    """(menu title, [(action, keys)]) for every menu of the window's bar with a key in it."""
    out = []
    for top in frame.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows = [(_plain(a.text()), a.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
                for a in _actions(menu) if not a.shortcut().isEmpty()]
        if rows:
            out.append((_plain(menu.title()), rows))
    return out


def _actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for a in menu.actions():
        sub = a.menu()
        if isinstance(sub, QMenu):
            found += _actions(sub)
        elif not a.isSeparator():
            found.append(a)
    return found


def _plain(text: str) -> str:
    """A menu text as read: no mnemonic ampersand, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…").strip()


class ShortcutsDialog(QDialog):
    def __init__(self, frame: QMainWindow) -> None:
        super().__init__(frame)
        self.setObjectName("shortcuts")
        self.setWindowTitle(QCoreApplication.translate("Help", "Keyboard shortcuts"))
        lay = QVBoxLayout(self)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([QCoreApplication.translate("Help", "Action"),
                                   QCoreApplication.translate("Help", "Keys")])
        self.tree.setRootIsDecorated(False)
        for title, rows in shortcut_rows(frame):
            group = QTreeWidgetItem(self.tree, [title, ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            for text, keys in rows:
                QTreeWidgetItem(self.tree, [text, keys])
        self.tree.expandAll()
        # Every action's name whole, in either language: the columns take their contents' width.
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        width = sum(self.tree.sizeHintForColumn(c) for c in range(2)) + 80
        self.resize(max(width, 420), 600)


class HelpEntries(QObject):
    """The Help menu's entries above About, and the ``?`` key in the queue."""

    def __init__(self, frame: QMainWindow, menu: QMenu, queue: QWidget, log_folder: Path) -> None:
        super().__init__(frame)
        self.frame, self.log_folder = frame, log_folder
        self.dialog: ShortcutsDialog | None = None
        self.shortcuts_action = QAction(frame)
        self.shortcuts_action.setObjectName("action_shortcuts")
        self.shortcuts_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        menu.addAction(self.shortcuts_action)
        # "?" as in Gmail and Zammad — in the queue only, where it types nothing.
        question = QShortcut(QKeySequence("?"), queue)
        question.setContext(Qt.ShortcutContext.WidgetShortcut)
        question.activated.connect(self.show_shortcuts)
        self.log_action = QAction(frame)
        self.log_action.setObjectName("action_open_log_folder")
        self.log_action.triggered.connect(self.open_log_folder)
        menu.addAction(self.log_action)
        menu.addSeparator()

    def show_shortcuts(self) -> None:
        """Open the list, or bring it forward if it is open already (one list, not one per key press)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        self.dialog = ShortcutsDialog(self.frame)
        self.dialog.show()

    def open_log_folder(self) -> bool:
        self.log_folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_folder)))

    def retranslate(self) -> None:
        self.shortcuts_action.setText(QCoreApplication.translate("Help", "Keyboard shortcuts"))
        self.log_action.setText(QCoreApplication.translate("Help", "Open log folder"))
