"""Starting the workstation: application, language, error handling, workspace, window.

``run()`` is what ``reglament`` / ``reglament --demo`` call. ``create_window()`` does everything
but the event loop, so tests, screenshots and benchmarks open exactly the window a user gets.
"""

from __future__ import annotations

import gc
import importlib
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.services.workspace import Clock, Workspace, open_workspace
from ui import i18n
from ui.errors import install_excepthook
from ui.main_window import MainWindow


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Reglament")
    app.setOrganizationName("Reglament")
    app.setApplicationDisplayName("Reglament")
    return app


def settings_for(ws: Workspace) -> QSettings:
    """Window layout lives in the data folder (an INI of plain values, not pickled objects), so
    two data folders — a demo and real work — keep their own layouts."""
    return QSettings(str(Path(ws.paths.home) / "window.ini"), QSettings.Format.IniFormat)


def create_window(ws: Workspace, *, demo: bool = False, language: str | None = None) -> MainWindow:
    app = application()
    settings = settings_for(ws)
    i18n.install(app, i18n.resolve(language or str(settings.value("ui/language", "system"))))
    window = MainWindow(ws, settings)
    if demo:
        window.sync.enabled = False
    # Everything built so far lives as long as the window: keep it out of the cyclic collector,
    # so a full collection triggered in a worker (holding the GIL) stays short and the GUI
    # thread does not stall behind it.
    gc.freeze()
    QTimer.singleShot(0, lambda: window.runner.read(preload))
    return window


#: Modules the window uses later from worker threads: imported once in the background right
#: after the first paint, so no worker's first import holds the import lock while the GUI
#: thread wants it, and start-up does not wait for them.
PRELOAD = (
    "ui.compose",
    "desktop.services.replies",
    "desktop.services.acts",
    "desktop.services.accounts",
    "desktop.secrets",
    "desktop.services.sync",
    "ui.dialogs.accounts",
)


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional area missing from a trimmed build
            continue


def run(home: str | Path | None = None, db_url: str | None = None, demo: bool = False,
        clock: Clock | None = None) -> int:
    app = application()
    ws = open_workspace(home=home, db_url=db_url, clock=clock)
    install_excepthook(ws.paths.log_file)
    try:
        if demo:
            from desktop.services.demo import fill_demo

            fill_demo(ws)
        window = create_window(ws, demo=demo)
        window.show()
        code = app.exec()
        window.runner.wait(10_000)
        return int(code)
    finally:
        ws.close()
