"""The queue's table: how it looks and behaves, set once (widths, rows of fixed height, sorting).

Everything here is Qt's own painting: the model holds prepared items, the table's stock
delegate draws them, so no cell costs a call into Python.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from desktop.domain.sla_format import format_overdue
from ui.queue_model import COLUMNS, QueueModel

_DEFAULT_WIDTHS = {"tid": 100, "subject": 240, "client": 165, "plan": 105, "status": 125,
                   "department": 120, "assignee": 130, "received": 90, "due": 215,
                   "deadline": 95}
#: Shown in the ticket's header anyway; a right click on the column titles brings them back.
HIDDEN_BY_DEFAULT = ("plan", "department")
#: Always shown: a row without its number or subject says nothing.
ALWAYS_SHOWN = ("tid", "subject")


def _due_width(font: QFont) -> int:
    """Wide enough for a long overdue countdown in either language, in bold as breached ones
    are painted ("просрочено на 148 ч 54 мин" was cut short at the old fixed width)."""
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    # A two-day overdue countdown and its share fit; a longer one is cut and read whole in
    # the cell's tooltip.
    longest = max(metrics.horizontalAdvance(format_overdue(timedelta(hours=48, minutes=58), lang) + " · 188\u00a0%")
                  for lang in ("ru", "en"))
    return max(_DEFAULT_WIDTHS["due"], longest + 24)


def queue_table(model: QueueModel, parent: QWidget) -> QTableView:
    """The table over ``model``: whole rows selected one at a time, never edited, sorted by
    the model (in SQL), fixed row heights (the view never measures 100,000 rows)."""
    t = QTableView(parent)
    t.setObjectName("queue")
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
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
    for key in HIDDEN_BY_DEFAULT:
        hh.hideSection(COLUMNS.index(key))
    hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    hh.customContextMenuRequested.connect(lambda pos: columns_menu(t).exec(hh.mapToGlobal(pos)))
    t.column_fitter = ColumnFitter(t)  # type: ignore[attr-defined]
    return t


#: Set on the header when a saved layout was restored into it: its widths are the agent's.
RESTORED = "restored_layout"
#: The subject's share of a narrow table before the other default columns give way.
SUBJECT_MIN = 220
#: How far each column gives way on a narrow table (the cut text is read in its tooltip).
_NARROWEST = {"client": 110, "status": 105, "assignee": 105, "due": 170, "deadline": 85}


class ColumnFitter(QObject):
    """On a narrow table (a 1280×720 screen) the default widths give way so the subject keeps
    :data:`SUBJECT_MIN`: client, status, assignee and time left shrink toward their narrowest,
    and grow back when the table widens. Widths the agent set by hand, or a saved layout, are
    left as they are.

    Hooked on the subject section's own resizes — it stretches with the table — rather than on
    an event filter, which would route every paint of the table through Python."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.subject = COLUMNS.index("subject")
        self.defaults = {i: table.columnWidth(i) for i in range(len(COLUMNS)) if i != self.subject}
        self.manual = False
        self._fitting = False
        self._queued = False
        table.horizontalHeader().sectionResized.connect(self._resized)

    def _resized(self, index: int, _old: int, _new: int) -> None:
        if self._fitting:
            return
        if index != self.subject:
            # The agent dragging a border (a hidden column shown or a model reset also resize
            # sections, and must not count as a choice).
            if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
                self.manual = True
            return
        # After the header has finished laying out: sizes set inside its own pass are undone.
        if not self._queued:
            self._queued = True
            QTimer.singleShot(0, self, self.fit)  # dropped if the table goes first

    def fit(self) -> None:
        self._queued = False
        if self.manual or self.table.horizontalHeader().property(RESTORED):
            return
        hh = self.table.horizontalHeader()
        shown = [i for i in self.defaults if not hh.isSectionHidden(i)]
        room = self.table.viewport().width() - SUBJECT_MIN - sum(self.defaults[i] for i in shown)
        give = {i: self.defaults[i] - _NARROWEST[COLUMNS[i]] for i in shown if COLUMNS[i] in _NARROWEST}
        slack = sum(give.values())
        short = min(max(0, -room), slack)
        self._fitting = True
        try:
            for i in shown:
                cut = round(give.get(i, 0) * short / slack) if slack else 0
                if hh.sectionSize(i) != self.defaults[i] - cut:
                    hh.resizeSection(i, self.defaults[i] - cut)
        finally:
            self._fitting = False


def columns_menu(table: QTableView) -> QMenu:
    """The column titles' right-click menu: each column shown or hidden (kept with the layout)."""
    hh, model = table.horizontalHeader(), table.model()
    menu = QMenu(table)
    menu.setObjectName("queue_columns")
    for col, key in enumerate(COLUMNS):
        if key in ALWAYS_SHOWN:
            continue
        act = menu.addAction(str(model.headerData(col, Qt.Orientation.Horizontal)))
        act.setCheckable(True)
        act.setChecked(not hh.isSectionHidden(col))
        act.toggled.connect(lambda on, c=col: hh.setSectionHidden(c, not on))
    return menu
