"""A reply worth keeping becomes one of the team's canned replies: right-click in the text ▸
Save as canned reply… asks for a name and stores it (in the language the reply goes out in),
and the composer's list offers it at once. Editing and deleting stay in Settings ▸ Reply
templates (the composer's Manage…)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMenu, QPlainTextEdit, QWidget

from desktop.services import replies
from desktop.services.workspace import Workspace
from ui.errors import show_error
from ui.workers import Runner


class ReplyComposer(Protocol):
    """What of the composer (``ui.composer.widget``) this needs; named here, not imported,
    so the widget can install this without an import circle."""

    editor: QPlainTextEdit
    status: QLabel
    ws: Workspace
    runner: Runner
    language: str

    def reload_canned(self) -> None: ...

tr = QCoreApplication.translate


def install(composer: ReplyComposer) -> None:
    editor = composer.editor
    editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    editor.customContextMenuRequested.connect(lambda pos: text_menu(composer, pos).popup(
        editor.viewport().mapToGlobal(pos)))


def text_menu(composer: ReplyComposer, _pos: QPoint) -> QMenu:
    """The text's own menu (cut, copy, paste …) with Save as canned reply… below it."""
    menu = composer.editor.createStandardContextMenu()
    menu.setObjectName("composer_text_menu")
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.addSeparator()
    act = menu.addAction(tr("Composer", "Save as canned reply…"), lambda: ask_name(composer))
    act.setObjectName("composer_save_canned")
    act.setEnabled(bool(composer.editor.toPlainText().strip()))
    return menu


def ask_name(composer: ReplyComposer) -> QInputDialog:
    dialog = QInputDialog(composer if isinstance(composer, QWidget) else None)
    dialog.setObjectName("canned_name")
    dialog.setWindowTitle(tr("Composer", "Save as canned reply"))
    dialog.setLabelText(tr("Composer", "Name of the canned reply (the team sees it):"))
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.textValueSelected.connect(lambda name: save(composer, name))
    dialog.open()
    return dialog


def save(composer: ReplyComposer, name: str) -> None:
    ws, body, lang = composer.ws, composer.editor.toPlainText(), composer.language

    def saved(record: replies.CannedRecord) -> None:
        composer.status.setText(tr("Composer", "Saved as canned reply “{0}”").format(record.name))
        composer.reload_canned()

    composer.runner.write(lambda: replies.add_canned(ws, name, lang, body), saved,
                          lambda exc: show_error(composer if isinstance(composer, QWidget) else None, exc))
