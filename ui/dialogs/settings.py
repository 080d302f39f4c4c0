"""The administrator's settings (R-UI-6): support plans, calendars, clients, templates and the
regulation's timers.

One dialog with a tab per subject; each tab is a small page module (``ui.dialogs.plans`` …)
imported the first time the dialog opens, so the workstation's start-up does not pay for them.
Every page works the same way: reads and writes go through the window's ``Runner`` to the same
services the CLI uses; a page keeps the record it loaded as the *expected* state of its save, so
a change someone made meanwhile is refused with a plain message while the form keeps what the
administrator typed (a second Save then deliberately replaces the other change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ConflictError, ReglamentError
from desktop.services.workspace import Workspace
from ui import errors
from ui.countdown import MUTED, state_style
from ui.errors import show_error, user_message
from ui.workers import Runner

if TYPE_CHECKING:
    from ui.main_window import MainWindow

translate = QCoreApplication.translate

#: Tab keys in their order on screen.
TABS = ("plans", "calendars", "clients", "templates", "regulation")


def select_by_data(listing: QListWidget, value: Any, *, quiet: bool = True) -> None:
    """Make the item carrying ``value`` (its ``UserRole`` data) the current one, if there is one;
    ``quiet``: without the change signals (the caller fills the form itself)."""
    for i in range(listing.count()):
        item = listing.item(i)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == value:
            blocked = listing.blockSignals(quiet)
            listing.setCurrentRow(i)
            listing.blockSignals(blocked)
            return


def confirm_discard(parent: QWidget, what: str) -> bool:
    """Ask before unsaved edits are dropped by choosing another row. Tests run quiet (no
    message boxes) and answer "keep editing", so nothing typed is ever lost silently."""
    if errors.QUIET["on"]:
        return False
    answer = QMessageBox.question(
        parent, translate("Settings", "Unsaved changes"),
        translate("Settings", "Discard your unsaved changes to {0}?").format(what),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


class SettingsPage(QWidget):
    """What every settings tab shares: the runner and workspace, a status line under the form,
    and the way errors reach the administrator (plain words, never a traceback)."""

    #: Something was stored: the window re-reads the queue (deadlines may have moved).
    changed = Signal()

    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent)
        self.runner, self.ws = runner, ws
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def note(self, text: str) -> None:
        self.status.setStyleSheet(state_style("ok", self))
        self.status.setText(text)

    def failed(self, exc: BaseException) -> None:
        """A refusal is shown beside the form; a conflict or a bug also gets the message box."""
        self.status.setStyleSheet(state_style("breached", self))
        self.status.setText(user_message(exc))
        if isinstance(exc, ConflictError) or not isinstance(exc, ReglamentError):
            show_error(self, exc)
        else:
            errors.QUIET["last"] = user_message(exc)

    def reload(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def save(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def revert(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def save_revert_row(self, context: str, object_name: str) -> QHBoxLayout:
        """The Save and Revert buttons under every tab's form, wired to :meth:`save` and
        :meth:`revert`; a page adds its own buttons or the status line to the row."""
        row = QHBoxLayout()
        self.save_button = QPushButton(translate(context, "Save"), self)
        self.save_button.setObjectName(object_name)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(translate(context, "Revert"), self)
        self.revert_button.clicked.connect(self.revert)
        row.addWidget(self.save_button)
        row.addWidget(self.revert_button)
        return row

    def hint(self, text: str) -> QLabel:
        """A grey explanation under a form: what saving will do."""
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setStyleSheet(MUTED)
        return label


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        from ui.dialogs.calendars import CalendarsPage
        from ui.dialogs.clients import ClientsPage
        from ui.dialogs.plans import PlansPage
        from ui.dialogs.regulation import RegulationPage
        from ui.dialogs.templates import TemplatesPage

        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(translate("Settings", "Settings"))
        self.resize(1040, 700)
        self.changed_anything = False
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settings_tabs")
        self.plans = PlansPage(self, runner, ws)
        self.calendars = CalendarsPage(self, runner, ws)
        self.clients = ClientsPage(self, runner, ws)
        self.templates = TemplatesPage(self, runner, ws)
        self.regulation = RegulationPage(self, runner, ws)
        self.pages: dict[str, SettingsPage] = {
            "plans": self.plans, "calendars": self.calendars, "clients": self.clients,
            "templates": self.templates, "regulation": self.regulation}
        titles = {"plans": translate("Settings", "Support plans"), "calendars": translate("Settings", "Calendars"),
                  "clients": translate("Settings", "Clients"), "templates": translate("Settings", "Templates"),
                  "regulation": translate("Settings", "Regulation")}
        for key in TABS:
            self.tabs.addTab(self.pages[key], titles[key])
            self.pages[key].changed.connect(self._changed)
        # A calendar saved on its tab must appear in the plans' calendar list, and a plan in the
        # clients' plan list.
        self.calendars.changed.connect(self.plans.reload)
        self.plans.changed.connect(self.clients.reload)
        outer.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.pages[key])

    def _changed(self) -> None:
        self.changed_anything = True


class SettingsEntry(QObject):
    """The File ▸ Settings submenu of the main window; opens one dialog at the chosen tab."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: SettingsDialog | None = None
        self.retired: list[SettingsDialog] = []
        self.menu = QMenu(window)
        self.menu.setObjectName("settings_menu")
        menu.addMenu(self.menu)
        self.actions: dict[str, QAction] = {}
        for key in TABS:
            act = QAction(window)
            act.setObjectName(f"action_settings_{key}")
            act.triggered.connect(lambda _c=False, k=key: self.open(k))
            self.menu.addAction(act)
            self.actions[key] = act
        self.actions["plans"].setShortcut(QKeySequence("Ctrl+,"))
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(translate("Settings", "Settings"))
        texts = {"plans": translate("Settings", "Support plans…"), "calendars": translate("Settings", "Calendars…"),
                 "clients": translate("Settings", "Clients…"), "templates": translate("Settings", "Reply templates…"),
                 "regulation": translate("Settings", "Regulation…")}
        for key, act in self.actions.items():
            act.setText(texts[key])
        # The dialog's texts are set when it is built: after a language switch a closed dialog is
        # replaced on the next open. The old one is kept, not deleted, since a read still under
        # way may yet answer into it (one spare dialog per switch of language).
        dlg = self.dialog
        if dlg is not None and not dlg.isVisible():
            self.retired.append(dlg)
            self.dialog = None

    def open(self, tab: str = "plans") -> SettingsDialog:
        """Open at ``tab``. The dialog is kept (not deleted) after closing, so a background read
        still under way never hands its result to a deleted widget; it re-reads on each open."""
        if self.dialog is None:
            self.dialog = SettingsDialog(self.window, self.window.runner, self.window.ws)
            self.dialog.finished.connect(self._closed)
        if not self.dialog.isVisible():
            for page in self.dialog.pages.values():
                page.reload()
        self.dialog.show_tab(tab)
        self.dialog.open()
        self.dialog.raise_()
        return self.dialog

    def _closed(self, _result: Any) -> None:
        if self.dialog is not None and self.dialog.changed_anything:
            self.dialog.changed_anything = False
            self.window.refresh_all()
