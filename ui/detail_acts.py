"""The ticket pane's commercial strip: paid work (the suggestion with its reason and the buttons to
confirm or clear it, R-TICKET-7), the ticket's newest act with "save as PDF / DOCX", and the
rework agreed on a refused act, each item counting down to its deadline in the state's colours
with a button to mark it done (R-ACT-3).

Painted from the ticket page (``TicketPage.acts``); the buttons run the ticket's actions
(``ui.act_actions``), bound by :meth:`ActsPanel.bind`. Hidden when there is nothing to say.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import times
from desktop.services.reads.ticket_acts import ReworkLine, TicketActs
from desktop.services.reads.ticket_page import TicketPage
from ui.countdown import is_dark, state_foreground
from ui.thread_html import local_time

#: How many rework rows the list shows before it scrolls (the thread needs the room).
VISIBLE_ROWS = 4



def act_status_text(status: str) -> str:
    return {
        "issued": QCoreApplication.translate("DetailActs", "issued, not sent"), "sent": QCoreApplication.translate("DetailActs", "sent, awaiting the client"),
        "follow_up": QCoreApplication.translate("DetailActs", "not answered in time, follow up"), "accepted": QCoreApplication.translate("DetailActs", "accepted"),
        "deemed_accepted": QCoreApplication.translate("DetailActs", "deemed accepted"), "refused": QCoreApplication.translate("DetailActs", "refused"), "superseded": QCoreApplication.translate("DetailActs", "replaced"),
    }.get(status, status)


def act_kind_text(kind: str) -> str:
    return QCoreApplication.translate("DetailActs", "Bilateral act") if kind == "bilateral" else QCoreApplication.translate("DetailActs", "Acceptance act")


def _line(parent: QWidget, label_name: str, *button_names: str) -> tuple[QWidget, QLabel, list[QToolButton]]:
    """A row of the panel: a wrapping label taking the width, then its buttons."""
    row = QWidget(parent)
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    label = QLabel(row)
    label.setObjectName(label_name)
    label.setWordWrap(True)
    box.addWidget(label, 1)
    buttons = []
    for name in button_names:
        button = QToolButton(row)
        button.setObjectName(name)
        box.addWidget(button)
        buttons.append(button)
    return row, label, buttons


class ActsPanel(QFrame):
    """``reworkDone(item_id)`` when the agent marks the chosen rework item done."""

    reworkDone = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("acts_panel")
        self.acts: TicketActs | None = None
        self.page: TicketPage | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        lay.setSpacing(3)

        self.paid_row, self.paid_label, (self.confirm_button, self.clear_button) = _line(
            self, "paid_banner", "confirm_paid", "clear_paid")
        self.paid_label.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.paid_row)

        self.act_row, self.act_label, (self.pdf_button, self.docx_button) = _line(
            self, "act_line", "save_act_pdf", "save_act_docx")
        lay.addWidget(self.act_row)

        self.rework_box = QWidget(self)
        box = QHBoxLayout(self.rework_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.rework_list = QTreeWidget(self.rework_box)
        self.rework_list.setObjectName("rework_list")
        self.rework_list.setRootIsDecorated(False)
        self.rework_list.setColumnCount(3)
        self.rework_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.rework_list.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the description takes the room
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.rework_list.itemSelectionChanged.connect(self._chosen)
        self.rework_list.itemActivated.connect(lambda _item, _col: self.mark_done())
        self.done_button = QPushButton(self.rework_box)
        self.done_button.setObjectName("rework_done")
        self.done_button.clicked.connect(self.mark_done)
        box.addWidget(self.rework_list, 1)
        box.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.rework_box)
        self.retranslate()
        self.show_page(None)

    def bind(self, actions: dict[str, QAction]) -> None:
        """The buttons run the ticket's actions (enabled and named as those are)."""
        self.confirm_button.setDefaultAction(actions["confirm_paid"])
        self.clear_button.setDefaultAction(actions["clear_paid"])
        self.pdf_button.setDefaultAction(actions["save_act_pdf"])
        self.docx_button.setDefaultAction(actions["save_act_docx"])

    def retranslate(self) -> None:
        self.rework_list.setHeaderLabels([QCoreApplication.translate("DetailActs", "Rework agreed with the client"), QCoreApplication.translate("DetailActs", "Due"), QCoreApplication.translate("DetailActs", "Left")])
        self.done_button.setText(QCoreApplication.translate("DetailActs", "Mark done"))
        self.done_button.setToolTip(QCoreApplication.translate("DetailActs", "The chosen rework item is done (Enter on it does the same)"))
        if self.page is not None:
            self.show_page(self.page)

    # --- painting ---------------------------------------------------------------------------

    def show_page(self, page: TicketPage | None) -> None:
        self.page = page
        self.acts = page.acts if page is not None else None
        if page is None or self.acts is None:
            self.hide()
            return
        acts = self.acts
        suggested = "paid_suggested" in page.flags
        self.paid_row.setVisible(suggested or page.paid)
        if suggested or page.paid:
            head = QCoreApplication.translate("DetailActs", "Suggested as paid work") if suggested else QCoreApplication.translate("DetailActs", "Paid work")
            colour = state_foreground("warning", is_dark(self.palette()))
            style = f"color:{colour.name()}" if suggested and colour is not None else ""
            self.paid_label.setText(f"<span style='{style}'><b>{html.escape(head)}</b></span>: "
                                    + html.escape(acts.paid_words or page.paid_reason or "—", quote=False))
        latest = acts.latest
        self.act_row.setVisible(latest is not None)
        if latest is not None:
            self.act_label.setText(QCoreApplication.translate("DetailActs", "{0} {1} of {2}: {3}").format(
                act_kind_text(latest.kind), latest.number, times.dmy(latest.act_date),
                act_status_text(latest.status)))
        self._fill_rework(acts.rework)
        self.setVisible(self.paid_row.isVisibleTo(self) or latest is not None or bool(acts.rework))

    def tick(self, now: datetime, lang: str) -> None:
        """The countdowns at ``now`` (the window's tick): arithmetic on what was read, no query."""
        if self.acts is not None and self.acts.rework:
            self.acts = self.acts.at(now, lang)
            for n, line in enumerate(self.acts.rework):
                item = self.rework_list.topLevelItem(n)
                if item is not None:
                    self._paint(item, line)

    def _fill_rework(self, lines: tuple[ReworkLine, ...]) -> None:
        chosen = self.chosen_id()
        self.rework_list.clear()
        for line in lines:
            item = QTreeWidgetItem(self.rework_list, [line.description, local_time(line.deadline_at), ""])
            item.setData(0, Qt.ItemDataRole.UserRole, line.id)
            item.setToolTip(0, line.description)
            self._paint(item, line)
            if line.id == chosen:
                self.rework_list.setCurrentItem(item)
        self.rework_box.setVisible(bool(lines))
        if lines:
            rows = min(len(lines), VISIBLE_ROWS)
            row_h = self.rework_list.sizeHintForRow(0) if lines else 20
            self.rework_list.setFixedHeight(self.rework_list.header().sizeHint().height() + rows * row_h + 6)
        self._chosen()

    def _paint(self, item: QTreeWidgetItem, line: ReworkLine) -> None:
        item.setText(2, line.text)
        colour = state_foreground(line.state if not line.done else "met", is_dark(self.palette()))
        brush = QBrush(colour) if colour is not None else QBrush()
        item.setForeground(2, brush)
        item.setData(0, Qt.ItemDataRole.UserRole + 1, line.done)
        font = item.font(2)
        font.setBold(line.state == "breached")
        item.setFont(2, font)

    # --- choosing and marking done ----------------------------------------------------------

    def chosen_id(self) -> int | None:
        item = self.rework_list.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def _chosen(self) -> None:
        item = self.rework_list.currentItem()
        self.done_button.setEnabled(item is not None and not item.data(0, Qt.ItemDataRole.UserRole + 1))

    def mark_done(self) -> None:
        item_id = self.chosen_id()
        if item_id is not None and self.done_button.isEnabled():
            self.reworkDone.emit(item_id)
