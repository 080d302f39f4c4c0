"""Address fields that complete as mail clients do: type a few letters of a name or an address,
pick from the ticket's correspondents and the client's people, go on with the next after a
comma. What is wrong with an address is said under the fields in plain words as the agent types.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from desktop.services.composer.addresses import Contact, problem, split_addresses
from ui.errors import engine_text


class AddressField(QLineEdit):
    """A line of addresses separated by commas; completes the one being typed."""

    problemChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.setWidget(self)
        self._completer.activated.connect(self.insert_completion)
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self.problemChanged)

    def set_contacts(self, contacts: list[Contact]) -> None:
        self._model.setStringList([c.label for c in contacts])

    def completer_popup_rows(self) -> list[str]:
        """What the completion list offers now (for tests and the screenshot)."""
        model = self._completer.completionModel()
        return [str(model.index(r, 0).data()) for r in range(model.rowCount())]

    def current_token(self) -> str:
        text = self.text()[: self.cursorPosition()]
        return text.replace(";", ",").rpartition(",")[2].strip()

    def _edited(self, _text: str) -> None:
        token = self.current_token()
        if len(token) < 1:
            self._hide_popup()
            return
        self._completer.setCompletionPrefix(token)
        if self._completer.completionCount():
            self._completer.complete()
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self._completer.popup()
        if popup is not None:
            popup.hide()

    def insert_completion(self, label: str) -> None:
        """Put the chosen contact in place of what was typed, and a comma for the next one."""
        pos = self.cursorPosition()
        head, tail = self.text()[:pos], self.text()[pos:]
        cut = max(head.rfind(","), head.rfind(";"))
        before = head[: cut + 1] if cut >= 0 else ""
        text = (before + (" " if before else "") + label + ", ").lstrip()
        self.setText(text + tail.lstrip(", "))
        self.setCursorPosition(len(text))
        self.problemChanged.emit()

    def addresses(self) -> list[str]:
        return split_addresses(self.text())

    def set_addresses(self, addrs: list[str] | tuple[str, ...]) -> None:
        self.setText(", ".join(addrs))

    def problem_text(self, field: str) -> str:
        """The first thing wrong in this field, said in the window's language ("" when none)."""
        for addr in self.addresses():
            why = problem(addr)
            if why is not None:
                return QCoreApplication.translate("Composer", "{0}: {1}").format(field, engine_text(why))
        return ""
