"""A small form dialog the ticket actions are built from.

Dialogs are opened window-modal with ``open()`` and report through ``accepted``, never with a
nested ``exec()`` loop: the queue keeps ticking behind them and tests can fill and accept them
like a user would.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, intro: str = "", ok_text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.fields: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            outer.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text or QCoreApplication.translate("Form", "OK"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def add_line(self, key: str, label: str, text: str = "", placeholder: str = "") -> QLineEdit:
        w = QLineEdit(text, self)
        w.setPlaceholderText(placeholder)
        return self._add(key, label, w)

    def add_text(self, key: str, label: str, text: str = "", min_height: int = 120) -> QPlainTextEdit:
        w = QPlainTextEdit(self)
        w.setPlainText(text)
        w.setMinimumHeight(min_height)
        return self._add(key, label, w)

    def add_combo(self, key: str, label: str, items: list[tuple[Any, str]], current: Any = None) -> QComboBox:
        w = QComboBox(self)
        for value, text in items:
            w.addItem(text, value)
        if current is not None:
            w.setCurrentIndex(max(w.findData(current), 0))
        return self._add(key, label, w)

    def add_check(self, key: str, label: str, checked: bool = False) -> QCheckBox:
        w = QCheckBox(label, self)
        w.setChecked(checked)
        self.fields[key] = w
        self.form.addRow("", w)
        return w

    def add_spin(self, key: str, label: str, minimum: int, maximum: int, value: int, suffix: str = "") -> QSpinBox:
        w = QSpinBox(self)
        w.setRange(minimum, maximum)
        w.setValue(value)
        w.setSuffix(suffix)
        return self._add(key, label, w)

    def _add(self, key: str, label: str, widget: Any) -> Any:
        self.fields[key] = widget
        self.form.addRow(label, widget)
        return widget

    def value(self, key: str) -> Any:
        w = self.fields[key]
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        raise KeyError(key)

    def values(self) -> dict[str, Any]:
        return {k: self.value(k) for k in self.fields}
