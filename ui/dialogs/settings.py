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

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.workspace import Workspace
from ui.dialogs.calendars import CalendarsPage
from ui.dialogs.clients import ClientsPage
from ui.dialogs.page import SettingsPage
from ui.dialogs.plans import PlansPage
from ui.dialogs.regulation import RegulationPage
from ui.dialogs.settings_more import TABS as MORE_TABS
from ui.dialogs.templates import TemplatesPage
from ui.dialogs.workstation import WorkstationPage
from ui.screen_fit import fit_to_screen
from ui.workers import Runner

translate = QCoreApplication.translate

#: Tab keys in their order on screen.
TABS = ("plans", "calendars", "clients", "templates", "regulation", *(t.key for t in MORE_TABS), "workstation")


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle(translate("Settings", "Settings"))
        self.resize(1040, 700)
        fit_to_screen(self)
        self.changed_anything = False
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settings_tabs")
        self.plans = PlansPage(self, runner, ws)
        self.calendars = CalendarsPage(self, runner, ws)
        self.clients = ClientsPage(self, runner, ws)
        self.templates = TemplatesPage(self, runner, ws)
        self.regulation = RegulationPage(self, runner, ws)
        self.workstation = WorkstationPage(self, runner, ws)
        self.pages: dict[str, SettingsPage] = {
            "plans": self.plans, "calendars": self.calendars, "clients": self.clients,
            "templates": self.templates, "regulation": self.regulation, "workstation": self.workstation}
        titles = {"plans": translate("Settings", "Support plans"), "calendars": translate("Settings", "Calendars"),
                  "clients": translate("Settings", "Clients"), "templates": translate("Settings", "Templates"),
                  "regulation": translate("Settings", "Regulation"),
                  "workstation": translate("Settings", "Workstation")}
        for tab in MORE_TABS:
            self.pages[tab.key], titles[tab.key] = tab.build(self, runner, ws), tab.title()
        for key in TABS:
            self.tabs.addTab(self.pages[key], titles[key])
            self.pages[key].changed.connect(self._changed)
        # A calendar saved on its tab must appear in the plans' calendar list, and a plan in the
        # clients' plan list.
        self.calendars.changed.connect(self.plans.reload)
        self.plans.changed.connect(self.clients.reload)
        # A reason added on its tab gets its reply template on the Templates tab.
        self.pages["reasons"].changed.connect(self.templates.reload)
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

    def __init__(self, window: QWidget, menu: QMenu, runner: Runner, ws: Workspace,
                 on_changed: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.runner, self.ws, self.on_changed = window, runner, ws, on_changed
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
                 "regulation": translate("Settings", "Regulation…"),
                 "workstation": translate("Settings", "Workstation…")}
        texts.update({tab.key: tab.menu_text() for tab in MORE_TABS})
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
            self.dialog = SettingsDialog(self.window, self.runner, self.ws)
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
            self.on_changed()
