"""The saved views on the left, each with its count (R-UI-1)."""

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
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
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
        painter.setPen(pal.color(role))
        painter.setFont(opt.font)
        name_rect = QRect(r.left(), r.top(), r.width() - pill_w - 6, r.height())
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

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        s = super().sizeHint(option, index)
        return QSize(s.width() + 40, max(s.height(), option.fontMetrics.height() + 14))


class ViewsPanel(QListWidget):
    viewChosen = Signal(str)

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
            self.addItem(item)
        self.retranslate()
        self.currentItemChanged.connect(self._changed)

    def retranslate(self) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setText(view_title(item.data(KEY_ROLE)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_counts(self, counts: dict[str, int]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setData(COUNT_ROLE, counts.get(item.data(KEY_ROLE)))

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

    def _changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.viewChosen.emit(str(current.data(KEY_ROLE)))
