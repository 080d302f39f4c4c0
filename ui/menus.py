"""The main window's menu bar: File, View, Ticket, Help, and the queue's context menu.

The menus hold actions; what an action does belongs to whoever owns it (the ticket actions,
the sync, the settings and dashboard entries, the window). Built in two steps: the empty menus
first, so an entry that adds itself to one (the dashboard's, in View) finds it on the window,
then :meth:`WindowMenus.fill`.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.services.reads import queue as queue_service
from ui.about import about_title, show_about
from ui.actions import TicketActions
from ui.dashboard_menu import DashboardEntry, QueueWindow
from ui.dialogs.settings import SettingsEntry
from ui.help_menu import HelpEntries
from ui.language_menu import LanguageMenu
from ui.sync import SyncController
from ui.views_panel import view_title

#: The Ticket menu, in groups between separators.
TICKET_GROUPS = (("take", "reply", "request_info", "escalate"),
                 ("postpone", "refuse", "resolve", "close", "reopen"),
                 ("edit", "assign", "paid", "confirm_paid", "clear_paid", "note", "log_work"), ("merge", "split"),
                 ("issue_act", "send_act", "accept_act", "refuse_act", "save_act_pdf", "save_act_docx"),
                 ("explain",))
#: What a right click on a queue row offers.
CONTEXT_ACTIONS = ("take", "reply", "assign", "resolve")


class MenuHost(QueueWindow, Protocol):
    """What the menus need of the window (named here so they never import it)."""

    settings: QSettings
    ticket_actions: TicketActions
    sync: SyncController


class WindowMenus(QObject):
    def __init__(self, host: MenuHost, frame: QMainWindow) -> None:
        super().__init__(frame)
        self.host, self.frame = host, frame
        mb = frame.menuBar()
        self.file_menu = QMenu(frame)
        self.view_menu = QMenu(frame)
        self.ticket_menu = QMenu(frame)
        self.help_menu = QMenu(frame)
        for menu in (self.file_menu, self.view_menu, self.ticket_menu, self.help_menu):
            mb.addMenu(menu)

    def _action(self, shortcut: QKeySequence | None = None, name: str = "") -> QAction:
        act = QAction(self.frame)
        if shortcut is not None:
            act.setShortcut(shortcut)
        if name:
            act.setObjectName(name)
        return act

    def fill(self) -> None:
        host, frame, actions = self.host, self.frame, self.host.ticket_actions.actions
        self.file_menu.addAction(actions["log_contact"])
        self.accounts_action = self._action(name="action_accounts")
        self.accounts_action.triggered.connect(host.sync.open_accounts)
        self.file_menu.addAction(self.accounts_action)
        # Plans, calendars, clients, templates (R-UI-6).
        self.settings_entry = SettingsEntry(frame, self.file_menu, host.runner, host.ws, host.refresh_all)
        self.sync_now_action = self._action(QKeySequence("Ctrl+Shift+Y"))
        self.sync_now_action.triggered.connect(host.sync.sync_now)
        self.file_menu.addAction(self.sync_now_action)
        self.outbox_action = self._action(name="action_outbox")
        self.outbox_action.triggered.connect(self.open_outbox)
        self.file_menu.addAction(self.outbox_action)
        self.file_menu.addSeparator()
        self.quit_action = self._action(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(frame.close)
        self.file_menu.addAction(self.quit_action)

        self.refresh_action = self._action(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(host.refresh_all)
        self.view_menu.addAction(self.refresh_action)
        self.find_action = self._action(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(host.filters.focus_search)
        self.view_menu.addAction(self.find_action)
        self.dashboard_entry = DashboardEntry(host, frame)
        self.view_menu.addSeparator()
        self.view_actions: list[QAction] = []
        for n, key in enumerate(queue_service.VIEWS):
            act = self._action(QKeySequence(f"Alt+{n + 1}"))
            act.triggered.connect(lambda _c=False, k=key: host.views.select(k))
            self.view_menu.addAction(act)
            self.view_actions.append(act)
        self.view_menu.addSeparator()
        self.language_menu = LanguageMenu(host.settings, frame)
        self.view_menu.addMenu(self.language_menu)

        for group in TICKET_GROUPS:
            for key in group:
                self.ticket_menu.addAction(actions[key])
            self.ticket_menu.addSeparator()

        self.help_entries = HelpEntries(frame, self.help_menu, host.table, host.ws.paths.log_file.parent)
        self.about_action = self._action()
        self.about_action.triggered.connect(lambda: show_about(frame, host.ws.paths))
        self.help_menu.addAction(self.about_action)
        host.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for key in CONTEXT_ACTIONS:
            host.table.addAction(actions[key])

    def open_outbox(self) -> None:
        """File ▸ Outbox…: what waits to be sent, what failed and why, and "Send now"."""
        from ui.outbox_view import OutboxDialog

        dialog = OutboxDialog(self.frame, self.host.runner, self.host.ws)
        dialog.finished.connect(lambda _r: self.host.refresh_all())
        dialog.open()
        self.outbox_dialog = dialog

    def retranslate(self) -> None:
        self.file_menu.setTitle(QCoreApplication.translate("Main", "&File"))
        self.accounts_action.setText(QCoreApplication.translate("Main", "Mail accounts…"))
        self.settings_entry.retranslate()
        self.sync_now_action.setText(QCoreApplication.translate("Main", "Check mail now"))
        self.outbox_action.setText(QCoreApplication.translate("Main", "Outbox…"))
        self.quit_action.setText(QCoreApplication.translate("Main", "Quit"))
        self.view_menu.setTitle(QCoreApplication.translate("Main", "&View"))
        self.refresh_action.setText(QCoreApplication.translate("Main", "Refresh"))
        self.find_action.setText(QCoreApplication.translate("Main", "Search"))
        for act, key in zip(self.view_actions, queue_service.VIEWS, strict=True):
            act.setText(view_title(key))
        self.language_menu.retranslate()
        self.ticket_menu.setTitle(QCoreApplication.translate("Main", "&Ticket"))
        self.help_menu.setTitle(QCoreApplication.translate("Main", "&Help"))
        self.help_entries.retranslate()
        self.about_action.setText(about_title())
