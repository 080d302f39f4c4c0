"""What every settings tab shares: the page base class and two list helpers.

Apart from :mod:`ui.dialogs.settings` (the dialog that holds the tabs) so a tab imports its base
without importing the dialog that imports every tab.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ConflictError, ReglamentError
from desktop.services.workspace import Workspace
from ui import errors
from ui.countdown import MUTED, state_style
from ui.errors import show_error, user_message
from ui.workers import Runner

translate = QCoreApplication.translate


def select_by_data(listing: QListWidget, value: Any, *, quiet: bool = True) -> None:
    """Make the item carrying ``value`` (its ``UserRole`` data) the current one, if there is one;
    ``quiet``: without the change signals (the caller fills the form itself)."""
    for i in range(listing.count()):
        item = listing.item(i)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == value:
            blocked = listing.blockSignals(quiet)
            listing.setCurrentRow(i)
            listing.blockSignals(blocked)
            return


def confirm_discard(parent: QWidget, what: str) -> bool:
    """Ask before unsaved edits are dropped by choosing another row. Tests run quiet (no
    message boxes) and answer "keep editing", so nothing typed is ever lost silently."""
    if errors.QUIET["on"]:
        return False
    answer = QMessageBox.question(
        parent, translate("Settings", "Unsaved changes"),
        translate("Settings", "Discard your unsaved changes to {0}?").format(what),
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


class SettingsPage(QWidget):
    """What every settings tab shares: the runner and workspace, a status line under the form,
    and the way errors reach the administrator (plain words, never a traceback)."""

    #: Something was stored: the window re-reads the queue (deadlines may have moved).
    changed = Signal()

    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent)
        self.runner, self.ws = runner, ws
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def note(self, text: str) -> None:
        self.status.setStyleSheet(state_style("ok", self))
        self.status.setText(text)

    def failed(self, exc: BaseException) -> None:
        """A refusal is shown beside the form; a conflict or a bug also gets the message box."""
        self.status.setStyleSheet(state_style("breached", self))
        self.status.setText(user_message(exc))
        if isinstance(exc, ConflictError) or not isinstance(exc, ReglamentError):
            show_error(self, exc)
        else:
            errors.QUIET["last"] = user_message(exc)

    def reload(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def save(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def revert(self) -> None:
        """Back to what is stored: the form read again, its status line cleared."""
        self.status.clear()
        self.reload()

    def refused(self, exc: BaseException, read_stored: Callable[[], dict[str, Any]]) -> None:
        """A form's Save was refused. What was typed is kept; after a conflict the colleague's
        change, read again by ``read_stored``, becomes the state the form expects
        (``expected``), so a second Save replaces it on purpose."""
        if isinstance(exc, ConflictError):
            self.runner.read(read_stored, lambda fresh: setattr(self, "expected", fresh), self.failed)
        self.failed(exc)

    def save_revert_row(self, context: str, object_name: str) -> QHBoxLayout:
        """The Save and Revert buttons under every tab's form, wired to :meth:`save` and
        :meth:`revert`; a page adds its own buttons or the status line to the row."""
        row = QHBoxLayout()
        self.save_button = QPushButton(translate(context, "Save"), self)
        self.save_button.setObjectName(object_name)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(translate(context, "Revert"), self)
        self.revert_button.clicked.connect(self.revert)
        row.addWidget(self.save_button)
        row.addWidget(self.revert_button)
        return row

    def lay_out_form(self, body: QLayout, hint: str, context: str, object_name: str) -> None:
        """A form tab's whole layout: its fields, the grey hint of what saving does, then Save,
        Revert and the status line, the rest of the height left empty."""
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.hint(hint))
        row = self.save_revert_row(context, object_name)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)

    def hint(self, text: str) -> QLabel:
        """A grey explanation under a form: what saving will do."""
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setStyleSheet(MUTED)
        return label
