"""The queue table model: prepared items Qt paints by itself, page by page, for 100,000 tickets.

The painter asks every cell for seven roles on each repaint; a Python ``data()`` made each of
those a trip from C++ into the interpreter, more than half the time of a screen. Here the model
is Qt's own ``QStandardItemModel``: a page of rows is read and prepared off the GUI thread
(:func:`desktop.services.reads.queue_page.fetch_page`: texts in the window's language, states,
tooltips) and the GUI thread only turns it into items. After Anki's browser table the model
knows the whole ordered id list of the view (sorted and filtered in SQL) but holds items only
for the pages that were on screen lately; a row not loaded yet is empty until its page comes.

The model never reads the database: :meth:`QueueModel.missing_pages` says which pages the
visible rows need, the window's queue controller reads them in the background and hands them
to :meth:`QueueModel.put_page`. The countdown column is recomputed from the rows' facts for the
visible rows only, and only the cells whose text or colour changed are written.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from desktop.services.reads.queue_clock import Countdown, QueueRow, SlaBook
from desktop.services.reads.queue_page import COLUMNS, DEADLINE, DUE, QueueLine
from ui import i18n
from ui.countdown import is_dark
from ui.queue_items import TOOLTIP, RowStyle, read_only_cell

__all__ = ["COLUMNS", "DUE", "PAGE", "QueueModel", "column_title"]

_SUBJECT = COLUMNS.index("subject")
#: Rows read and prepared at a time.
PAGE = 100
#: Pages kept as items; the ones on screen longest ago are dropped first.
CACHE_PAGES = 30
#: Within this many rows of a page's end, the next page is asked for too (scrolling on).
_AHEAD = 30


def column_title(key: str) -> str:
    titles = {
        "tid": QCoreApplication.translate("Queue", "Ticket"),
        "subject": QCoreApplication.translate("Queue", "Subject"),
        "client": QCoreApplication.translate("Queue", "Client"),
        "plan": QCoreApplication.translate("Queue", "Plan"),
        "status": QCoreApplication.translate("Queue", "Status"),
        "department": QCoreApplication.translate("Queue", "Department"),
        "assignee": QCoreApplication.translate("Queue", "Assignee"),
        "received": QCoreApplication.translate("Queue", "Received"),
        "due": QCoreApplication.translate("Queue", "Time left"),
        "deadline": QCoreApplication.translate("Queue", "Due"),
    }
    return titles[key]


class QueueModel(QStandardItemModel):
    """Ids in, prepared rows in, Qt paints. ``sortRequested`` asks for a re-query in SQL."""

    sortRequested = Signal(str, bool)

    def __init__(self, clock: Callable[[], datetime], parent: Any = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self._clock = clock
        self._ids: list[int] = []
        self._total = 0  # rows of the view; more than len(_ids) while only the head is known
        self._total_known = True
        self._partial = False  # only the head's ids are known
        self._row_of: dict[int, int] | None = None
        self._lines: dict[int, QueueLine] = {}  # row → what it shows
        #: Pages holding items, least recently on screen first; the flag says still current
        #: (False after the language changed or a refresh: read again when next on screen).
        self._pages: OrderedDict[int, bool] = OrderedDict()
        self._requested: set[int] = set()
        self._epoch = 0  # bumped whenever pages in flight would no longer fit
        self._book = SlaBook()
        self._has_book = False
        self._style = RowStyle.of(is_dark())
        self.sort_key = "default"
        self.sort_desc = False
        #: A row whose page is never let go (the current one: dropping it drops the selection).
        self.keep_row: int | None = None
        self.fetches = 0  # pages read for it and put in (benchmarks look at it)
        #: "Anna is replying", by ticket id: shown before the subject of the ticket's row.
        self._presence: dict[int, str] = {}
        # Cells are made by ``setData`` from this: read-only, selectable, no children.
        self.setItemPrototype(read_only_cell())
        self.retranslate()

    # --- feeding --------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int], book: SlaBook | None = None, total: int | None = None,
                lines: Mapping[int, QueueLine] | None = None, grow: bool = True,
                partial: bool | None = None,
                items: Mapping[int, list[QStandardItem]] | None = None) -> None:
        """Show a new result; a full reset, so callers keep selection themselves.

        ``lines`` are rows already prepared (a view's head). With ``total`` larger than
        ``ids`` only the head of the view is known yet: the rows beyond it are empty (the
        scroll bar is right at once) until :meth:`complete` brings their ids. ``grow=False``
        leaves making those rows to :meth:`grow`, so the first screen can be painted first.
        ``partial`` says ``ids`` are a head whose count is yet to come (:meth:`set_total`).
        ``items`` are the ``lines``' cells already made (:meth:`RowStyle.items`, on the thread
        that read them): the leading rows that have them are put in whole, a call a row.
        """
        self._epoch += 1
        self._ids = list(ids)
        self._total = max(total or 0, len(self._ids))
        self._total_known = total is not None
        self._partial = partial if partial is not None else self._total > len(self._ids)
        self._row_of = None
        self._lines.clear()
        self._pages.clear()
        self._requested.clear()
        if book is not None:
            self._book, self._has_book = book, True
        self.beginResetModel()
        blocked = self.blockSignals(True)  # one reset for the views, not row by row
        try:
            self.setRowCount(0)
            made = 0
            if items and lines:
                for tid in self._ids:
                    row_items, line = items.get(tid), lines.get(tid)
                    if row_items is None or line is None:
                        break
                    self.appendRow(row_items)
                    self._lines[made] = line
                    if tid in self._presence:  # "Anna is replying" goes before its subject
                        self._write(made, line)
                    made += 1
            self.setRowCount(len(self._ids))
            for tid, line in (lines or {}).items():
                row = self.row_of(tid)
                if row is not None and row >= made:
                    self._write(row, line, fresh=True)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()
        if grow:
            self.grow()

    def grow(self) -> None:
        """Make the empty rows of a view whose head alone is known (see :meth:`set_ids`)."""
        if self.rowCount() < self._total:
            self.setRowCount(self._total)

    def set_total(self, total: int) -> None:
        """The count of a view whose head is on screen, read beside it: its rows are made."""
        self._total = max(total, len(self._ids))
        self._total_known = True
        self.grow()

    def complete(self, ids: Sequence[int]) -> bool:
        """The full id list for the head on screen: taken over in place when it continues the
        head and has the counted length; otherwise the caller resets with :meth:`set_ids`."""
        if not self._partial or list(ids[: len(self._ids)]) != self._ids \
                or (self._total_known and len(ids) != self._total):
            return False
        self._ids = list(ids)
        self._total = len(self._ids)
        self._total_known, self._partial = True, False
        self._row_of = None
        self.grow()
        return True

    def is_partial(self) -> bool:
        return self._partial

    def set_book(self, book: SlaBook) -> None:
        self._book, self._has_book = book, True

    def sla_book(self) -> SlaBook | None:
        """The plans' calendars and targets last handed in (``None`` before the first), so a
        page or a new head can reuse them instead of reading them again."""
        return self._book if self._has_book else None

    @property
    def epoch(self) -> int:
        """Changes whenever a page asked for earlier would no longer fit the rows."""
        return self._epoch

    def missing_pages(self, first: int, last: int) -> list[tuple[int, list[int]]]:
        """The pages rows ``first..last`` (on screen) need and nobody asked for yet, with their
        ids; they count as asked for from now on. Pages on screen count as recently used.
        None while only the head is known: its rows came with it, the rest have no ids yet."""
        if last < first or not self._ids or self.is_partial():
            return []
        last = min(last, len(self._ids) - 1)
        wanted = list(range(max(first, 0) // PAGE, last // PAGE + 1))
        if last % PAGE >= PAGE - min(_AHEAD, PAGE // 3) and (last // PAGE + 1) * PAGE < len(self._ids):
            wanted.append(last // PAGE + 1)
        out = []
        for page in wanted:
            if page in self._pages:
                self._pages.move_to_end(page)
                if self._pages[page]:
                    continue
            if page in self._requested:
                continue
            self._requested.add(page)
            out.append((page, self._ids[page * PAGE: (page + 1) * PAGE]))
        return out

    def put_page(self, epoch: int, page: int, lines: Mapping[int, QueueLine]) -> int:
        """A page read for :meth:`missing_pages` arrives: its rows become items (only the rows
        that changed, when the page was shown before). Returns how many rows changed; a page
        for an older epoch is dropped."""
        if epoch != self._epoch:
            return 0
        self.fetches += 1
        self._requested.discard(page)
        self._pages[page] = True
        self._pages.move_to_end(page)
        start = page * PAGE
        changed = self._put(
            (row, lines.get(tid)) for row, tid in enumerate(self._ids[start: start + PAGE], start)
        )
        for old in list(self._pages)[: max(len(self._pages) - CACHE_PAGES, 0)]:
            if not self._drop(old):
                self._pages.move_to_end(old)
        return changed

    def put_lines(self, lines: Mapping[int, QueueLine]) -> int:
        """Fresh lines for a few tickets (after an action): their rows, if shown, are written."""
        return self._put((row, line) for tid, line in lines.items() if (row := self.row_of(tid)) is not None)

    def set_presence(self, presence: Mapping[int, str]) -> int:
        """Who is replying to which ticket (``{ticket id: "Anna is replying"}``): the rows
        whose note appears, changes or goes are written again. Returns how many."""
        old, self._presence = self._presence, dict(presence)
        touched = {i for i in old.keys() | self._presence.keys() if old.get(i) != self._presence.get(i)}
        rows = [(row, line) for i in touched
                if (row := self.row_of(i)) is not None and (line := self._lines.get(row)) is not None]
        for row, line in rows:
            self._write(row, line)
        return len(rows)

    def presence(self, ticket_id: int) -> str | None:
        return self._presence.get(ticket_id)

    def invalidate(self) -> None:
        """Rows may have changed (a refresh, another language): every page is read again when
        next on screen; what is shown stays until then."""
        self._epoch += 1
        self._requested.clear()
        for page in self._pages:
            self._pages[page] = False

    def _put(self, rows: Any) -> int:
        """Write the rows whose line changed; Qt tells the views cell by cell, from C++ (see
        :meth:`_write` on why no signal is emitted from Python here)."""
        changed = 0
        for row, line in rows:
            old = self._lines.get(row)
            if line is not None and old != line:
                self._write(row, line, fresh=old is None)
                changed += 1
        return changed

    def _drop(self, page: int) -> bool:
        """Forget a page's items (long off screen): its rows are empty until shown again. The
        rows are removed and put back empty, which frees their items; a page holding
        :attr:`keep_row` (the current row, whose selection that would drop) is kept."""
        start = page * PAGE
        end = min(start + PAGE, self.rowCount())
        if self.keep_row is not None and start <= self.keep_row < end:
            return False
        del self._pages[page]
        for row in range(start, end):
            self._lines.pop(row, None)
        if end > start:
            # The rows are back at once and off screen: nothing for the views to hear of.
            blocked = self.blockSignals(True)
            try:
                self.removeRows(start, end - start)
                self.insertRows(start, end - start)
            finally:
                self.blockSignals(blocked)
        return True

    # --- items ----------------------------------------------------------------------------

    def _write(self, row: int, line: QueueLine, fresh: bool = False) -> None:
        """Make row ``row`` show ``line`` in place: each cell's text, then its other roles in
        one call. Qt itself tells the views of the change, cell by cell, from C++."""
        self._lines[row] = line
        replying = self._presence.get(self._ids[row]) if self._presence and row < len(self._ids) else None
        for col, text in enumerate(line.texts):
            index = self.index(row, col)
            if col == _SUBJECT and replying:
                text = f"✎ {replying} · {text}"
            self.setData(index, text)
            roles = self._style.roles(line, col)
            if not fresh or any(value is not None for value in roles.values()):
                self.setItemData(index, roles)  # a fresh plain cell has nothing to clear

    def fill_tips(self, lang: str) -> int:
        """Tooltips for the rows whose lines came without them (a first screen, painted
        first), set quietly: a tooltip is read when it is asked for, so no view repaints for
        it. Returns how many rows got theirs."""
        rows = [(row, line) for row, line in self._lines.items() if not line.tooltips]
        blocked = self.blockSignals(True)
        try:
            for row, line in rows:
                line = self._lines[row] = line.with_tips(lang)
                for col, tip in enumerate(line.tooltips):
                    item = self.item(row, col) if tip else None
                    if item is not None:
                        item.setData(tip, TOOLTIP)
        finally:
            self.blockSignals(blocked)
        return len(rows)

    def style(self) -> RowStyle:
        """The fonts and brushes rows are drawn with now, for items made off this thread."""
        return self._style

    # --- what a row is ----------------------------------------------------------------------

    def ids(self) -> list[int]:
        return self._ids

    def ticket_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, ticket_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {tid: r for r, tid in enumerate(self._ids)}
        return self._row_of.get(ticket_id)

    def line(self, row: int) -> QueueLine | None:
        """What row ``row`` shows, or ``None`` while its page has not come."""
        return self._lines.get(row)

    def row_data(self, row: int) -> QueueRow | None:
        line = self._lines.get(row)
        return line.row if line is not None else None

    def loaded_rows(self) -> list[tuple[int, QueueLine]]:
        """The rows that have their page, with what they show."""
        return sorted(self._lines.items())

    def countdown(self, row: int) -> Countdown | None:
        line = self._lines.get(row)
        return line.countdown() if line is not None else None

    # --- the clock, the language, the palette ------------------------------------------------

    def tick(self, first: int, last: int) -> int:
        """Recompute the countdowns of rows ``first..last`` (the visible ones) at the clock's
        now from the rows' facts, and write the cells whose text or colour changed; returns
        how many changed."""
        first, last = max(first, 0), min(last, self.rowCount() - 1)
        if last < first:
            return 0
        now, lang = self._clock(), i18n.current()
        changed = 0
        for row in range(first, last + 1):
            line = self._lines.get(row)
            if line is None:
                continue
            new = line.with_countdown(self._book.countdown(line.row, now, lang), lang, now)
            if new is line:
                continue
            self._lines[row] = new
            for col in (DUE, DEADLINE):
                index = self.index(row, col)
                if new.texts[col] != line.texts[col]:
                    self.setData(index, new.texts[col])
                self.setItemData(index, self._style.roles(new, col))
            changed += 1
        return changed

    def retranslate(self) -> None:
        """Language changed: the column titles now, the rows as their pages are read again."""
        horizontal = Qt.Orientation.Horizontal
        for col, key in enumerate(COLUMNS):
            self.setHeaderData(col, horizontal, column_title(key))
            if key == "due":
                self.setHeaderData(col, horizontal, QCoreApplication.translate(
                    "Queue", "Working time left until the running SLA deadline, and the share of the "
                    "target's working time used"), Qt.ItemDataRole.ToolTipRole)
            elif key == "deadline":
                self.setHeaderData(col, horizontal, QCoreApplication.translate(
                    "Queue", "When the running SLA deadline falls, in your time zone"), Qt.ItemDataRole.ToolTipRole)
        self.invalidate()

    def restyle(self) -> None:
        """The palette changed (the system went dark or light): colours follow it."""
        self._style = RowStyle.of(is_dark())
        for row, line in list(self._lines.items()):
            self._write(row, line)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in SQL: ask for it and keep showing the old order until it arrives."""
        if not 0 <= column < len(COLUMNS):
            key, desc = "default", False
        else:
            key, desc = COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if (key, desc) == (self.sort_key, self.sort_desc):
            return
        self.sort_key, self.sort_desc = key, desc
        self.sortRequested.emit(key, desc)
