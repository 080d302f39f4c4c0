"""Qt fixtures for the window tests: a demo workspace on a pinned clock, the real window.

The demo (filled through the real use cases) takes seconds to build, so it is built once per
session and each test gets its own copy of the data folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import ui
from tests.conftest import DEMO_NOW, FixedClock

pytestmark = pytest.mark.ui

# --- no database, network or keyring call on the GUI thread -----------------------------------

#: Where the window's code lives: a call is the window's when one of these folders is on the stack.
WINDOW_CODE = tuple(str(Path(p).resolve()) + os.sep for p in ui.__path__)

PROJECT = str(Path(__file__).resolve().parents[2]) + os.sep

#: Window code known to still read the database on the GUI thread, each with why it is here. A
#: call is let through when one of these (file under the project, function) frames is on its
#: stack. Remove an entry once its read has moved to a worker: the guard then holds it there.
KNOWN_GUI_THREAD_CALLS: dict[tuple[str, str], str] = {}


class GuiThreadGuard:
    """Records every database statement, keyring use and socket connect made on the GUI thread
    by window code (a frame of ``ui/`` on the stack), with the stack that made it.

    The tests' own set-up (copying a workspace, reading what a ticket should show) runs on the
    same thread and is free to use the database: only a call the window made is an offence.
    Offences are recorded rather than raised: a raise would stop the window halfway through a
    slot and hide every later offence behind the first. :meth:`check` fails the test with the
    places and stacks of all of them.
    """

    def __init__(self, window_code: tuple[str, ...] = WINDOW_CODE,
                 known: dict[tuple[str, str], str] | None = None) -> None:
        self.window_code = window_code
        self.known = KNOWN_GUI_THREAD_CALLS if known is None else known
        self.offences: list[str] = []

    def _window_frames(self, frame: FrameType | None) -> list[FrameType]:
        found = []
        while frame is not None:
            if frame.f_code.co_filename.startswith(self.window_code):
                found.append(frame)
            frame = frame.f_back
        return found

    def _is_known(self, frames: list[FrameType]) -> bool:
        for f in frames:
            name = f.f_code.co_filename
            for (path, function), _why in self.known.items():
                if f.f_code.co_name == function and name.endswith(os.sep + path.replace("/", os.sep)):
                    return True
        return False

    def seen(self, what: str) -> None:
        """Called by the hooks below on every such call, on whatever thread makes it."""
        if threading.current_thread() is not threading.main_thread():
            return
        caller = sys._getframe(1)
        frames = self._window_frames(caller)
        if not frames or self._is_known(frames):
            return
        stack = traceback.extract_stack(caller)
        # From the test's own frames on: pytest's dozens above them say nothing.
        start = next((i for i, f in enumerate(stack) if f.filename.startswith(PROJECT)), 0)
        inner = frames[0]
        self.offences.append(
            f"{what} on the GUI thread from {inner.f_code.co_filename.removeprefix(PROJECT)}:"
            f"{inner.f_lineno} ({inner.f_code.co_name}):\n" + "".join(traceback.format_list(stack[start:])))

    def check(self) -> None:
        if self.offences:
            sites = sorted({o.split(":\n", 1)[0] for o in self.offences})
            shown = "\n".join(sites) + "\n\n" + "\n".join(self.offences[:3])
            more = f"\n… and {len(self.offences) - 3} more" if len(self.offences) > 3 else ""
            pytest.fail(f"{len(self.offences)} call(s) the GUI thread must not make "
                        f"(ARCHITECTURE: no database, network or keyring call on the GUI thread):\n"
                        f"{shown}{more}", pytrace=False)


_GUARDS: list[GuiThreadGuard] = []


def _statement(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
    for guard in _GUARDS:
        guard.seen(f"database statement {statement.split(None, 1)[0] if statement else ''!r}")


@pytest.fixture(scope="session")
def _gui_thread_hooks() -> Iterator[None]:
    """Hooks on every engine (SQLite and PostgreSQL), on the keyring and on socket connects,
    installed once; each reports to the guards active at the moment."""
    import keyring
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", _statement)
    get_keyring = keyring.get_keyring
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded_get_keyring() -> Any:
        for guard in _GUARDS:
            guard.seen("keyring use")
        return get_keyring()

    def guarded(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(sock: socket.socket, address: Any) -> Any:
            for guard in _GUARDS:
                guard.seen(f"socket connect to {address!r}")
            return original(sock, address)
        return call

    keyring.get_keyring = guarded_get_keyring
    socket.socket.connect = guarded(connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded(connect_ex)  # type: ignore[method-assign]
    yield
    keyring.get_keyring = get_keyring
    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex  # type: ignore[method-assign]
    event.remove(Engine, "before_cursor_execute", _statement)


@contextmanager
def gui_thread_guard(guard: GuiThreadGuard) -> Iterator[GuiThreadGuard]:
    _GUARDS.append(guard)
    try:
        yield guard
    finally:
        _GUARDS.remove(guard)


@pytest.fixture(autouse=True)
def no_blocking_calls_on_the_gui_thread(_gui_thread_hooks: None) -> Iterator[GuiThreadGuard]:
    """Fails a UI test in which the window touched the database, the network or the keyring
    on the GUI thread (on a team's PostgreSQL across a VPN every such round trip is a stall)."""
    with gui_thread_guard(GuiThreadGuard()) as guard:
        yield guard
    guard.check()


@pytest.fixture
def demo_clock() -> FixedClock:
    return FixedClock(DEMO_NOW)


@pytest.fixture
def demo_ws(tmp_path: Path, demo_template: Path, demo_clock: FixedClock) -> Iterator[object]:
    from desktop.services.workspace import open_workspace

    home = tmp_path / "home"
    shutil.copytree(demo_template, home)
    ws = open_workspace(home=home, clock=demo_clock, actor="anna")
    yield ws
    ws.close()


@pytest.fixture(autouse=True)
def _quiet_errors() -> Iterator[None]:
    from ui import errors

    errors.QUIET["on"], errors.QUIET["last"] = True, None
    yield
    errors.QUIET["on"] = False


@pytest.fixture
def window(qtbot, demo_ws) -> Iterator[object]:
    from ui.app import create_window

    win = create_window(demo_ws, demo=True, language="en")
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot, win)
    yield win
    win.runner.wait()


def settle(qtbot, win, timeout: int = 10_000) -> None:
    """Wait until background work and its hand-over to the GUI thread are done."""

    def idle() -> bool:
        return (
            win.runner.pending() == 0
            and not win._requery_soon.isActive()
            and not win.filters._debounce.isActive()
        )

    qtbot.waitUntil(idle, timeout=timeout)


def detail(ws, tid: str) -> dict:
    from desktop.services.reads import listing

    return listing.ticket_detail(ws, tid)


@pytest.fixture(autouse=True)
def agent_in_moscow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The window shows times in the agent's own zone; pin it so expectations read as in Moscow."""
    import time

    monkeypatch.setenv("TZ", "Europe/Moscow")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def save_screenshot(widget: object, name: str, tmp_path: Path, min_size: tuple[int, int] = (300, 200)) -> Path:
    """Save ``widget`` as a PNG (also into ``$REGLAMENT_SCREENSHOTS`` when set, to look at) and
    check it is a real picture: big enough, and not blank (many distinct colours)."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    # Layouts settle on posted events (a label that grew a line waits for one): let them run,
    # so the picture shows what the next frame on screen would.
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    out = tmp_path / name
    assert widget.grab().save(str(out))  # type: ignore[attr-defined]
    extra = os.environ.get("REGLAMENT_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(extra) / name))  # type: ignore[attr-defined]
    img = QImage(str(out))
    assert img.width() > min_size[0] and img.height() > min_size[1]
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(colours) > 20
    return out


def dark_palette():
    """A dark palette as a system in dark mode gives the application (offscreen has none)."""
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    role = QPalette.ColorRole
    for r, c in [(role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e"),
                 (role.AlternateBase, "#262626"), (role.Text, "#e6e6e6"), (role.Button, "#353535"),
                 (role.ButtonText, "#e6e6e6"), (role.Highlight, "#2f65ca"), (role.HighlightedText, "#ffffff"),
                 (role.PlaceholderText, "#8f8f8f"), (role.Link, "#6ea8ff")]:
        pal.setColor(r, QColor(c))
    return pal
