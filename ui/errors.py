"""One place where errors meet the user: a plain message on screen, the traceback in the log.

The engine raises ``ReglamentError`` with words meant for people; those are shown in the window's
language (``desktop.i18n`` renders the error's English template from the Russian catalogue).
Anything else is a bug: the user gets a short apology naming the log file, and the traceback goes
to the data folder's log (never to the screen). Installed as ``sys.excepthook`` so an exception in
any slot ends up here instead of killing the window (qutebrowser's crash-signal idea, smaller).
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.errors import ConflictError, ReglamentError

log = logging.getLogger("reglament.ui")

_log_file: dict[str, Path | None] = {"path": None}
#: While True (tests), message boxes are not shown; the last message is kept for inspection.
QUIET: dict[str, object] = {"on": False, "last": None}


def engine_text(text: object) -> str:
    """An engine text (a ``Phrase``, an error, a plain string) in the window's language."""
    from desktop.i18n import translate
    from ui.i18n import current

    return translate(text, current())


def user_message(exc: BaseException) -> str:
    if isinstance(exc, ReglamentError):
        text = engine_text(exc)
        return text[:1].upper() + text[1:] if text else type(exc).__name__
    where = _log_file["path"] or QCoreApplication.translate("Errors", "the log file")
    return QCoreApplication.translate(
        "Errors", "Something went wrong ({0}). The details were written to {1}."
    ).format(type(exc).__name__, where)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user what went wrong, in their words; log a bug's traceback."""
    if not isinstance(exc, ReglamentError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    message = user_message(exc)
    QUIET["last"] = message
    if QUIET["on"]:
        return
    title = (
        QCoreApplication.translate("Errors", "Changed meanwhile")
        if isinstance(exc, ConflictError)
        else QCoreApplication.translate("Errors", "Reglament")
    )
    if message in _SHOWING:
        return  # the same words are already on screen (a box waits in its own loop meanwhile)
    log_file = _log_file["path"]
    if not isinstance(exc, ReglamentError) and log_file is not None:
        # A bug: the box names the log and opens its folder, for whoever helps the agent.
        from ui.crash import crash_box

        box = crash_box(parent, message, log_file)
    else:
        icon = QMessageBox.Icon.Warning if isinstance(exc, ReglamentError) else QMessageBox.Icon.Critical
        box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    _SHOWING.add(message)
    try:
        box.exec()
    finally:
        _SHOWING.discard(message)


#: Messages whose box is open now: a failure that repeats while the first box waits (a server
#: gone for minutes) does not stack a second box with the same words on top of it.
_SHOWING: set[str] = set()


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    if not isinstance(exc, ReglamentError):
        log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    try:
        show_error(QApplication.activeWindow(), exc)
    except Exception:  # the hook must never raise
        log.exception("could not show the error")


def install_excepthook(log_file: Path | None) -> None:
    _log_file["path"] = log_file
    sys.excepthook = _hook
