"""Start-up: the frame paints first with a loading state, then the real window takes its place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from shiboken6 import isValid

from desktop.errors import ReglamentError
from tests.conftest import DEMO_NOW, FixedClock
from ui.errors import user_message

pytestmark = pytest.mark.ui


def test_frame_first_then_the_window_with_the_queue(qtbot, tmp_path: Path, demo_template: Path) -> None:
    from ui.app import StartFrame, start

    home = tmp_path / "home"
    shutil.copytree(demo_template, home)
    up = start(home=home, clock=FixedClock(DEMO_NOW))
    frame = up.frame
    assert isinstance(frame, StartFrame)
    assert frame.isVisible()
    assert frame.loading.text() == "Loading…"
    assert [a.text() for a in frame.menuBar().actions()] == ["&File", "&View", "&Ticket", "&Help"]
    assert up.window is None  # nothing of the engine yet: it loads once the frame has painted
    size = frame.geometry().size()
    try:
        qtbot.waitUntil(lambda: up.window is not None and up.window.model.rowCount() > 0, timeout=20_000)
        assert up.error is None
        assert up.window is not None and up.workspace is not None
        assert up.window.isVisible()
        assert not isValid(frame) or not frame.isVisible()  # hidden, then deleted
        assert up.window.windowTitle().startswith("Reglament — ")
        assert up.window.geometry().size() == size  # in the frame's place
        qtbot.waitUntil(lambda: up.window is not None and up.window.runner.pending() == 0, timeout=10_000)
    finally:
        if up.window is not None:
            up.window.close()
            up.window.runner.wait()
            up.window.deleteLater()
        if up.workspace is not None:
            up.workspace.close()


def test_a_workspace_that_cannot_open_ends_start_up_with_the_error(qtbot, tmp_path: Path) -> None:
    from ui.app import start

    home = tmp_path / "home"
    up = start(home=home, db_url="nosuchdb://nowhere")
    qtbot.waitUntil(lambda: up.error is not None, timeout=20_000)
    assert up.window is None
    assert isinstance(up.error, ReglamentError)  # a plain message for the user, not a traceback
    assert not isValid(up.frame) or not up.frame.isVisible()
    # ...said in a window too: started from a desktop menu, there is no terminal to read it in.
    box = up.error_box
    assert box is not None and box.isVisible()
    assert box.informativeText() == user_message(up.error) and "Traceback" not in box.informativeText()
    box.close()


def test_a_damaged_settings_file_is_explained_in_a_window(qtbot, tmp_path: Path) -> None:
    from ui.app import start

    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text("{broken", encoding="utf-8")
    up = start(home=home)
    qtbot.waitUntil(lambda: up.error is not None, timeout=20_000)
    assert up.window is None and up.error_box is not None and up.error_box.isVisible()
    assert "settings.json is damaged" in up.error_box.informativeText()
    assert "move it away" in up.error_box.informativeText()
    up.error_box.close()


def test_the_workspace_opens_off_the_gui_thread(qtbot, tmp_path: Path) -> None:
    """A fresh data folder: every statement of opening it — the migrations, the defaults, the
    agent — runs in the start-up thread; the GUI thread sends none until the window is up (on a
    team's PostgreSQL across a VPN each would freeze the frame for a round trip)."""
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from ui.app import start

    threads: list[str] = []

    def seen(*_args: object) -> None:
        threads.append(threading.current_thread().name)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        up = start(home=tmp_path / "home", clock=FixedClock(DEMO_NOW))
        qtbot.waitUntil(lambda: up.window is not None or up.error is not None, timeout=20_000)
        opened = list(threads)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    try:
        assert up.error is None and up.window is not None
        assert threading.main_thread().name not in opened
        # The start-up thread opened it; the window's own first reads are in its read lane.
        assert opened.count("reglament-open") > 10
    finally:
        if up.window is not None:
            up.window.close()
            up.window.runner.wait()
            up.window.deleteLater()
        if up.workspace is not None:
            up.workspace.close()
