"""The dashboard's lists as Qt models: deadlines at risk (breached, in warning, forecast to
breach) and acceptance acts awaiting the client. Every row the engine found, sortable by column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from desktop.services.reads.dashboard import RiskRow
from ui.dashboard.labels import Labels, local_deadline, state_colour, tr

RISK_COLUMNS = ("tid", "subject", "assignee", "plan", "target", "deadline", "remaining")
#: The risk lists, in the order of their tabs (the acts come after them).
LISTS = ("breached", "at_risk", "forecast")


class RiskModel(QAbstractTableModel):
    """Breached, warning or forecast deadlines: one row per ticket and target, every one of them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RiskRow] = []
        self._labels = Labels(None, "en")

    def set_rows(self, rows: Sequence[RiskRow], labels: Labels) -> None:
        self.beginResetModel()
        self._rows, self._labels = list(rows), labels
        self.endResetModel()

    def rows(self) -> list[RiskRow]:
        return list(self._rows)

    def tid(self, row: int) -> str:
        return self._rows[row].tid

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RISK_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {"tid": tr("TID"), "subject": tr("Subject"), "assignee": tr("Assignee"), "plan": tr("Plan"),
                "target": tr("Target"), "deadline": tr("Deadline"),
                "remaining": tr("Remaining (working time · by the clock)")}[RISK_COLUMNS[section]]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, key = self._rows[index.row()], RISK_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(r, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "subject":
            return r.subject
        if role == Qt.ItemDataRole.ToolTipRole and key == "remaining":
            return tr("{0} of working time (as the SLA counts it) · {1} by the clock").format(
                self._labels.remaining(r.remaining_minutes), self._labels.remaining(r.remaining_clock_minutes))
        if role == Qt.ItemDataRole.ForegroundRole and key == "remaining":
            return QBrush(state_colour("breached" if r.remaining_minutes < 0 else "warning"))
        if role == Qt.ItemDataRole.UserRole:
            return r.tid
        return None

    def _cell(self, r: RiskRow, key: str) -> str:
        lb = self._labels
        return {"tid": r.tid, "subject": r.subject, "assignee": lb.agent(r.assignee), "plan": lb.plan(r.plan),
                "target": lb.target(r.kind), "deadline": local_deadline(r.deadline),
                "remaining": tr("{0} · {1} by the clock").format(
                    lb.remaining(r.remaining_minutes), lb.remaining(r.remaining_clock_minutes))}[key]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = RISK_COLUMNS[column]
        sort_key: Callable[[RiskRow], Any]
        if key in ("deadline", "remaining"):
            sort_key = (lambda r: r.remaining_minutes) if key == "remaining" else (lambda r: r.deadline)
        else:
            sort_key = lambda r: self._cell(r, key).casefold()  # noqa: E731
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class _DictRowsModel(QAbstractTableModel):
    """A dashboard list of the report's rows as they came (dicts), one column per key of
    ``KEYS``; each row names its ticket (``tid``), which double-clicking opens."""

    KEYS: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def tid(self, row: int) -> str:
        return str(self._rows[row]["tid"])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.KEYS)


class ActsModel(_DictRowsModel):
    """Acceptance acts sent and not yet signed, soonest expiry first."""

    KEYS = ("number", "tid", "sent_at", "expires_at")

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("Act"), tr("TID"), tr("Sent"), tr("Expires"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self._rows[index.row()].get(self.KEYS[index.column()])
        if value and self.KEYS[index.column()] in ("sent_at", "expires_at"):
            return local_deadline(str(value))
        return "" if value is None else str(value)


class ReworkModel(_DictRowsModel):
    """Rework of refused acts still to do, soonest deadline first, each deadline in its state's
    colour (R-ACT-3): what the team promised the client and by when."""

    KEYS = ("tid", "act", "description", "deadline_at", "assignee")

    def overdue(self) -> int:
        return sum(1 for r in self._rows if r.get("state") == "breached")

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("TID"), tr("Act"), tr("Rework"), tr("Due"), tr("Assignee"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, key = self._rows[index.row()], self.KEYS[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and key == "deadline_at" and row.get("state") in ("warning", "breached"):
            return QBrush(state_colour(str(row["state"])))
        if role == Qt.ItemDataRole.ToolTipRole and key == "description":
            return str(row.get("description") or "")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        value = row.get(key)
        if value and key == "deadline_at":
            return local_deadline(str(value))
        return "" if value is None else str(value)
