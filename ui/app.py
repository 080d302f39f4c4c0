"""Starting the workstation: application, language, error handling, workspace, window.

``run()`` is what ``reglament`` / ``reglament --demo`` call. It paints the window's frame first —
title, menus, the saved views, an empty queue saying "Loading…" — from modules that need only Qt,
then, in a background thread while that frame is on screen, loads the engine (SQLAlchemy and
the models take most of half a second to import) and opens the workspace — migrations, defaults,
the demo: on a team's PostgreSQL across a VPN each statement is a round trip the window must not
wait for — and puts the real window, built on the GUI thread, in the frame's place. ``create_window()`` does everything but the event loop, so tests, screenshots
and benchmarks open exactly the window a user gets.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSpacerItem,
    QSplitter,
)

from ui import i18n
from ui.screen_fit import fit_to_screen
from ui.termination import quit_on_signals
from ui.workers import READ_THREADS

if TYPE_CHECKING:
    from desktop.services.workspace import Clock, Workspace
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
    from desktop import __version__
    from ui.about import window_icon

    app.setApplicationVersion(__version__)
    app.setWindowIcon(window_icon())
    # Wayland matches the window to its menu entry (and icon) by this name.
    app.setDesktopFileName("ru.reglament.Workstation")
    return app


def settings_for(ws: Workspace) -> QSettings:
    """Window layout lives in the data folder (an INI of plain values, not pickled objects), so
    two data folders — a demo and real work — keep their own layouts."""
    return _settings_in(Path(ws.paths.home))


def _settings_in(home: Path) -> QSettings:
    return QSettings(str(home / "window.ini"), QSettings.Format.IniFormat)


def create_window(ws: Workspace, *, demo: bool = False, language: str | None = None) -> MainWindow:
    from ui.main_window import MainWindow
    from ui.timer_keeper import FIRST_PASS_DELAY_MS

    app = application()
    settings = settings_for(ws)
    i18n.install(app, i18n.resolve(language or str(settings.value("ui/language", "system"))))
    window = MainWindow(ws, settings)
    if demo:
        window.sync.enabled = False
    else:  # timers run whether or not a mailbox is set up (the demo's sample data is left be)
        QTimer.singleShot(FIRST_PASS_DELAY_MS, window, window.timers.start)
    # Everything built so far lives as long as the window: keep it out of the cyclic collector,
    # so a full collection triggered in a worker (holding the GIL) stays short and the GUI
    # thread does not stall behind it.
    gc.freeze()
    # Warmed once the first rows are on screen: importing them beside the first read held the
    # interpreter and put the rows ~170 ms later.
    window.queue.after_first_screen(lambda: _warm_later(window))
    # A file another process had open was only glanced at on the way in: its whole-file check
    # (seconds at 100k tickets) runs a few seconds after start-up in the background, so neither
    # the first screen nor the full queue read waits for it (otherwise it returns at once).
    QTimer.singleShot(INTEGRITY_CHECK_DELAY_MS, window, window.check_store)
    return window


#: When, after the window is built, its database file is checked for damage.
INTEGRITY_CHECK_DELAY_MS = 3000


#: Modules the window uses later from worker threads: imported once in the background right
#: after the first paint, so no worker's first import holds the import lock while the GUI
#: thread wants it, and start-up does not wait for them.
PRELOAD = (
    "ui.composer.widget",
    "desktop.services.replies",
    "desktop.services.acts",
    "desktop.services.accounts",
    "desktop.secrets",
    "desktop.services.background.sync",
    "ui.dialogs.accounts",
)


def _warm_later(window: MainWindow) -> None:
    ws = window.ws
    window.runner.read(preload)
    # One connection for each reader and one for the writer: a team database across a VPN.
    window.runner.read(lambda: ws.db.warm_pool(READ_THREADS + 1))


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional area missing from a trimmed build
            continue


#: What the window needs before it can show the queue, imported off the GUI thread while the
#: frame is on screen (no widget is created by importing them).
ENGINE = (
    "desktop.services.workspace",
    "desktop.services.reads.queue",
    "desktop.services.seed",
    "sqlalchemy.dialects.sqlite",
    "ui.main_window",
)


class StartFrame(QMainWindow):
    """The window as it looks before the engine is loaded: the same title, geometry, menus and
    saved views, the queue saying "Loading…". Built from Qt alone so it paints within a few
    tens of milliseconds of the interpreter starting."""

    painted = Signal()

    def __init__(self, home: Path, settings: QSettings) -> None:
        super().__init__()
        self.setObjectName("start_frame")
        self._painted_once = False
        self.setWindowTitle(QCoreApplication.translate("Main", "Reglament — {0}").format(home))
        for title in (QCoreApplication.translate("Main", "&File"), QCoreApplication.translate("Main", "&View"),
                      QCoreApplication.translate("Main", "&Ticket"), QCoreApplication.translate("Main", "&Help")):
            self.menuBar().addMenu(title).setEnabled(False)
        views = QListWidget(self)
        views.setFrameShape(QListWidget.Shape.NoFrame)
        views.setEnabled(False)
        self.loading = QLabel(QCoreApplication.translate("Main", "Loading…"), self)
        self.loading.setObjectName("loading")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(views)
        split.addWidget(self.loading)
        split.setStretchFactor(1, 1)
        split.setSizes([190, 1210])
        self.setCentralWidget(split)
        self.statusBar().showMessage(QCoreApplication.translate("Main", "Opening the workspace…"))
        geometry = settings.value("window/geometry")
        if not isinstance(geometry, QByteArray) or geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1400, 900)
        fit_to_screen(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted_once:
            self._painted_once = True
            QTimer.singleShot(0, self.painted.emit)


class _Loader(QObject):
    """The start-up's engine work, in a thread of its own while the frame is on screen: imports
    :data:`ENGINE`, then opens the workspace (migrations, seeding, the agent) and fills the demo
    — every database call of opening, on a team's PostgreSQL a round trip each, off the GUI
    thread. ``loaded`` arrives on the GUI thread (queued) with the open workspace, or with the
    exception that stopped it."""

    loaded = Signal(object, object)  # the Workspace or None, the exception or None

    def __init__(self, open_workspace: Callable[[], Workspace], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_workspace = open_workspace
        self._thread: threading.Thread | None = None
        #: The workspace opened, kept so that one never shown (the window quit while it was
        #: opening) is still closed.
        self.opened: Workspace | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reglament-open", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for name in ENGINE:
                importlib.import_module(name)
            ws = self._open_workspace()
        except BaseException as exc:  # handed to the GUI thread, which shows it
            self.loaded.emit(None, exc)
            return
        self.opened = ws
        self.loaded.emit(ws, None)

    def finish(self, timeout: float = 60.0) -> Workspace | None:
        """Wait for an opening still under way (quit before the window came up) and return
        what it opened, for the caller to close."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.opened


def open_for_window(home: str | Path | None, db_url: str | None, demo: bool,
                    clock: Clock | None) -> Workspace:
    """Everything opening a window needs of the database, for a worker: the workspace (its
    migrations and defaults) and, for ``--demo``, the demo's tickets."""
    from desktop.services.workspace import open_workspace

    # The day's backup is taken by the window's sync process, not before the window shows.
    ws = open_workspace(home=home, db_url=db_url, clock=clock, daily_backup=False)
    try:
        if demo:
            from desktop.services.demo import DEMO_AGENT, fill_demo

            fill_demo(ws)
            # One of the demo's own agents, so "My tickets" and the dashboard's "mine" have
            # tickets to show.
            ws.actor = DEMO_AGENT
        from desktop.services.reads.queue_clock import sla_book

        sla_book(ws).warm(ws.now())
    except BaseException:
        ws.close()
        raise
    return ws


@dataclass
class Startup:
    """What :func:`start` brings up: the frame at once, the workspace and window a moment later
    (or the error that stopped them). The caller closes the workspace."""

    frame: StartFrame
    window: MainWindow | None = None
    workspace: Workspace | None = None
    error: BaseException | None = None
    #: The message that says why the window could not open; start-up ends when it is closed.
    error_box: QMessageBox | None = None
    loader: _Loader | None = None


def start(home: str | Path | None = None, db_url: str | None = None, demo: bool = False,
          clock: Clock | None = None) -> Startup:
    """Show the frame now; open the workspace and the real window once it has painted."""
    from desktop.config import resolve_home

    app = application()
    where = resolve_home(home)
    settings = _settings_in(where)
    i18n.install(app, i18n.resolve(str(settings.value("ui/language", "system"))))
    up = Startup(StartFrame(where, settings))
    loader = up.loader = _Loader(lambda: open_for_window(home, db_url, demo, clock), up.frame)

    def loaded(ws: Workspace | None, error: BaseException | None) -> None:
        if ws is not None:
            try:
                up.window = _show(ws, demo, up.frame)
                up.workspace = ws
                return
            except Exception as exc:
                ws.close()
                error = exc
        assert error is not None
        up.error = error
        # Said in a window as well as on the terminal: started from a desktop menu there is no
        # terminal, and the frame only vanished.
        from ui.errors import user_message

        box = QMessageBox(QMessageBox.Icon.Critical, "Reglament",
                          QCoreApplication.translate("Startup", "The workstation cannot open."),
                          QMessageBox.StandardButton.Close)
        box.setInformativeText(user_message(error))
        grid = box.layout()
        if isinstance(grid, QGridLayout):  # a paragraph, not a narrow column
            grid.addItem(QSpacerItem(520, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding),
                         grid.rowCount(), 0, 1, grid.columnCount())
        box.setGeometry(box.geometry().translated(up.frame.geometry().center() - box.geometry().center()))
        box.finished.connect(lambda _r: app.quit())
        up.error_box = box
        up.frame.close()
        box.show()

    loader.loaded.connect(loaded, Qt.ConnectionType.QueuedConnection)
    up.frame.painted.connect(loader.start)
    up.frame.show()
    return up


def _show(ws: Workspace, demo: bool, frame: StartFrame) -> MainWindow:
    """The real window in the frame's place, built on the GUI thread from the open workspace
    (its own first reads go to its workers)."""
    from ui.errors import install_excepthook

    install_excepthook(ws.paths.log_file)
    window = create_window(ws, demo=demo)
    window.setGeometry(frame.geometry())
    window.show()
    logging.getLogger("reglament.ui").info("window open on %s as %s", ws.paths.home, ws.actor)
    frame.hide()
    frame.deleteLater()
    return window


def run(home: str | Path | None = None, db_url: str | None = None, demo: bool = False,
        clock: Clock | None = None) -> int:
    from desktop.config import resolve_home
    from ui.crash import watch_for_crashes

    app = application()
    crashes = watch_for_crashes(resolve_home(home))
    up = start(home, db_url, demo, clock)
    try:
        with quit_on_signals(app):
            code = app.exec()
        if up.error is not None:
            raise up.error
        if up.window is not None:
            up.window.runner.wait(10_000)
        return int(code)
    finally:
        if up.workspace is not None:
            up.workspace.close()
        elif up.loader is not None and (opened := up.loader.finish()) is not None:
            opened.close()  # quit while it was opening: closed all the same
        crashes.close()
