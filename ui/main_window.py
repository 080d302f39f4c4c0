"""The workstation window: saved views, the queue, the ticket, menus and the status bar.

The window is the conductor, not the worker: queries run in the runner's read lane and come
back as plain data, changes go through ``TicketActions`` to the services.

The window composes parts that each hold one concern: the queue — its table, model, reads,
selection and live timers, idle while the window is hidden or minimised —
(``ui/queue_controller.py``), the menus and their actions (``ui/menus.py``), the language choice
(``ui/language_menu.py``), the layout kept between sessions (``ui/layout_state.py``), the ticket
actions, the detail, the sync and the tray notifier.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QSettings,
    Qt,
)
from PySide6.QtGui import (
    QCloseEvent,
    QHideEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reads import queue as queue_service
from desktop.services.reads.queue import Choices, QueueSpec
from desktop.services.reads.ticket_page import TicketPage
from desktop.services.upkeep import deadlines
from desktop.services.workspace import Workspace
from ui import i18n
from ui.actions import TOOLBAR, TicketActions
from ui.composer.host import ComposerHost
from ui.deadline_warnings import DeadlineWarnings
from ui.demo_launch import open_demo
from ui.dialogs.explain import ExplainDialog
from ui.dialogs.settings import SettingsEntry
from ui.errors import show_error
from ui.filter_bar import FilterBar
from ui.first_run import FirstRun
from ui.layout_state import LayoutState
from ui.live import LiveUpdates
from ui.menus import WindowMenus
from ui.progress import ProgressModel, ProgressStatus
from ui.queue_controller import QueueController
from ui.queue_model import DUE
from ui.saved_views import SavedViewsKeeper
from ui.sync import SyncController
from ui.thread_fix import ThreadFix
from ui.ticket_detail import TicketDetail
from ui.timer_keeper import TimerKeeper
from ui.tray import Notifier
from ui.views_panel import ViewsPanel
from ui.workers import Runner


class MainWindow(QMainWindow):
    menus: WindowMenus
    settings_entry: SettingsEntry

    def __init__(self, ws: Workspace, settings: QSettings, runner: Runner | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.settings = settings
        self.runner = runner or Runner(self)
        self.runner.on_unhandled = lambda exc: show_error(self, exc)
        self._shown_once = False
        self.choices: Choices | None = None

        self.views = ViewsPanel(self)
        self.filters = FilterBar(self)
        self.queue = QueueController(self, self, ws, self.runner)
        self.model, self.table = self.queue.model, self.queue.table
        self.detail = TicketDetail(self.runner, ws, self)
        self.ticket_actions = TicketActions(self, self.runner, ws)
        self.ticket_actions.explain_handler = self.explain_deadline
        self.composer = ComposerHost(self, self.runner, ws, self.detail,
                                     self._open_canned_replies)
        self.ticket_actions.reply_handler = self.composer.open
        self.composer.changed.connect(self.ticket_actions.changed)
        self.notifier = Notifier(self)
        self.sync = SyncController(self, self.runner, ws)
        self.timers = TimerKeeper(self, ws)  # started by ui.app, mailbox or not

        queue_box = QWidget(self)
        qlay = QVBoxLayout(queue_box)
        qlay.setContentsMargins(6, 6, 6, 0)
        qlay.setSpacing(6)
        qlay.addWidget(self.filters)
        qlay.addWidget(self.table, 1)
        self.queue_split = QSplitter(Qt.Orientation.Vertical, self)
        self.queue_split.setObjectName("queue_split")
        self.queue_split.addWidget(queue_box)
        self.queue_split.addWidget(self.detail)
        self.queue_split.setStretchFactor(0, 1)
        self.queue_split.setStretchFactor(1, 1)
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.setObjectName("main_split")
        self.main_split.addWidget(self.views)
        # An empty workspace shows the first-run page in the queue's place (ui/first_run.py).
        self.first_run = FirstRun(self, self.runner, ws, self.queue_split, {
            "connect": self.sync.open_accounts, "demo": open_demo,
            "clients": lambda: self.settings_entry.open("clients"),
            "shortcuts": lambda: self.menus.help_entries.show_shortcuts()})
        self.main_split.addWidget(self.first_run.stack)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([190, 1210])
        self.queue_split.setSizes([390, 470])
        self.setCentralWidget(self.main_split)

        for key in TOOLBAR:
            self.detail.toolbar.addAction(self.ticket_actions.actions[key])
        # Confirm or move a message, compare and merge a duplicate: the notices, links and menu entries.
        self.thread_fix = ThreadFix(self.ticket_actions, self.detail)
        self.detail.acts_panel.bind(self.ticket_actions.actions)
        self.detail.acts_panel.reworkDone.connect(self.ticket_actions.acts.do_rework_done)
        self.menus = WindowMenus(self, self)
        # Entries the menus create find these on the window (the dashboard's adds itself to View).
        self.view_menu, self.ticket_menu = self.menus.view_menu, self.menus.ticket_menu
        self.menus.fill()
        self.ticket_menu.insertActions(self.ticket_actions.actions["merge"], list(self.thread_fix.actions.values()))
        self.settings_entry, self.dashboard_entry = self.menus.settings_entry, self.menus.dashboard_entry
        self.sync_now_action = self.menus.sync_now_action
        self.menus.language_menu.chosen.connect(self._language_chosen)
        self.saved_views = SavedViewsKeeper(self, self.views, self.filters, self.runner, ws, self.view_menu,
                                            str(self.settings.value("queue/view", "all")))
        self.layout_state = LayoutState(settings, self, self.table.horizontalHeader(), {
            "window/main_split": self.main_split, "window/queue_split": self.queue_split,
            "window/detail_split": self.detail.split})
        self.sync_label = QLabel(self)
        self.sync_label.setObjectName("sync_status")
        self.count_label = QLabel(self)
        #: Why the periodic pass could not read the database (a team server restarting): said
        #: here, not in a message box a minute, and gone once a pass succeeds again.
        self.store_label = QLabel(self)
        self.store_label.setObjectName("store_status")
        self.store_label.setWordWrap(False)
        self.store_label.hide()
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addWidget(self.store_label, 1)
        #: Long work — a large sync, the dashboard's build, a bulk reassign — with n of N, the
        #: time left and Cancel where it is safe (ui/progress.py).
        self.progress = ProgressModel(self)
        self.sync.progress = self.progress
        self.progress_status = ProgressStatus(self.progress, self)
        self.statusBar().addPermanentWidget(self.progress_status)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.deadline_warnings = DeadlineWarnings(self, self.runner, ws, self.notifier)

        self.tick_timer = self.queue.tick_timer
        self.refresh_timer = self.queue.refresh_timer
        self._requery_soon = self.queue.requery_soon

        self.detail.explainRequested.connect(self.explain_deadline)
        self.ticket_actions.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.sync.stateChanged.connect(self.sync_label.setText)
        self.timers.applied.connect(self._timers_applied)

        self.retranslate()
        self.layout_state.restore()
        self.views.blockSignals(True)
        # A remembered saved view is chosen once the worker has listed it (ui/saved_views.py).
        self.views.select(str(self.settings.value("queue/view", "all")))
        self.views.blockSignals(False)
        self.runner.read(lambda: queue_service.choices(ws), self._got_choices)
        self.queue.start()
        for asked in (self.sync.synced, self.refresh_timer.timeout, self.ticket_actions.created):
            asked.connect(lambda *_a: self.first_run.check())
        self.first_run.check()
        #: Colleagues' changes and who is replying, live; following starts after the first screen.
        self.live = LiveUpdates(self, ws, self.runner, self)
        self.queue.after_first_screen(self.live.start)
        self.deadline_warnings.start()

    # --- construction ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("Main", "Reglament — {0}").format(self._title_place()))
        self.menus.retranslate()
        self.saved_views.retranslate()
        self.ticket_actions.retranslate()
        self.thread_fix.retranslate()
        self.queue.retranslate()

    def _title_place(self) -> str:
        return f"{self.ws.actor} @ {self.ws.paths.home}"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self.model.restyle()
        elif event.type() == QEvent.Type.WindowStateChange:
            self._set_live(self.isVisible() and not self.isMinimized())
        super().changeEvent(event)

    # --- liveness ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.layout_state.restore_splitters()
        self._set_live(not self.isMinimized())

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._set_live(False)

    def _set_live(self, live: bool) -> None:
        self.queue.set_live(live)

    def check_store(self) -> None:
        """SQLite's check of the whole database file, in the background: damage found is said
        once, in a message box (it needs a backup restored, not a retry)."""
        db = self.ws.db
        self.runner.read(db.check_integrity, None, lambda exc: show_error(self, exc))

    # --- the queue, as the rest of the window and its tests ask for it ----------------------

    def visible_rows(self) -> tuple[int, int]:
        return self.queue.visible_rows()

    def tick(self) -> None:
        self.queue.tick()

    def current_spec(self) -> QueueSpec:
        return self.queue.current_spec()

    def requery(self, quiet: bool = False) -> None:
        self.queue.requery(quiet)

    def refresh(self, arrivals: bool = True) -> None:
        self.queue.refresh(arrivals)

    def refresh_all(self) -> None:
        self.queue.refresh_all()
        # Departments, reasons or views may have changed (Settings): the choices are read again.
        ws = self.ws
        self.runner.read(lambda: queue_service.choices(ws), self._got_choices)

    def current_ticket_id(self) -> int | None:
        return self.queue.current_ticket_id()

    def select_tid(self, tid: str) -> bool:
        return self.queue.select_tid(tid)

    def choose_when_shown(self, tid: str) -> None:
        self.queue.choose_when_shown(tid)

    def _got_choices(self, choices: Choices) -> None:
        self.choices = choices
        self.ticket_actions.choices = choices
        self.filters.set_choices(choices)

    # --- deadlines ------------------------------------------------------------------------

    def explain_deadline(self, tid: str, kind: str) -> None:
        ws, lang = self.ws, i18n.current()
        self.runner.read(lambda: deadlines.explain_deadline(ws, tid, kind, lang),  # type: ignore[arg-type]
                         lambda text: self._show_explanation(tid, str(text)))

    def _show_explanation(self, tid: str, text: str) -> None:
        dlg = ExplainDialog(self, tid, text)
        dlg.open()
        self.last_dialog = dlg

    # --- language and layout ---------------------------------------------------------------

    def set_language(self, choice: str) -> None:
        self.menus.language_menu.choose(choice)

    def _language_chosen(self, _choice: str) -> None:
        """What workers wrote in the old language is read again (the widgets retranslate
        themselves on Qt's LanguageChange)."""
        self.detail.reload()
        self.refresh()

    def _timers_applied(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)
        self.refresh_all()

    def save_layout(self) -> None:
        self.layout_state.save()

    def _open_canned_replies(self) -> QDialog:
        """Settings ▸ Reply templates, from the composer's Manage… (the team's canned replies)."""
        return self.menus.settings_entry.open("templates")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.composer.put_away()  # the reply being written stays as the draft
        self.save_layout()
        self._set_live(False)
        self.deadline_warnings.stop()
        self.hide()  # gone from the screen at once; the sync may take a few seconds to stop
        self.sync.stop()
        self.live.stop()
        self.timers.stop()
        self.notifier.hide()
        super().closeEvent(event)

    # --- for tests and benchmarks ------------------------------------------------------------

    def countdown_cell(self, row: int) -> tuple[str, str]:
        return self.queue.countdown_cell(row)

    def due_column(self) -> int:
        return DUE

    def ticket_detail(self) -> TicketPage | None:
        return self.detail.data

    def now(self) -> datetime:
        return self.ws.now()
