"""The files of a reply: each with its size, removable, and the total against the limit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QWidget,
)

from desktop.services.composer.drafts import ATTACHMENT_LIMIT, DraftFile, total_size
from ui.countdown import MUTED
from ui.thread_html import human_size


class FileList(QWidget):
    """A row of attached files; ``removed(index)`` when the agent takes one off."""

    removed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(self)
        self.list.setObjectName("composer_files")
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setFixedHeight(self.fontMetrics().height() + 16)
        self.list.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 30)
        self.list.installEventFilter(self)
        lay.addWidget(self.list, 1)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("composer_remove_file")
        self.remove_button.clicked.connect(self._remove_current)
        lay.addWidget(self.remove_button)
        self.total = QLabel(self)
        self.total.setObjectName("composer_files_total")
        self.total.setStyleSheet(MUTED)
        lay.addWidget(self.total)
        self.files: list[DraftFile] = []
        self.retranslate()
        self.set_files([])

    def retranslate(self) -> None:
        self.remove_button.setText(QCoreApplication.translate("Composer", "Remove"))
        self.remove_button.setToolTip(QCoreApplication.translate("Composer", "Remove the chosen file (Delete)"))
        self._show_total()

    def set_files(self, files: list[DraftFile]) -> None:
        self.files = list(files)
        self.list.clear()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for n, f in enumerate(self.files):
            item = QListWidgetItem(icon, f"{f.filename} ({human_size(f.size)})", self.list)
            item.setData(Qt.ItemDataRole.UserRole, n)
            item.setToolTip(f"{f.filename} — {human_size(f.size)}")
        self.setVisible(bool(self.files))
        self._show_total()

    def _show_total(self) -> None:
        self.total.setText(QCoreApplication.translate("Composer", "{0} of {1}").format(
            human_size(total_size(self.files)), human_size(ATTACHMENT_LIMIT)))

    def _remove_current(self) -> None:
        row = self.list.currentRow()
        if row < 0 and self.files:
            row = len(self.files) - 1
        if row >= 0:
            self.removed.emit(row)

    def eventFilter(self, obj: object, event: object) -> bool:
        if (obj is self.list and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            self._remove_current()
            return True
        return super().eventFilter(obj, event)  # type: ignore[arg-type]
