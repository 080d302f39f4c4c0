"""Qt fixtures for the window tests: a demo workspace on a pinned clock, the real window.

The demo (filled through the real use cases) takes seconds to build, so it is built once per
session and each test gets its own copy of the data folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_NOW, FixedClock

pytestmark = pytest.mark.ui

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
