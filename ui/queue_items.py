"""Queue rows as Qt's own items, made beside the read that prepared them.

A ``QStandardItem`` is not a ``QObject``: it may be made on any thread and handed to the
model on the GUI thread, where putting a ready row in is one call instead of two per cell.
The first screen of a view is made this way on the worker that read it, so the GUI thread
only inserts rows before Qt paints them.

:class:`RowStyle` is the window's fonts and brushes taken on the GUI thread (a snapshot: the
palette can change while a worker uses it, and brushes are implicitly shared and safe to copy
across threads); both the model's in-place writes and the items made off-thread ask it for a
cell's roles, so the two never disagree on how a row looks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont, QStandardItem

from desktop.services.reads.queue_page import COLUMNS, DUE, QueueLine
from ui.countdown import priority_foreground, state_background, state_foreground

FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
         | Qt.ItemFlag.ItemNeverHasChildren)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
FONT = int(Qt.ItemDataRole.FontRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_TID = COLUMNS.index("tid")
#: Every countdown state a row can be in; their brushes are made up front (on the GUI thread).
STATES = ("", "ok", "warning", "breached", "paused", "met", "missed")


@dataclass(frozen=True)
class RowStyle:
    """How a row looks in one palette: the bold font and each state's brushes."""

    dark: bool
    bold: QFont
    priority: QBrush
    foreground: dict[str, QBrush | None] = field(default_factory=dict)
    background: dict[str, QBrush | None] = field(default_factory=dict)
    #: Every cell made here starts as a copy of this one (read-only, selectable, no children):
    #: one call and one allocation where a new item and its flags took two of each — the first
    #: screen's cells came 0.49 → 0.30 ms after a pause. It is only ever read, so readers on
    #: two threads may copy it at once.
    cell: QStandardItem = field(default_factory=lambda: read_only_cell())

    @classmethod
    def of(cls, dark: bool) -> RowStyle:
        bold = QFont()
        bold.setBold(True)
        style = cls(dark, bold, QBrush(priority_foreground(dark)))
        for state in STATES:
            style.brush(state, False)
            style.brush(state, True)
        return style

    def brush(self, state: str, background: bool) -> QBrush | None:
        brushes = self.background if background else self.foreground
        if state not in brushes:  # a state not listed above: made once, wherever first asked
            colour = state_background(state) if background else state_foreground(state, self.dark)
            brushes[state] = QBrush(colour) if colour is not None else None
        return brushes[state]

    def roles(self, line: QueueLine, col: int) -> dict[int, Any]:
        """A cell's roles besides its text; ``None`` clears one (a row written again over an
        older one shows no leftovers)."""
        roles: dict[int, Any] = {TOOLTIP: (line.tooltips[col] if line.tooltips else None) or None,
                                 FONT: self.bold if line.bold else None,
                                 FOREGROUND: None, BACKGROUND: None}
        if col == _TID and line.priority:  # priority clients' ticket numbers stand out
            roles[FOREGROUND] = self.priority
        elif col == DUE:
            if line.state == "breached":
                roles[FONT] = self.bold
            roles[FOREGROUND] = self.brush(line.state, False)
            roles[BACKGROUND] = self.brush(line.state, True)
        return roles

    def items(self, line: QueueLine) -> list[QStandardItem]:
        """The row's cells as new items, ready to be put in on the GUI thread.

        A new item has no roles to clear: only those with a value are set, and the cells
        :meth:`roles` styles alike (all but the number and the countdown) skip building its
        dict — the first screen waits for these calls."""
        out = []
        bold = self.bold if line.bold else None
        tips = line.tooltips or (None,) * len(line.texts)
        cell = self.cell
        for col, text in enumerate(line.texts):
            item = cell.clone()
            item.setText(text)
            if col in (_TID, DUE):
                for role, value in self.roles(line, col).items():
                    if value is not None:
                        item.setData(value, role)
            else:
                tip = tips[col]
                if tip:
                    item.setData(tip, TOOLTIP)
                if bold is not None:
                    item.setData(bold, FONT)
            out.append(item)
        return out


def read_only_cell() -> QStandardItem:
    """The item the queue's cells are copied from: read-only, selectable, no children (the
    model's own prototype for cells it makes, and :attr:`RowStyle.cell` for rows made off-thread)."""
    item = QStandardItem()
    item.setFlags(FLAGS)
    return item
