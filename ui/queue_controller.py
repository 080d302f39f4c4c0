"""The queue's conductor: what the table shows, read in the background and handed to the model.

The window composes this: it owns the queue's table and model, asks for a view's head and ids
when the view, filter, search or sort changes, asks for the pages of rows scrolled into view,
keeps the selection where the agent had it, and runs the two live timers — a short one writes
the countdown cells of the visible rows, a longer one re-reads ids and counts (Electrum's
batched refresh: one pass, applied only if something changed). Every read runs in the runner's
read lane; the GUI thread only hands prepared rows to the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QSignalBlocker,
    QTimer,
)
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import (
    QWidget,
)

from desktop.services.reads import queue as queue_reads
from desktop.services.reads.queue_clock import SlaBook
from desktop.services.reads.queue_page import Head, QueueLine
from desktop.services.reads.queue_spec import QueueSpec
from desktop.services.reads.ticket_page import Countdowns, ticket_countdowns
from desktop.services.workspace import Workspace
from ui import i18n
from ui.errors import show_error
from ui.queue_model import QueueModel
from ui.queue_overview import Overview, read_overview, say_store_trouble
from ui.queue_selection import QueueSelection
from ui.queue_table import queue_table
from ui.queue_window import QueueWindow
from ui.workers import Runner

if TYPE_CHECKING:
    pass

log = logging.getLogger("reglament.ui")

TICK_MS = 15_000
REFRESH_MS = 60_000
#: Rows of a head beyond those on screen (the first page follows the full id list).
HEAD_MARGIN = 1
#: Rows of a head while the table has no size yet.
HEAD_ROWS = 40
@dataclass(frozen=True)
class QueueResult:
    spec: QueueSpec
    ids: list[int]
    book: SlaBook


class QueueController(QObject, QueueSelection):
    def __init__(self, window: QueueWindow, parent: QWidget, ws: Workspace, runner: Runner) -> None:
        super().__init__(parent)
        self.window = window
        self.ws = ws
        self.runner = runner
        self.generation = 0
        self.head_generation = -1
        self.full_generation = -1
        self.latest_id = -1
        self._applied: QueueSpec | None = None
        self._pending_select: str | None = None
        self._detail_tick_pending = False
        self._saved_view: str | None = None
        self._first_screen: list[Callable[[], None]] | None = []
        self.model = QueueModel(ws.now, self)
        self.table = queue_table(self.model, parent)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.requery_soon = QTimer(self)
        self.requery_soon.setSingleShot(True)
        self.requery_soon.setInterval(300)
        self.requery_soon.timeout.connect(self.refresh)

    def start(self) -> None:
        """Wire the queue to the parts around it (they exist by now) and read the first view."""
        w = self.window
        w.views.viewChosen.connect(lambda _v: self.requery())
        w.filters.changed.connect(self.requery)
        self.model.sortRequested.connect(lambda _k, _d: self.requery())
        # The detail follows the agent's choice of a row (a selection), never Qt's own cursor: a
        # table taking the focus with no current row puts its cursor on the first one unselected.
        self.table.selectionModel().selectionChanged.connect(lambda _s, _d: self._chosen())
        bar = self.table.verticalScrollBar()
        bar.valueChanged.connect(lambda _v: self.load_visible())
        bar.rangeChanged.connect(lambda _a, _b: self.load_visible())
        w.detail.loaded.connect(lambda _tid: w.ticket_actions.set_ticket(w.detail.data))
        w.ticket_actions.changed.connect(self._ticket_changed)
        w.ticket_actions.created.connect(self._ticket_created)
        w.sync.synced.connect(self.refresh)
        w.sync.progressed.connect(lambda: self.refresh(arrivals=False))
        self.requery()
        self.refresh(queue=False)  # the queue itself was just asked for

    # --- liveness ------------------------------------------------------------------------

    def set_live(self, live: bool) -> None:
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

    def _tick_detail(self) -> None:
        """The open ticket's header countdowns, read again in the background (one small query
        per tick): they were the ones of the moment the ticket was opened, while its queue row
        counted down beside them."""
        detail = self.window.detail
        data = detail.data
        if data is None or self._detail_tick_pending:
            return
        self._detail_tick_pending = True
        tid, ws, lang = data.tid, self.ws, i18n.current()

        def done(countdowns: Countdowns) -> None:
            self._detail_tick_pending = False
            detail.tick(tid, countdowns)

        def failed(exc: BaseException) -> None:
            # Not worth a message box every 15 s (a writer holding the file a moment, the
            # ticket merged away): the next tick tries again, a real fault shows on reload.
            self._detail_tick_pending = False
            log.info("countdowns of %s not refreshed: %s", tid, exc)

        self.runner.read(lambda: ticket_countdowns(ws, tid, lang), done, failed)

    # --- querying ------------------------------------------------------------------------

    def current_spec(self) -> QueueSpec:
        return self.window.filters.spec(self.window.views.current_view(), self.model.sort_key,
                                        self.model.sort_desc)

    def requery(self, quiet: bool = False, reread: bool = True) -> None:
        """Re-read the view; only the newest request is applied.

        A new view, filter, search or sort first gets its *head* (the row count and the
        first screen of rows, prepared) and paints it; the full ordered id list is read after
        that and taken over without a reset. A periodic refresh of the same view skips the
        head, so nothing flickers. Both are read by a worker, never on this thread. Without
        ``reread`` the rows on screen are not read again when the ids are the same (the change
        feed reads the changed rows itself).
        """
        self.generation += 1
        generation, spec, ws = self.generation, self.current_spec(), self.ws
        failed = self._background_failed if quiet else self._query_failed
        if spec.view != self._saved_view:
            # Written only when it changes: each write is a sync of the settings file by
            # the event loop, which would delay the first screen by milliseconds.
            self.window.settings.setValue("queue/view", spec.view)
            self._saved_view = spec.view

        def work() -> QueueResult:
            return QueueResult(spec, queue_reads.fetch_ids(ws, spec), queue_reads.sla_book(ws))

        def full() -> None:
            # The whole id list is read after the head, not beside it: the two would only
            # compete for the interpreter and the first screen would come later.
            if generation == self.generation:
                self.runner.read(work, lambda r: self._apply(generation, r, reread), failed)

        if spec == self._applied and self.model.rowCount():
            full()
            return
        limit, book, lang = self._head_rows(), self.model.sla_book(), i18n.current()

        def count_done(total: int) -> None:
            self._apply_count(generation, total)
            full()

        def head_done(made: tuple[Head, dict[int, list[QStandardItem]]]) -> None:
            head = made[0]
            self._apply_head(generation, spec, *made)
            if generation == self.generation:
                self.model.fill_tips(lang)  # painted first, explained right after
            if head.all_ids is not None:
                # A search came with its whole list: searched once, not three times.
                self._apply_count(generation, len(head.all_ids))
                self._apply(generation, QueueResult(spec, head.all_ids, head.book))
                return
            if generation == self.generation:
                self.runner.read(lambda: queue_reads.count_view(ws, spec, book=book), count_done, failed)

        # The first screen's rows first, then the view's count (counting 100,000 rows takes as
        # long as reading the screen, which need not wait for it: it is read while the first
        # screen is painted), then the full id list. The window's SLA book goes along (plans
        # rarely change; the full pass reloads it).
        style = self.model.style()

        def head() -> tuple[Head, dict[int, list[QStandardItem]]]:
            # The rows' items are made here too: the GUI thread only puts them in.
            h = queue_reads.fetch_head(ws, spec, limit, lang, book=book, count=False, tips=False)
            return h, {tid: style.items(line) for tid, line in h.lines.items()}

        self.runner.read(head, head_done, failed)

    def _head_rows(self) -> int:
        """As many rows as the queue shows: each row more is read, prepared and made before
        the first paint; the rest of the first page follows the full id list."""
        if not self.table.isVisible():
            return HEAD_ROWS
        rows = self.table.viewport().height() // max(self.table.verticalHeader().defaultSectionSize(), 1)
        return rows + HEAD_MARGIN

    def _query_failed(self, exc: BaseException) -> None:
        show_error(self.table.window(), exc)

    def _apply_head(self, generation: int, spec: QueueSpec, head: Head,
                    items: dict[int, list[QStandardItem]] | None = None) -> None:
        if generation != self.generation or self.full_generation == generation:
            return
        self._applied = spec
        self.head_generation = generation
        self.model.set_ids(head.ids, head.book, lines=head.lines, grow=False, partial=True, items=items)
        if not self.table.isVisible():
            self._after_reset(current=None, scroll=0, same_query=False)
            return
        # Paint the first screen now, before anything else on the window changes: a repaint
        # paints every widget waiting for it, so what selecting the first row sets off
        # (toolbar actions, detail) follows the paint; the count and the rows beyond the head
        # follow the count's read.
        sm = self.table.selectionModel()
        with QSignalBlocker(sm):
            self._after_reset(current=None, scroll=0, same_query=False)
        self.table.viewport().repaint()
        if sm.currentIndex().isValid():
            self._chosen()
        self._first_screen_shown()

    def after_first_screen(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the first screen of rows is painted (at once if it already is):
        background work that competes for the interpreter — warming imports for later — waits
        for it, so the agent's first rows do not."""
        if self._first_screen is None:
            fn()
        else:
            self._first_screen.append(fn)

    def _first_screen_shown(self) -> None:
        waiting, self._first_screen = self._first_screen, None
        for fn in waiting or ():
            fn()

    def _apply_count(self, generation: int, total: int) -> None:
        """The view's count, come after its head: the rows beyond the head are made."""
        if generation != self.generation or self.full_generation == generation \
                or self.head_generation != generation:
            return
        self.model.set_total(total)
        self._show_count()

    def _apply(self, generation: int, result: QueueResult, reread: bool = True) -> None:
        if generation != self.generation:
            return
        self.full_generation = generation
        if self.head_generation == generation and self.model.complete(result.ids):
            self.model.set_book(result.book)
            self._find_shown()
            self.load_visible()
            if self._pending_select is not None:
                tid, self._pending_select = self._pending_select, None
                self.select_tid(tid)
            return
        same_query = self._applied == result.spec
        self._applied = result.spec
        if same_query and result.ids == self.model.ids():
            # Same rows in the same order: the ones on screen are read again (another agent
            # may have changed them) and only the changed ones are written.
            self.model.set_book(result.book)
            if reread:
                self.model.invalidate()
                self.load_visible()
            self.tick()
            return
        current = self.current_ticket_id() or self.window.detail.shown_id()
        scroll = self.table.verticalScrollBar().value() if same_query else 0
        # What is on screen stays on screen (at its new place) until its page is read again.
        first, last = self.visible_rows()
        keep = {line.id: line for r in range(first, last + 1) if (line := self.model.line(r)) is not None}
        self.model.set_ids(result.ids, result.book, lines=keep if same_query else None)
        self._show_count()
        self._after_reset(current, scroll, same_query)
        self._first_screen_shown()
        self.load_visible()

    def _show_count(self) -> None:
        n = self.model.rowCount()
        self.window.count_label.setText(QCoreApplication.translate("Main", "%n ticket(s)", "", n))

    # --- pages -----------------------------------------------------------------------------

    def load_visible(self) -> None:
        """Ask for the pages of the rows on screen that are not loaded (or are stale)."""
        first, last = self.visible_rows()
        missing = self.model.missing_pages(first, last)
        if not missing:
            return
        for page, ids in missing:
            self._read_page(page, ids)

    def _read_page(self, page: int, ids: list[int]) -> None:
        ws, lang, book, epoch = self.ws, i18n.current(), self.model.sla_book(), self.model.epoch

        def work() -> dict[int, QueueLine]:
            return queue_reads.fetch_page(ws, ids, lang, book)

        def done(lines: dict[int, QueueLine]) -> None:
            self._page_in(epoch, page, lines)

        self.runner.read(work, done, self._background_failed)

    def _page_in(self, epoch: int, page: int, lines: dict[int, QueueLine]) -> None:
        current = self.table.selectionModel().currentIndex()
        self.model.keep_row = current.row() if current.isValid() else None
        self.model.put_page(epoch, page, lines)

    # --- the periodic pass -------------------------------------------------------------------

    def refresh(self, arrivals: bool = True, queue: bool = True, reread: bool = True) -> None:
        """The periodic pass: ids of the current view, view counts, arrivals, tickets at risk.

        Without ``arrivals`` (while a large sync is storing batch after batch) only the queue,
        the counts and the mail state follow; what arrived is announced once, when the sync
        has finished, instead of every few seconds. Without ``queue`` the view is not read
        again (it is on its way).
        """
        if queue:
            self.requery(quiet=True, reread=reread)
        ws, previous = self.ws, self.latest_id
        self.runner.read(lambda: read_overview(ws, previous, arrivals),
                         lambda o: self._overview(o, arrivals), self._background_failed)

    def _background_failed(self, exc: BaseException) -> None:
        say_store_trouble(self.window.store_label, exc)

    def _overview(self, o: Overview, arrivals: bool = True) -> None:
        w = self.window
        w.store_label.hide()
        w.views.set_counts(o.counts)
        w.views.viewport().update()
        if arrivals:
            w.notifier.observe(o.at_risk, o.new_tids, first=self.latest_id < 0)
            self.latest_id = o.latest_id
        w.sync.show_status(o.mail)

    def refresh_all(self) -> None:
        """Everything read again: the rows on screen, the ids, the counts, the detail."""
        self.model.invalidate()
        self.load_visible()
        self.refresh()
        self.window.detail.reload()

    def retranslate(self) -> None:
        """The column titles now; the rows in the new language as their pages are read again."""
        self.model.retranslate()
        self.load_visible()
        self._show_count()

    # --- the detail ----------------------------------------------------------------------------

    def _ticket_changed(self, tid: str) -> None:
        current = self.current_ticket_id()
        if current is not None:
            ws, lang, book = self.ws, i18n.current(), self.model.sla_book()
            self.runner.read(lambda: queue_reads.fetch_page(ws, [current], lang, book),
                             self._lines_in, self._background_failed)
        detail = self.window.detail
        if detail.data is not None and detail.data.tid == tid:
            detail.load(tid)
        self.requery_soon.start()

    def _lines_in(self, lines: dict[int, QueueLine]) -> None:
        self.model.put_lines(lines)

    def _ticket_created(self, tid: str) -> None:
        self.window.statusBar().showMessage(
            QCoreApplication.translate("Main", "{0} created").format(tid), 10_000)
        self.choose_when_shown(tid)
        self.window.views.select("all")
        self.requery_soon.start()

    def countdown_cell(self, row: int) -> tuple[str, str]:
        cd = self.model.countdown(row)
        return (cd.text, cd.state) if cd is not None else ("", "none")

