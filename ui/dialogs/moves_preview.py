"""Before deadlines move: the open tickets a change to the regulation would move, Apply or Cancel.

Saving a plan, a calendar, a company exception or an imported production calendar first asks
the engine what would move (``desktop.services.regulation_preview``) in the read lane; this
dialog shows it — from which deadline to which, and which tickets become breached or stop
being breached — and the change is stored only on Apply. Opened window-modal with ``open()``,
so nothing blocks and a test presses the buttons as a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.services.regulation_preview import Moves

translate = QCoreApplication.translate


def _when(t: datetime | None, tz: tzinfo | None) -> str:
    if t is None:
        return "—"
    if tz is None:
        return times.date_time(t)
    local = t.astimezone(tz)
    return f"{times.dmy(local)} {times.hm(local)}"


class MovesDialog(QDialog):
    """The table of moved deadlines with Apply and Cancel; ``extra`` is shown above it (an
    import's changed days, say)."""

    def __init__(self, parent: QWidget | None, title: str, moves: Moves, extra: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("moves_preview")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(820, 480)
        self.moves = moves
        lay = QVBoxLayout(self)
        if extra:
            days = QLabel(extra, self)
            days.setObjectName("preview_extra")
            days.setWordWrap(True)
            days.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(days)
        self.summary = QLabel(self)
        self.summary.setObjectName("preview_summary")
        self.summary.setWordWrap(True)
        self.summary.setText(translate(
            "Preview", "{0} open tickets are recomputed; deadlines move on {1}. {2} become breached, "
            "{3} stop being breached.").format(moves.checked, moves.tickets_moved, moves.becoming_breached,
                                                moves.no_longer_breached))
        lay.addWidget(self.summary)
        self.table = QTableWidget(len(moves.moves), 5, self)
        self.table.setObjectName("preview_table")
        self.table.setHorizontalHeaderLabels([
            translate("Preview", "Ticket"), translate("Preview", "Target"), translate("Preview", "Deadline now"),
            translate("Preview", "After the change"), translate("Preview", "State")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        kinds = {"reaction": translate("Preview", "reaction"), "resolution": translate("Preview", "resolution")}
        changes = {"breached": translate("Preview", "becomes breached"),
                   "unbreached": translate("Preview", "no longer breached"), "": ""}
        for row, m in enumerate(moves.moves):
            tz = m.before.tzinfo if m.before is not None else None
            cells = (f"{m.tid} — {m.subject}", kinds.get(m.kind, m.kind), _when(m.before, tz),
                     _when(m.after, tz), changes[m.change])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if m.change == "breached":
                    item.setForeground(QBrush(QColor("#b3261e")))
                elif m.change == "unbreached":
                    item.setForeground(QBrush(QColor("#1e7b34")))
                self.table.setItem(row, col, item)
        lay.addWidget(self.table, 1)
        if not moves.moves:
            self.table.hide()
            none = QLabel(translate("Preview", "No open ticket's deadline moves."), self)
            lay.addWidget(none, 1)
        buttons = QDialogButtonBox(self)
        self.apply_button = QPushButton(translate("Preview", "Apply"), self)
        self.apply_button.setObjectName("preview_apply")
        self.cancel_button = QPushButton(translate("Preview", "Cancel"), self)
        self.cancel_button.setObjectName("preview_cancel")
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


def ask_to_apply(parent: QWidget, title: str, moves: Moves, apply: Callable[[], object],
                 cancelled: Callable[[], None] | None = None, extra: str = "") -> MovesDialog:
    """Show the preview; ``apply`` runs on Apply, ``cancelled`` on Cancel. Returns the dialog
    (kept on ``parent.preview_dialog`` for tests)."""
    dlg = MovesDialog(parent, title, moves, extra)
    dlg.accepted.connect(apply)
    if cancelled is not None:
        dlg.rejected.connect(cancelled)
    dlg.finished.connect(dlg.deleteLater)
    parent.preview_dialog = dlg  # type: ignore[attr-defined]
    dlg.open()
    return dlg
