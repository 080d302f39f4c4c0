"""The workstation window: saved views, the queue, the ticket, menus and the status bar.

The window is a composition, not the worker: the queue's wiring is ``QueueController`` (its
reads, pages, selection and live timers, idle while the window is hidden or minimised), queries
run in the runner's read lane and come back as plain data, changes go through ``TicketActions``
to the services.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QSettings,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QHideEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.services.reads import queue as queue_service
from desktop.services.reads.queue import Choices, QueueSpec
from desktop.services.upkeep import deadlines
from desktop.services.workspace import Workspace
from ui import i18n
from ui.actions import TOOLBAR, TicketActions
from ui.dashboard_menu import DashboardEntry
from ui.dialogs.explain import ExplainDialog
from ui.errors import show_error
from ui.filter_bar import FilterBar
from ui.queue_controller import QueueController
from ui.queue_model import DUE
from ui.sync import SyncController
from ui.ticket_detail import DetailData, TicketDetail
from ui.tray import Notifier
from ui.views_panel import ViewsPanel, view_title
from ui.workers import Runner


class MainWindow(QMainWindow):
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
        self.notifier = Notifier(self)
        self.sync = SyncController(self, self.runner, ws)

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
        self.main_split.addWidget(self.queue_split)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([190, 1210])
        self.queue_split.setSizes([390, 470])
        self.setCentralWidget(self.main_split)

        for key in TOOLBAR:
            self.detail.toolbar.addAction(self.ticket_actions.actions[key])
        self._build_menus()
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
        self.statusBar().addPermanentWidget(self.sync_label)

        self.tick_timer = self.queue.tick_timer
        self.refresh_timer = self.queue.refresh_timer
        self._requery_soon = self.queue.requery_soon

        self.detail.explainRequested.connect(self.explain_deadline)
        self.ticket_actions.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.sync.stateChanged.connect(self.sync_label.setText)

        self.retranslate()
        self._restore_layout()
        self.views.blockSignals(True)
        self.views.select(str(self.settings.value("queue/view", "all")))
        self.views.blockSignals(False)
        self.runner.read(lambda: queue_service.choices(ws), self._got_choices)
        self.queue.start()

    # --- construction ------------------------------------------------------------------------

    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.file_menu = QMenu(self)
        mb.addMenu(self.file_menu)
        self.file_menu.addAction(self.ticket_actions.actions["log_contact"])
        self.accounts_action = QAction(self)
        self.accounts_action.setObjectName("action_accounts")
        self.accounts_action.triggered.connect(self.sync.open_accounts)
        self.file_menu.addAction(self.accounts_action)
        # Plans, calendars, clients, templates (R-UI-6).
        from ui.dialogs.settings import SettingsEntry

        self.settings_entry = SettingsEntry(self, self.file_menu, self.runner, self.ws, self.refresh_all)
        self.sync_now_action = QAction(self)
        self.sync_now_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.sync_now_action.triggered.connect(self.sync.sync_now)
        self.file_menu.addAction(self.sync_now_action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = QMenu(self)
        mb.addMenu(self.view_menu)
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.refresh_all)
        self.view_menu.addAction(self.refresh_action)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.triggered.connect(self.filters.focus_search)
        self.view_menu.addAction(self.find_action)
        self.dashboard_entry = DashboardEntry(self, self)
        self.view_menu.addSeparator()
        self.view_actions: list[QAction] = []
        for n, key in enumerate(queue_service.VIEWS):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Alt+{n + 1}"))
            act.triggered.connect(lambda _c=False, k=key: self.views.select(k))
            self.view_menu.addAction(act)
            self.view_actions.append(act)
        self.view_menu.addSeparator()
        self.language_menu = QMenu(self)
        self.view_menu.addMenu(self.language_menu)
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        chosen = str(self.settings.value("ui/language", "system"))
        for code in ("system", "en", "ru"):
            act = QAction(self)
            act.setCheckable(True)
            act.setChecked(code == chosen)
            act.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act

        self.ticket_menu = QMenu(self)
        mb.addMenu(self.ticket_menu)
        groups = (("take", "reply", "request_info", "escalate"), ("postpone", "refuse", "resolve", "close", "reopen"),
                  ("assign", "paid", "note", "log_work"), ("merge", "split"),
                  ("issue_act", "send_act", "accept_act"), ("explain",))
        for g in groups:
            for key in g:
                self.ticket_menu.addAction(self.ticket_actions.actions[key])
            self.ticket_menu.addSeparator()

        self.help_menu = QMenu(self)
        mb.addMenu(self.help_menu)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for key in ("take", "reply", "assign", "resolve"):
            self.table.addAction(self.ticket_actions.actions[key])

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("Main", "Reglament — {0}").format(self._title_place()))
        self.file_menu.setTitle(QCoreApplication.translate("Main", "&File"))
        self.accounts_action.setText(QCoreApplication.translate("Main", "Mail accounts…"))
        self.settings_entry.retranslate()
        self.sync_now_action.setText(QCoreApplication.translate("Main", "Check mail now"))
        self.quit_action.setText(QCoreApplication.translate("Main", "Quit"))
        self.view_menu.setTitle(QCoreApplication.translate("Main", "&View"))
        self.refresh_action.setText(QCoreApplication.translate("Main", "Refresh"))
        self.find_action.setText(QCoreApplication.translate("Main", "Search"))
        for act, key in zip(self.view_actions, queue_service.VIEWS, strict=True):
            act.setText(view_title(key))
        self.language_menu.setTitle(QCoreApplication.translate("Main", "Language"))
        self.language_actions["system"].setText(QCoreApplication.translate("Main", "As the system"))
        self.language_actions["en"].setText("English")
        self.language_actions["ru"].setText("Русский")
        self.ticket_menu.setTitle(QCoreApplication.translate("Main", "&Ticket"))
        self.help_menu.setTitle(QCoreApplication.translate("Main", "&Help"))
        self.about_action.setText(QCoreApplication.translate("Main", "About Reglament"))
        self.ticket_actions.retranslate()
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
            self._restore_splitters()
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

    def current_ticket_id(self) -> int | None:
        return self.queue.current_ticket_id()

    def select_tid(self, tid: str) -> bool:
        return self.queue.select_tid(tid)

    def _got_choices(self, choices: Choices) -> None:
        self.choices = choices
        self.ticket_actions.choices = choices
        self.filters.set_choices(choices)

    # --- deadlines and about ------------------------------------------------------------------

    def explain_deadline(self, tid: str, kind: str) -> None:
        ws, lang = self.ws, i18n.current()
        self.runner.read(lambda: deadlines.explain_deadline(ws, tid, kind, lang),  # type: ignore[arg-type]
                         lambda text: self._show_explanation(tid, str(text)))

    def _show_explanation(self, tid: str, text: str) -> None:
        dlg = ExplainDialog(self, tid, text)
        dlg.open()
        self.last_dialog = dlg

    def _about(self) -> None:
        QMessageBox.about(self, QCoreApplication.translate("Main", "About Reglament"),
                          QCoreApplication.translate(
                              "Main", "Reglament {0}\nThe support agent's workstation: tickets from mail, "
                                      "SLA deadlines in business hours, acceptance acts.").format(__version__))

    # --- language and layout ---------------------------------------------------------------

    def set_language(self, choice: str) -> None:
        self.settings.setValue("ui/language", choice)
        app = QApplication.instance()
        assert app is not None
        i18n.install(app, i18n.resolve(choice))
        for code, act in self.language_actions.items():
            act.setChecked(code == choice)
        self.detail.reload()
        self.refresh()

    def _restore_layout(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        header = s.value("queue/header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)

    def _restore_splitters(self) -> None:
        """Splitter sizes are restored once the window has its real size, or they get squeezed."""
        for key, splitter in (("window/main_split", self.main_split), ("window/queue_split", self.queue_split),
                              ("window/detail_split", self.detail.split)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)

    def save_layout(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/main_split", self.main_split.saveState())
        s.setValue("window/queue_split", self.queue_split.saveState())
        s.setValue("window/detail_split", self.detail.split.saveState())
        s.setValue("queue/header", self.table.horizontalHeader().saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self._set_live(False)
        self.hide()  # gone from the screen at once; the sync may take a few seconds to stop
        self.sync.stop()
        self.notifier.hide()
        super().closeEvent(event)

    # --- for tests and benchmarks ------------------------------------------------------------

    def countdown_cell(self, row: int) -> tuple[str, str]:
        return self.queue.countdown_cell(row)

    def due_column(self) -> int:
        return DUE

    def ticket_detail(self) -> DetailData | None:
        return self.detail.data

    def now(self) -> datetime:
        return self.ws.now()
