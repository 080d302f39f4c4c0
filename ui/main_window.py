"""The workstation window: saved views, the queue, the ticket, menus and the status bar.

The window is the conductor, not the worker: queries run in the runner's read lane and come
back as plain data, changes go through ``TicketActions`` to the services. Two timers drive the
live parts, both idle while the window is hidden or minimised: a short one repaints the countdown
column of the visible rows, a longer one re-reads ids and counts in the background (Electrum's
batched refresh: one pass behind a "needs refresh" flag, applied only if something changed).

The window composes parts that each hold one concern: the menus and their actions
(``ui/menus.py``), the language choice (``ui/language_menu.py``), the layout kept between sessions
(``ui/layout_state.py``), the ticket actions, the detail, the sync and the tray notifier.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QFontMetrics,
    QHideEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.sla_format import format_overdue
from desktop.errors import ReglamentError
from desktop.services.reads import queue as queue_service
from desktop.services.reads.queue import Choices, MailStatus, QueueSpec, SlaBook
from desktop.services.reads.ticket_page import Countdowns, TicketPage, ticket_countdowns
from desktop.services.upkeep import deadlines
from desktop.services.workspace import Workspace
from ui import i18n
from ui.actions import TOOLBAR, TicketActions
from ui.countdown import state_style
from ui.dialogs.explain import ExplainDialog
from ui.errors import show_error, user_message
from ui.filter_bar import FilterBar
from ui.layout_state import LayoutState
from ui.menus import WindowMenus
from ui.queue_model import COLUMNS, DUE, QueueDelegate, QueueModel
from ui.sync import SyncController
from ui.ticket_detail import TicketDetail
from ui.tray import Notifier
from ui.views_panel import ViewsPanel
from ui.workers import Runner

log = logging.getLogger("reglament.ui")

TICK_MS = 15_000
HEAD_ROWS = 80
HEAD_ROWS_MIN = 30
#: Longest the GUI thread may spend reading a head itself (an index walk takes 1–3 ms).
HEAD_BUDGET_S = 0.015
#: How long a head that ran past the budget is read only in the background.
SLOW_HEAD_PAUSE_S = 60.0
REFRESH_MS = 60_000
_DEFAULT_WIDTHS = {"tid": 100, "subject": 240, "client": 165, "plan": 105, "status": 125,
                   "department": 120, "assignee": 130, "received": 90, "due": 215}


def _due_width(font: QFont) -> int:
    """Wide enough for a long overdue countdown in either language, in bold as breached ones
    are painted ("просрочено на 148 ч 54 мин" was cut short at the old fixed width)."""
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    longest = max(metrics.horizontalAdvance(format_overdue(timedelta(hours=888, minutes=58), lang))
                  for lang in ("ru", "en"))
    return max(_DEFAULT_WIDTHS["due"], longest + 24)


@dataclass(frozen=True)
class QueueResult:
    spec: QueueSpec
    ids: list[int]
    book: SlaBook


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    at_risk: dict[int, str]  # id → TID of tickets in the warning zone or overdue
    latest_id: int
    new_tids: list[str]
    mail: MailStatus


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, settings: QSettings, runner: Runner | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.settings = settings
        self.runner = runner or Runner(self)
        self.runner.on_unhandled = lambda exc: show_error(self, exc)
        self._generation = 0
        self._applied: QueueSpec | None = None
        self._pending_select: str | None = None
        self._latest_id = -1
        self._shown_once = False
        self._head_generation = -1
        self._full_generation = -1
        self._detail_tick_pending = False
        self._slow_heads: dict[QueueSpec, float] = {}  # spec → monotonic time to try it here again
        self.choices: Choices | None = None

        self.views = ViewsPanel(self)
        self.filters = FilterBar(self)
        self.model = QueueModel(lambda ids: queue_service.fetch_rows(ws, ids), ws.now, self)
        self.table = QTableView(self)
        self.table.setObjectName("queue")
        self._setup_table()
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
        self.menus = WindowMenus(self, self)
        # Entries the menus create find these on the window (the dashboard's adds itself to View).
        self.view_menu, self.ticket_menu = self.menus.view_menu, self.menus.ticket_menu
        self.menus.fill()
        self.settings_entry, self.dashboard_entry = self.menus.settings_entry, self.menus.dashboard_entry
        self.sync_now_action = self.menus.sync_now_action
        self.menus.language_menu.chosen.connect(self._language_chosen)
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
        self.statusBar().addPermanentWidget(self.sync_label)

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self._requery_soon = QTimer(self)
        self._requery_soon.setSingleShot(True)
        self._requery_soon.setInterval(300)
        self._requery_soon.timeout.connect(self.refresh)

        self.views.viewChosen.connect(lambda _v: self.requery())
        self.filters.changed.connect(self.requery)
        self.model.sortRequested.connect(lambda _k, _d: self.requery())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.detail.loaded.connect(self._detail_loaded)
        self.detail.explainRequested.connect(self.explain_deadline)
        self.ticket_actions.changed.connect(self._ticket_changed)
        self.ticket_actions.created.connect(self._ticket_created)
        self.ticket_actions.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.sync.stateChanged.connect(self.sync_label.setText)
        self.sync.synced.connect(self.refresh)
        self.sync.progressed.connect(lambda: self.refresh(arrivals=False))

        self.retranslate()
        self.layout_state.restore()
        self.views.blockSignals(True)
        self.views.select(str(self.settings.value("queue/view", "all")))
        self.views.blockSignals(False)
        self.runner.read(lambda: queue_service.choices(ws), self._got_choices)
        self.requery()
        self.refresh()

    # --- construction ------------------------------------------------------------------------

    def _setup_table(self) -> None:
        t = self.table
        t.setModel(self.model)
        t.setItemDelegate(QueueDelegate(self.model, t))
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # No sort indicator yet: enabling sorting would otherwise sort by the first column at once
        # instead of the default order (priority clients first, then first in, first out).
        t.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        t.setSortingEnabled(True)
        t.setAlternatingRowColors(True)
        t.setShowGrid(False)
        t.setWordWrap(False)
        t.setTextElideMode(Qt.TextElideMode.ElideRight)
        t.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = t.verticalHeader()
        vh.setVisible(False)
        # Fixed row heights: the view never measures 100,000 rows.
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(t.fontMetrics().height() + 10)
        hh = t.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setHighlightSections(False)
        hh.setSortIndicatorShown(False)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for i, key in enumerate(COLUMNS):
            t.setColumnWidth(i, _DEFAULT_WIDTHS[key])
        t.setColumnWidth(COLUMNS.index("due"), _due_width(t.font()))
        # The subject takes what is left, so the countdown column stays on screen in any width.
        hh.setSectionResizeMode(COLUMNS.index("subject"), QHeaderView.ResizeMode.Stretch)
        hh.setMinimumSectionSize(60)
        hh.sectionClicked.connect(lambda _i: hh.setSortIndicatorShown(True))

    def retranslate(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("Main", "Reglament — {0}").format(self._title_place()))
        self.menus.retranslate()
        self.ticket_actions.retranslate()
        self.model.retranslate()
        self._show_count()

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
        """Countdowns and background refreshes run only while someone can see them."""
        if live and not self.tick_timer.isActive():
            self.tick_timer.start()
            self.refresh_timer.start()
            self.tick()
        elif not live:
            self.tick_timer.stop()
            self.refresh_timer.stop()

    def visible_rows(self) -> tuple[int, int]:
        vp = self.table.viewport()
        first = self.table.rowAt(0)
        last = self.table.rowAt(vp.height() - 1)
        if first < 0:
            return (0, -1)
        if last < 0:
            last = self.model.rowCount() - 1
        return first, last

    def tick(self) -> None:
        first, last = self.visible_rows()
        self.model.tick(first, last)
        self._tick_detail()

    def check_store(self) -> None:
        """SQLite's check of the whole database file, in the background: damage found is said
        once, in a message box (it needs a backup restored, not a retry)."""
        db = self.ws.db
        self.runner.read(db.check_integrity, None, lambda exc: show_error(self, exc))

    def _tick_detail(self) -> None:
        """The open ticket's header countdowns, read again in the background (one small query
        per tick): they were the ones of the moment the ticket was opened, while its queue row
        counted down beside them."""
        data = self.detail.data
        if data is None or self._detail_tick_pending:
            return
        self._detail_tick_pending = True
        tid, ws, lang = data.tid, self.ws, i18n.current()

        def done(countdowns: Countdowns) -> None:
            self._detail_tick_pending = False
            self.detail.tick(tid, countdowns)

        def failed(exc: BaseException) -> None:
            # Not worth a message box every 15 s (a writer holding the file a moment, the
            # ticket merged away): the next tick tries again, a real fault shows on reload.
            self._detail_tick_pending = False
            log.info("countdowns of %s not refreshed: %s", tid, exc)

        self.runner.read(lambda: ticket_countdowns(ws, tid, lang), done, failed)

    # --- querying ------------------------------------------------------------------------

    def current_spec(self) -> QueueSpec:
        return self.filters.spec(self.views.current_view(), self.model.sort_key, self.model.sort_desc)

    def requery(self, quiet: bool = False) -> None:
        """Re-read the view; only the newest request is applied.

        A new view, filter, search or sort first gets its *head* (the row count and the first
        rows with their columns) and paints it; the full ordered id list is read in the
        background after that and taken over without a reset. On SQLite a head an index
        answers takes a millisecond or two and is read right here (see :meth:`_head_now`);
        any other head is read in the background too. A periodic refresh of the same view
        skips the head, so nothing flickers.
        """
        self._generation += 1
        generation, spec, ws = self._generation, self.current_spec(), self.ws
        failed = self._background_failed if quiet else self._query_failed
        self.settings.setValue("queue/view", spec.view)

        def work() -> QueueResult:
            return QueueResult(spec, queue_service.fetch_ids(ws, spec), queue_service.sla_book(ws))

        def full() -> None:
            # The whole id list is read after the head, not beside it: the two would only
            # compete for the interpreter and the first screen would come later.
            if generation == self._generation:
                self.runner.read(work, lambda r: self._apply(generation, r), failed)

        if spec == self._applied and self.model.rowCount():
            full()
            return
        limit, book = self._head_rows(), self.model.sla_book()
        head = self._head_now(spec, limit, book)
        if head is not None:
            self._apply_head(generation, spec, head)
            full()
            return

        def head_done(result: queue_service.Head) -> None:
            self._apply_head(generation, spec, result)
            full()

        # The window's SLA book goes along (plans rarely change; the full pass reloads it).
        self.runner.read(lambda: queue_service.fetch_head(ws, spec, limit, book=book),
                         head_done, failed)

    def _head_now(self, spec: QueueSpec, limit: int, book: SlaBook | None) -> queue_service.Head | None:
        """The head read on the GUI thread when that is provably quick, else ``None``.

        Only a local SQLite head an index serves is tried (the trip to a worker and back costs
        more than the read), and only once the window holds the plans' calendars (building
        them can take tens of milliseconds), under a time budget: a head that runs past it
        (a filter matching few tickets far down the index, a machine busy elsewhere) is
        abandoned and read in the background like any other, and that spec is not tried here
        again for a while. PostgreSQL is never read on this thread.
        """
        if (book is None or self._slow_heads.get(spec, 0.0) > time.monotonic()
                or not queue_service.head_is_quick(self.ws, spec)):
            return None
        try:
            return queue_service.fetch_head(self.ws, spec, limit, book=book, budget=HEAD_BUDGET_S)
        except queue_service.OverBudget:
            self._slow_heads[spec] = time.monotonic() + SLOW_HEAD_PAUSE_S
        except ReglamentError:
            pass  # e.g. a writer holds the file: the background read waits for it or reports
        return None

    def _head_rows(self) -> int:
        """As many rows as the queue shows, with a margin (each row read costs ~35 µs)."""
        rows = self.table.viewport().height() // max(self.table.verticalHeader().defaultSectionSize(), 1)
        return max(HEAD_ROWS_MIN, min(HEAD_ROWS, rows + 10)) if self.table.isVisible() else HEAD_ROWS

    def _query_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _apply_head(self, generation: int, spec: QueueSpec, head: queue_service.Head) -> None:
        if generation != self._generation or self._full_generation == generation:
            return
        self._applied = spec
        self._head_generation = generation
        self.model.set_ids(head.ids, head.book, total=head.total, rows=head.rows)
        if not self.table.isVisible():
            self._show_count()
            self._after_reset(current=None, scroll=0, same_query=False)
            return
        # Paint the first screen now, before the full read takes the interpreter, and before
        # anything else on the window changes: a repaint paints every widget waiting for it,
        # so the count, and what selecting the first row sets off (toolbar actions, detail),
        # follow the paint instead of delaying it.
        sm = self.table.selectionModel()
        with QSignalBlocker(sm):
            self._after_reset(current=None, scroll=0, same_query=False)
        self.table.viewport().repaint()
        self._show_count()
        if sm.currentIndex().isValid():
            self._current_changed(sm.currentIndex(), QModelIndex())

    def _apply(self, generation: int, result: QueueResult) -> None:
        if generation != self._generation:
            return
        self._full_generation = generation
        if self._head_generation == generation and self.model.complete(result.ids):
            self.model.set_book(result.book)
            if self._pending_select is not None and self.select_tid(self._pending_select):
                self._pending_select = None
            return
        same_query = self._applied == result.spec
        self._applied = result.spec
        if same_query and result.ids == self.model.ids():
            self.model.set_book(result.book)
            self.tick()
            return
        current = self.current_ticket_id()
        scroll = self.table.verticalScrollBar().value() if same_query else 0
        self.model.set_ids(result.ids, result.book)
        self._show_count()
        self._after_reset(current, scroll, same_query)

    def _after_reset(self, current: int | None, scroll: int, same_query: bool) -> None:
        """Put the selection back where the agent had it (or on the first row of a new view)."""
        if self._pending_select is not None and self.select_tid(self._pending_select):
            self._pending_select = None
        elif current is not None and (row := self.model.row_of(current)) is not None:
            self._select_row(row, load=False)
        elif self.model.rowCount() and not same_query:
            self._select_row(0)
        elif not self.model.rowCount():
            self.detail.clear()
            self.ticket_actions.set_ticket(None)
        self.table.verticalScrollBar().setValue(scroll)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(QCoreApplication.translate("Main", "%n ticket(s)", "", n))

    def refresh(self, arrivals: bool = True) -> None:
        """The periodic pass: ids of the current view, view counts, arrivals, tickets at risk.

        Without ``arrivals`` (while a large sync is storing batch after batch) only the queue,
        the counts and the mail state follow; what arrived is announced once, when the sync
        has finished, instead of every few seconds.
        """
        self.requery(quiet=True)
        ws, previous = self.ws, self._latest_id

        def work() -> Overview:
            now = ws.now()
            counts = queue_service.view_counts(ws, now)
            if not arrivals:
                return Overview(counts, {}, previous, [], queue_service.mail_status(ws))
            risky = queue_service.fetch_ids(ws, QueueSpec(view="breaching"), now)
            rows = queue_service.fetch_rows(ws, risky[:200])
            latest = queue_service.latest_ticket_id(ws)
            new_tids = queue_service.tids_after(ws, previous) if 0 <= previous < latest else []
            return Overview(counts, {i: r.tid for i, r in rows.items()}, latest, new_tids,
                            queue_service.mail_status(ws))

        self.runner.read(work, lambda o: self._overview(o, arrivals), self._background_failed)

    def _background_failed(self, exc: BaseException) -> None:
        """A periodic read failed: said in the status bar until one succeeds (the next pass
        tries again), and logged; a bug's traceback goes to the log as well."""
        if not isinstance(exc, ReglamentError):
            log.error("periodic refresh failed", exc_info=(type(exc), exc, exc.__traceback__))
        else:
            log.warning("periodic refresh failed: %s", exc)
        text = user_message(exc)
        self.store_label.setText("⚠ " + QCoreApplication.translate(
            "Main", "{0} — the window tries again every minute.").format(text.rstrip(".")))
        self.store_label.setToolTip(text)
        self.store_label.setStyleSheet(state_style("warning", self))
        self.store_label.show()

    def _overview(self, o: Overview, arrivals: bool = True) -> None:
        self.store_label.hide()
        self.views.set_counts(o.counts)
        self.views.viewport().update()
        if arrivals:
            self.notifier.observe(o.at_risk, o.new_tids, first=self._latest_id < 0)
            self._latest_id = o.latest_id
        self.sync.show_status(o.mail)

    def refresh_all(self) -> None:
        self.model.set_ids(self.model.ids())  # drop cached rows
        self.refresh()
        self.detail.reload()

    def _got_choices(self, choices: Choices) -> None:
        self.choices = choices
        self.ticket_actions.choices = choices
        self.filters.set_choices(choices)

    # --- selection and detail ------------------------------------------------------------------

    def current_ticket_id(self) -> int | None:
        idx = self.table.selectionModel().currentIndex()
        return self.model.ticket_id(idx.row()) if idx.isValid() else None

    def _select_row(self, row: int, load: bool = True) -> None:
        sm = self.table.selectionModel()
        if not load:
            sm.blockSignals(True)
        sm.setCurrentIndex(self.model.index(row, 0),
                           QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if not load:
            sm.blockSignals(False)
            self.table.viewport().update()

    def select_tid(self, tid: str) -> bool:
        for row in range(len(self.model.ids())):
            data = self.model.row_data(row)
            if data is not None and data.tid == tid:
                self._select_row(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        data = self.model.row_data(current.row()) if current.isValid() else None
        if data is None:
            self.detail.clear()
            self.ticket_actions.set_ticket(None)
            return
        self.ticket_actions.set_ticket(None)
        # Once the loop is back: a first screen paints before the detail's read competes with it.
        QTimer.singleShot(0, self, lambda tid=data.tid: self.detail.load(tid))

    def _detail_loaded(self, _tid: str) -> None:
        self.ticket_actions.set_ticket(self.detail.data)

    def _ticket_changed(self, tid: str) -> None:
        current = self.current_ticket_id()
        if current is not None:
            self.model.refresh_rows([current])
        if self.detail.data is not None and self.detail.data.tid == tid:
            self.detail.load(tid)
        self._requery_soon.start()

    def _ticket_created(self, tid: str) -> None:
        self.statusBar().showMessage(QCoreApplication.translate("Main", "{0} created").format(tid), 10_000)
        self._pending_select = tid
        self.views.select("all")
        self._requery_soon.start()

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

    def save_layout(self) -> None:
        self.layout_state.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self._set_live(False)
        self.hide()  # gone from the screen at once; the sync may take a few seconds to stop
        self.sync.stop()
        self.notifier.hide()
        super().closeEvent(event)

    # --- for tests and benchmarks ------------------------------------------------------------

    def countdown_cell(self, row: int) -> tuple[str, str]:
        cd = self.model.countdown(row)
        return (cd.text, cd.state) if cd is not None else ("", "none")

    def due_column(self) -> int:
        return DUE

    def ticket_detail(self) -> TicketPage | None:
        return self.detail.data

    def now(self) -> datetime:
        return self.ws.now()
