"""The views on the left, each with its count (R-UI-1): the six fixed views, then the agent's
own saved views and those the team shares, under a heading of their own.

A saved view's item carries its key (``saved:<id>``); choosing one first says so
(``savedChosen``, so the filter bar takes the view's filter) and then, like any view,
``viewChosen``. The saved items can be dragged into another order; the panel says how far one
moved (``moved``) and the saved views' keeper stores it.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.services.reads.queue import VIEWS

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole
#: A saved view's small muted mark before its count: who shares it ("team", a colleague's login).
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2
#: The heading above the saved views: not a view, never chosen.
HEADING = "heading"
#: The last line, "+ Save filter as view…": not a view, opens the save dialog.
ADD = "add"
SAVED = "saved:"


def view_title(key: str) -> str:
    return {
        "mine": QCoreApplication.translate("Views", "My tickets"),
        "unassigned": QCoreApplication.translate("Views", "Unassigned"),
        "waiting": QCoreApplication.translate("Views", "Waiting for client"),
        "breaching": QCoreApplication.translate("Views", "Breaching soon"),
        "acceptance": QCoreApplication.translate("Views", "Awaiting acceptance"),
        "rework": QCoreApplication.translate("Views", "Rework due"),
        "all": QCoreApplication.translate("Views", "All tickets"),
    }[key]


class _CountDelegate(QStyledItemDelegate):
    """Name on the left, the count right-aligned in a muted pill."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        count = index.data(COUNT_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if index.data(KEY_ROLE) == HEADING:
            self._heading(painter, opt)
            return
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        r = opt.rect.adjusted(10, 0, -8, 0)
        count_text = "" if count is None else str(count)
        fm = opt.fontMetrics
        pill_w = fm.horizontalAdvance(count_text) + 14 if count_text else 0
        badge = index.data(BADGE_ROLE) or ""
        small = QFont(opt.font)
        small.setPointSizeF(opt.font.pointSizeF() * 0.8)
        badge_w = QFontMetrics(small).horizontalAdvance(badge) + 6 if badge else 0
        if badge:
            painter.setFont(small)
            painter.setPen(pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text) if not selected
                           else pal.color(role))
            badge_rect = QRect(r.right() - pill_w - 6 - badge_w, r.top(), badge_w, r.height())
            painter.drawText(badge_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), badge)
        painter.setPen(pal.color(role))
        painter.setFont(opt.font)
        name_rect = QRect(r.left(), r.top(), r.width() - pill_w - 6 - badge_w, r.height())
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, name_rect.width()))
        if count_text:
            pill = QRect(r.right() - pill_w, r.center().y() - fm.height() // 2 - 1, pill_w, fm.height() + 2)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            bg = QColor(pal.color(role))
            bg.setAlpha(40)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.setPen(pal.color(role))
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), count_text)
        painter.restore()

    @staticmethod
    def _heading(painter: QPainter, opt: QStyleOptionViewItem) -> None:
        painter.save()
        font = QFont(opt.font)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        painter.setPen(opt.palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        r = opt.rect.adjusted(10, 0, -8, 0)
        painter.drawText(r, int(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft), opt.text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        s = super().sizeHint(option, index)
        return QSize(s.width() + 40, max(s.height(), option.fontMetrics.height() + 14))


class ViewsPanel(QListWidget):
    viewChosen = Signal(str)
    #: A saved view was chosen (before ``viewChosen``): its filter goes to the filter bar.
    savedChosen = Signal(str)
    #: The context menu was asked for on a view (its key; "" off any saved view) at a point.
    menuRequested = Signal(str, object)
    #: A saved view was dragged ``delta`` places (negative: up).
    moved = Signal(str, int)
    #: The counts name saved views this panel does not list, or miss ones it lists.
    savedStale = Signal()
    #: The "+ Save filter as view…" line was chosen.
    addRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("views")
        self.setItemDelegate(_CountDelegate(self))
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.05)
        self.setFont(font)
        for key in VIEWS:
            item = QListWidgetItem()
            item.setData(KEY_ROLE, key)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled & ~Qt.ItemFlag.ItemIsDropEnabled)
            self.addItem(item)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.retranslate()
        # A view is always chosen: with none, the list's first focus would make its first row
        # (My tickets) current while the queue shows All tickets — as it does until a
        # remembered saved view has been read and listed.
        self.setCurrentRow(VIEWS.index("all"))
        self.currentItemChanged.connect(self._changed)

    def retranslate(self) -> None:
        for i in range(self.count()):
            item = self.item(i)
            key = str(item.data(KEY_ROLE))
            if key == HEADING:
                item.setText(QCoreApplication.translate("Views", "Saved views"))
            elif key == ADD:
                item.setText(QCoreApplication.translate("Views", "+ Save filter as view…"))
            elif not key.startswith(SAVED):
                item.setText(view_title(key))

    # --- saved views ---------------------------------------------------------------------------

    def saved_keys(self) -> list[str]:
        return [str(self.item(i).data(KEY_ROLE)) for i in range(self.count())
                if str(self.item(i).data(KEY_ROLE)).startswith(SAVED)]

    def set_saved(self, views: list[tuple[str, str, str, str]]) -> None:
        """List the saved views (key, name, tooltip, badge) after the fixed ones, keeping the choice;
        a saved view that is gone takes the choice back to All tickets."""
        current = self.current_view()
        counts = {key: self.count_of(key) for key in self.saved_keys()}
        blocked = self.blockSignals(True)
        while self.count() > len(VIEWS):
            self.takeItem(self.count() - 1)
        heading = QListWidgetItem(QCoreApplication.translate("Views", "Saved views"))
        heading.setData(KEY_ROLE, HEADING)
        heading.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(heading)
        for key, name, tip, badge in views:
            item = QListWidgetItem(name)
            item.setData(KEY_ROLE, key)
            item.setData(BADGE_ROLE, badge)
            item.setData(COUNT_ROLE, counts.get(key))
            item.setToolTip(tip)
            item.setFlags((item.flags() | Qt.ItemFlag.ItemIsDragEnabled) & ~Qt.ItemFlag.ItemIsDropEnabled)
            self.addItem(item)
        add = QListWidgetItem(QCoreApplication.translate("Views", "+ Save filter as view…"))
        add.setData(KEY_ROLE, ADD)
        add.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.addItem(add)
        self.blockSignals(blocked)
        if current.startswith(SAVED) and current not in self.saved_keys():
            self.select("all")
        elif current != self.current_view():
            blocked = self.blockSignals(True)
            self.select(current)
            self.blockSignals(blocked)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        key = str(item.data(KEY_ROLE)) if item is not None else ""
        self.menuRequested.emit(key if key.startswith(SAVED) else "", event.globalPos())

    def dropEvent(self, event: QDropEvent) -> None:
        """Only saved views move, and only among themselves: the drop is worked out here and
        stored by the keeper, which lists the views again in their stored order."""
        item = self.currentItem()
        key = str(item.data(KEY_ROLE)) if item is not None else ""
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        saved = self.saved_keys()
        if key not in saved:
            return
        target = self.itemAt(event.position().toPoint())
        target_key = str(target.data(KEY_ROLE)) if target is not None else ""
        if target_key in saved:
            to = saved.index(target_key)
        elif target is None or target_key == ADD:
            to = len(saved) - 1
        else:
            to = 0  # above the heading: first of the saved views
        delta = to - saved.index(key)
        if delta:
            self.moved.emit(key, delta)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_counts(self, counts: dict[str, int]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setData(COUNT_ROLE, counts.get(item.data(KEY_ROLE)))
        if {k for k in counts if k.startswith(SAVED)} != set(self.saved_keys()):
            self.savedStale.emit()

    def count_of(self, key: str) -> int | None:
        for i in range(self.count()):
            if self.item(i).data(KEY_ROLE) == key:
                value = self.item(i).data(COUNT_ROLE)
                return None if value is None else int(value)
        return None

    def select(self, key: str) -> None:
        for i in range(self.count()):
            if self.item(i).data(KEY_ROLE) == key:
                self.setCurrentRow(i)
                return

    def current_view(self) -> str:
        item = self.currentItem()
        return str(item.data(KEY_ROLE)) if item is not None else "all"

    def _changed(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        key = str(current.data(KEY_ROLE))
        if key == HEADING:
            return
        if key == ADD:
            # Not a view: the choice stays where it was, and the save dialog opens.
            blocked = self.blockSignals(True)
            if previous is not None:
                self.setCurrentItem(previous)
            else:
                self.setCurrentRow(len(VIEWS) - 1)
            self.blockSignals(blocked)
            self.addRequested.emit()
            return
        if key.startswith(SAVED):
            self.savedChosen.emit(key)
        self.viewChosen.emit(key)
