"""'Why this deadline?' (R-SLA-4a): the engine's explanation, readable and copyable."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget


class ExplainDialog(QDialog):
    def __init__(self, parent: QWidget | None, tid: str, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("explain_dialog")
        self.setWindowTitle(QCoreApplication.translate("Explain", "Why this deadline — {0}").format(tid))
        self.resize(720, 520)
        lay = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(text)
        lay.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
