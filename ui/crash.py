"""The window's crash handling: a report file for native crashes, and a dialog that names it.

Two kinds of crash reach the user here. A Python exception nobody caught goes through
``ui.errors``' exception hook to the log, and its message box (built by :func:`crash_box`) names
the log file and offers to open its folder. A native crash ends the process on the spot;
``desktop.crash_log`` has faulthandler write the stacks to a report file, and the next start says
where that report is, with the same button. Exceptions in plain Python threads go to the log too
(Python would print them to a console a desktop start does not have).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import crash_log
from desktop.config import Paths
from ui.about import open_folder

log = logging.getLogger("reglament.ui")

#: The boxes on screen (a box shown with ``open()`` must outlive the function that made it).
_OPEN: list[QMessageBox] = []


def crash_box(parent: QWidget | None, text: str, report: Path) -> QMessageBox:
    """A critical box with the report's path and an "Open folder" button that shows it."""
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("Errors", "Reglament"),
                      text, QMessageBox.StandardButton.Close, parent)
    box.setInformativeText(QCoreApplication.translate("Errors", "Report: {0}").format(report))
    folder = box.addButton(QCoreApplication.translate("Errors", "Open folder"),
                           QMessageBox.ButtonRole.ActionRole)
    # An action button closes the box by default; opening the folder should not.
    folder.clicked.disconnect()
    folder.clicked.connect(lambda: open_folder(report.parent))
    box.folder_button = folder  # type: ignore[attr-defined]
    return box


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    log.error("uncaught exception in thread %s", getattr(args.thread, "name", "?"),
              exc_info=(args.exc_type, args.exc_value, args.exc_traceback))  # type: ignore[arg-type]


def watch_for_crashes(home: Path, parent: QWidget | None = None) -> crash_log.CrashLog:
    """Start the report file for this run and tell, once, of a crash in an earlier one."""
    paths = Paths(home)
    try:
        watcher = crash_log.watch(paths.log_file.parent, datetime.now(UTC))
    except OSError as exc:
        # A data folder that cannot be written is said by the workspace as it opens, in words;
        # the window must not fail earlier, here, over its crash report.
        log.warning("no crash report file in %s: %s", paths.log_file.parent, exc)
        return crash_log.CrashLog(paths.log_file.parent / "crash-unavailable.log")
    threading.excepthook = _thread_hook
    if watcher.earlier:
        report = crash_log.mark_reported(watcher.earlier[0])
        log.warning("the previous run crashed; report in %s", report)
        QTimer.singleShot(0, lambda: show_earlier_crash(parent, report))
    return watcher


def show_earlier_crash(parent: QWidget | None, report: Path) -> QMessageBox:
    box = crash_box(parent, QCoreApplication.translate(
        "Errors", "Reglament closed unexpectedly the last time it ran. If it happens again, "
                  "please send the report to whoever supports your workstation."), report)
    _OPEN.append(box)
    box.finished.connect(lambda _r: _OPEN.remove(box) if box in _OPEN else None)
    box.open()
    return box
