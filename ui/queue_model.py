"""The queue table model: holds ticket ids, fetches the rows on screen, ticks the countdowns.

After Anki's browser table: the model owns an ordered list of ids (the whole view, sorted and
filtered in SQL off the GUI thread) and a small cache of rows. ``data()`` for a row not yet cached
fetches its page of rows by primary key, a query of a few milliseconds, so 100,000 tickets scroll
as smoothly as 40. The countdown column is recomputed from cached facts for the visible rows only
and announced with one ``dataChanged`` on that column.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from desktop.domain.tickets import status_name
from desktop.services.reads.queue import Countdown, QueueRow, SlaBook
from ui import i18n
from ui.countdown import is_dark, priority_foreground, state_background, state_foreground

Index = QModelIndex | QPersistentModelIndex

#: Column keys in display order; the key doubles as the SQL sort key.
COLUMNS = (
    "tid", "subject", "client", "plan", "status", "department", "assignee", "received", "due",
)
DUE = COLUMNS.index("due")
_TID = COLUMNS.index("tid")
PAGE = 100
CACHE_ROWS = 3000

# The painter asks every cell for seven roles on each repaint (~900 calls for a screen of 14
# rows): each row's answers are made once, when the row is first painted, as one tuple per
# role, so a call is an index lookup. Plain ints keep the calls from building enums.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
#: Role → position of its tuple in a row's cells.
_SLOT = {_DISPLAY: 0, _FONT: 1, _FOREGROUND: 2, _BACKGROUND: 3}

#: One row as the painter sees it: (texts, fonts, foregrounds, backgrounds), each per column.
Cells = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]


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
    }
    return titles[key]


RowFetcher = Callable[[Sequence[int]], dict[int, QueueRow]]


class QueueModel(QAbstractTableModel):
    """Ids in, rows out. ``sortRequested`` asks the window to re-query in the background."""

    sortRequested = Signal(str, bool)

    def __init__(self, fetch_rows: RowFetcher, clock: Callable[[], datetime], parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch_rows
        self._clock = clock
        self._ids: list[int] = []
        self._total = 0  # rows in the view; more than len(_ids) while only the head is known
        self._row_of: dict[int, int] | None = None
        self._rows: OrderedDict[int, QueueRow] = OrderedDict()
        self._countdowns: dict[int, Countdown] = {}
        #: What each cached row answers the painter (see ``Cells``), made once per row,
        #: language and countdown; dropped whenever one of those changes.
        self._cells: dict[int, Cells] = {}
        self._book = SlaBook()
        self._has_book = False
        self._bold: QFont | None = None
        self._dark = is_dark()
        self._priority_brush: QBrush | None = None
        self._state_brushes: dict[str, tuple[QBrush | None, QBrush | None]] = {}
        self.sort_key = "default"
        self.sort_desc = False
        self.fetches = 0  # how many page queries ran (tests and benchmarks look at it)

    # --- feeding --------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int], book: SlaBook | None = None, total: int | None = None,
                rows: dict[int, QueueRow] | None = None) -> None:
        """Show a new result; a full reset, so callers keep selection themselves.

        With ``total`` larger than ``ids`` only the head of the view is known yet (its rows may
        come along in ``rows``); :meth:`complete` adds the rest without another reset.
        """
        self.beginResetModel()
        self._ids = list(ids)
        self._total = max(total if total is not None else 0, len(self._ids))
        self._row_of = None
        self._rows.clear()
        self._countdowns.clear()
        self._cells.clear()
        if book is not None:
            self._book, self._has_book = book, True
        for tid, data in (rows or {}).items():
            self._rows[tid] = data
        self.endResetModel()

    def complete(self, ids: Sequence[int]) -> bool:
        """The full id list for the head on screen: taken over in place when it continues the
        head and has the announced length; otherwise the caller resets with :meth:`set_ids`."""
        if len(ids) != self._total or list(ids[: len(self._ids)]) != self._ids:
            return False
        known = len(self._ids)
        self._ids = list(ids)
        self._row_of = None
        if known < self._total:
            self.dataChanged.emit(self.index(known, 0), self.index(self._total - 1, len(COLUMNS) - 1))
        return True

    def is_partial(self) -> bool:
        return len(self._ids) < self._total

    def set_book(self, book: SlaBook) -> None:
        self._book, self._has_book = book, True
        self._countdowns.clear()
        self._cells.clear()  # "received" reads "14:05" today and "20.11 14:05" tomorrow

    def sla_book(self) -> SlaBook | None:
        """The plans' calendars and targets last handed in (``None`` before the first), so a
        new head can reuse them instead of reading them again."""
        return self._book if self._has_book else None

    def ids(self) -> list[int]:
        return self._ids

    def ticket_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, ticket_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {tid: r for r, tid in enumerate(self._ids)}
        return self._row_of.get(ticket_id)

    def row_data(self, row: int) -> QueueRow | None:
        tid = self.ticket_id(row)
        if tid is None:
            return None
        cached = self._rows.get(tid)
        if cached is not None:
            self._rows.move_to_end(tid)
            return cached
        self._fetch_page(row)
        return self._rows.get(tid)

    def _fetch_page(self, row: int) -> None:
        start = row - row % PAGE
        wanted = [i for i in self._ids[start : start + PAGE] if i not in self._rows]
        self.fetches += 1
        for tid, data in self._fetch(wanted).items():
            self._rows[tid] = data
        while len(self._rows) > CACHE_ROWS:
            dropped, _ = self._rows.popitem(last=False)
            self._cells.pop(dropped, None)

    def refresh_rows(self, ticket_ids: Sequence[int]) -> None:
        """Re-read a few tickets (after an action) and repaint just their rows."""
        fresh = self._fetch(list(ticket_ids))
        for tid in ticket_ids:
            self._countdowns.pop(tid, None)
            self._cells.pop(tid, None)
            if tid in fresh:
                self._rows[tid] = fresh[tid]
            row = self.row_of(tid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- countdowns ----------------------------------------------------------------------

    def countdown(self, row: int) -> Countdown | None:
        data = self.row_data(row)
        if data is None:
            return None
        cd = self._countdowns.get(data.id)
        if cd is None:
            cd = self._book.countdown(data, self._clock(), i18n.current())
            self._countdowns[data.id] = cd
        return cd

    def tick(self, first: int, last: int) -> int:
        """Recompute the countdowns of rows ``first..last`` (the visible ones) at the clock's
        now and repaint that column; returns how many texts or colours changed."""
        if not self._ids or last < first:
            return 0
        first, last = max(first, 0), min(last, len(self._ids) - 1)
        if last < first:
            return 0
        now, lang = self._clock(), i18n.current()
        changed = 0
        for row in range(first, last + 1):
            data = self.row_data(row)
            if data is None:
                continue
            new = self._book.countdown(data, now, lang)
            if self._countdowns.get(data.id) != new:
                changed += 1
                self._cells.pop(data.id, None)
            self._countdowns[data.id] = new
        if changed:
            self.dataChanged.emit(
                self.index(first, DUE), self.index(last, DUE), [Qt.ItemDataRole.DisplayRole]
            )
        return changed

    def retranslate(self) -> None:
        """Language changed: texts of every cached row change (countdowns carry words)."""
        self._countdowns.clear()
        self._cells.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(COLUMNS) - 1))

    def restyle(self) -> None:
        """The palette changed (the system went dark or light): colours follow it."""
        self._dark = is_dark()
        self._priority_brush = None
        self._state_brushes.clear()
        self._cells.clear()
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(COLUMNS) - 1))

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return column_title(COLUMNS[section])
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section] == "due":
                return QCoreApplication.translate(
                    "Queue", "Working time left until the running SLA deadline"
                )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        slot = _SLOT.get(role)
        row = index.row()
        if slot is None:
            if role == _TOOLTIP:
                return self._tooltip(row, COLUMNS[index.column()]) if index.isValid() else None
            if role == _USER:
                return self.ticket_id(row)
            return None  # alignment, decoration, check state, size hint…: the defaults
        cells = self.cells(row)
        return None if cells is None else cells[slot][index.column()]

    def cells(self, row: int) -> Cells | None:
        """What row ``row`` shows (``None`` beyond the head while the full id list is on its
        way: empty for a moment)."""
        if not 0 <= row < len(self._ids):
            return None
        cells = self._cells.get(self._ids[row])
        return cells if cells is not None else self._make_cells(row)

    def _make_cells(self, row: int) -> Cells | None:
        data = self.row_data(row)
        if data is None:
            return None
        cd = self.countdown(row)
        state = cd.state if cd is not None else "none"
        texts = self._texts(data, cd.text if cd is not None else "")
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        fonts: list[Any] = [self._bold if data.status == "new" else None] * len(COLUMNS)
        if state == "breached":
            fonts[DUE] = self._bold
        fgs: list[Any] = [None] * len(COLUMNS)
        bgs: list[Any] = [None] * len(COLUMNS)
        fgs[DUE], bgs[DUE] = self._state_brush(state)
        if data.priority_rank == 0:  # priority clients' ticket numbers stand out
            if self._priority_brush is None:
                self._priority_brush = QBrush(priority_foreground(self._dark))
            fgs[_TID] = self._priority_brush
        cells = (texts, tuple(fonts), tuple(fgs), tuple(bgs))
        self._cells[data.id] = cells
        return cells

    def _state_brush(self, state: str) -> tuple[QBrush | None, QBrush | None]:
        brushes = self._state_brushes.get(state)
        if brushes is None:
            fg, bg = state_foreground(state, self._dark), state_background(state)
            brushes = (QBrush(fg) if fg is not None else None, QBrush(bg) if bg is not None else None)
            self._state_brushes[state] = brushes
        return brushes

    def _texts(self, data: QueueRow, countdown: str) -> tuple[str, ...]:
        """What each column reads for one row, in ``COLUMNS`` order, in the current language."""
        lang = i18n.current()
        ru = lang == "ru"
        by_key = {
            "tid": data.tid,
            "subject": data.subject or QCoreApplication.translate("Queue", "(no subject)"),
            "client": data.client or data.requester_name or data.requester,
            "plan": (data.plan_ru if ru and data.plan_ru else data.plan_en) or "",
            "status": status_name(data.status, lang, data.archived),
            "department": (data.department_ru if ru else data.department_en) or "",
            "assignee": data.assignee_name or data.assignee_login or "",
            "received": self._when(data.received_at),
            "due": countdown,
        }
        return tuple(by_key[k] or "" for k in COLUMNS)

    def _when(self, t: datetime) -> str:
        local = t.astimezone()
        now = self._clock().astimezone()
        if local.date() == now.date():
            return local.strftime("%H:%M")
        if local.year == now.year:
            return local.strftime("%d.%m %H:%M")
        return local.strftime("%d.%m.%Y")

    def _tooltip(self, row: int, key: str) -> str | None:
        data = self.row_data(row)
        if data is None:
            return None
        if key == "due":
            cd = self.countdown(row)
            if cd is None or cd.deadline is None:
                return None
            return QCoreApplication.translate("Queue", "Deadline: {0}").format(
                cd.deadline.astimezone().strftime("%d.%m.%Y %H:%M")
            )
        if key == "client":
            return f"{data.requester_name} <{data.requester}>" if data.requester_name else data.requester
        if key == "subject":
            return data.subject
        if key == "received":
            return data.received_at.astimezone().strftime("%d.%m.%Y %H:%M")
        return None

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


class QueueDelegate(QStyledItemDelegate):
    """Dresses each queue cell from the model's :meth:`QueueModel.cells` in one Python call.

    Qt's own ``initStyleOption`` asks the model seven roles per cell, each a trip from C++ into
    Python: ~900 trips for a screen of 14 rows, more than half the time of painting it. This
    does what that method does for the roles the queue uses (text, font, text colour,
    background) with one trip per cell; everything else about the cell is Qt's.
    """

    def __init__(self, model: QueueModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._model = model
        self._fonts: dict[tuple[int, str], tuple[QFont, QFontMetrics]] = {}

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        cells = self._model.cells(index.row())
        if isinstance(index, QModelIndex):  # what a view passes; the option holds no persistent one
            option.index = index
        if cells is None:
            return
        column = index.column()
        texts, fonts, fgs, bgs = cells
        font = fonts[column]
        if font is not None:
            option.font, option.fontMetrics = self._resolved(font, option.font)
        fg = fgs[column]
        if fg is not None:
            palette = option.palette
            palette.setBrush(QPalette.ColorRole.Text, fg)
            option.palette = palette
        option.text = texts[column]
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        bg = bgs[column]
        if bg is not None:
            option.backgroundBrush = bg

    def _resolved(self, font: QFont, base: QFont) -> tuple[QFont, QFontMetrics]:
        key = (id(font), base.key())
        hit = self._fonts.get(key)
        if hit is None:
            resolved = font.resolve(base)
            hit = self._fonts[key] = (resolved, QFontMetrics(resolved))
        return hit
