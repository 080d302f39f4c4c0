"""The guard the UI tests run under: window code touching the database, the keyring or the
network on the GUI thread fails the test, with the stack that did it; the same call from a
worker, or from the test's own set-up, does not."""

from __future__ import annotations

import importlib.util
import os
import socket
from pathlib import Path
from types import ModuleType

import pytest

import ui
from tests.ui.conftest import GuiThreadGuard, gui_thread_guard
from ui.workers import Runner

PROBE = '''
from sqlalchemy import text


def count_tickets(ws):
    with ws.db.session() as s:
        return s.scalar(text("SELECT count(*) FROM tickets"))


def keyring_backend():
    from desktop import secrets

    return secrets.backend_name()


def connect(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        return True


import socket
'''


def _window_module(folder: Path) -> ModuleType:
    """A module of "window code" in a folder of its own, so the guard can be pointed at it."""
    folder.mkdir()
    path = folder / "probe.py"
    path.write_text(PROBE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("guard_probe", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_query_window_code_makes_on_the_gui_thread_fails_the_test(qtbot, demo_ws, tmp_path: Path) -> None:
    probe = _window_module(tmp_path / "window")
    guard = GuiThreadGuard(window_code=(str(tmp_path / "window") + os.sep,), known={})
    with gui_thread_guard(guard):
        expected = probe.count_tickets(demo_ws)
        assert expected > 0
    assert len(guard.offences) == 1
    assert "database statement 'SELECT' on the GUI thread from" in guard.offences[0]
    assert "count_tickets" in guard.offences[0] and "probe.py" in guard.offences[0]
    # The stack runs from this test down to the statement.
    assert "test_a_query_window_code_makes_on_the_gui_thread_fails_the_test" in guard.offences[0]
    with pytest.raises(pytest.fail.Exception, match="count_tickets"):
        guard.check()


def test_the_same_query_from_a_worker_or_from_set_up_code_passes(qtbot, demo_ws, tmp_path: Path) -> None:
    from sqlalchemy import text

    probe = _window_module(tmp_path / "window")
    guard = GuiThreadGuard(window_code=(str(tmp_path / "window") + os.sep,), known={})
    runner = Runner()
    got: list[int] = []
    with gui_thread_guard(guard):
        runner.read(lambda: probe.count_tickets(demo_ws), got.append)
        qtbot.waitUntil(lambda: bool(got), timeout=10_000)
        with demo_ws.db.session() as s:  # the test's own reading, on the GUI thread
            assert s.scalar(text("SELECT count(*) FROM tickets")) == got[0]
    runner.wait()
    assert guard.offences == []
    guard.check()


def test_a_known_call_site_is_let_through(qtbot, demo_ws, tmp_path: Path) -> None:
    probe = _window_module(tmp_path / "window")
    guard = GuiThreadGuard(window_code=(str(tmp_path / "window") + os.sep,),
                           known={("window/probe.py", "count_tickets"): "a test's"})
    with gui_thread_guard(guard):
        probe.count_tickets(demo_ws)
    assert guard.offences == []


def test_keyring_use_and_socket_connects_are_caught_too(qtbot, tmp_path: Path, memory_keyring) -> None:
    probe = _window_module(tmp_path / "window")
    guard = GuiThreadGuard(window_code=(str(tmp_path / "window") + os.sep,), known={})
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with gui_thread_guard(guard):
            probe.keyring_backend()
            assert probe.connect(port)
    assert [o.split(" on the GUI thread")[0] for o in guard.offences] == [
        "keyring use", f"socket connect to ('127.0.0.1', {port})"]


def test_by_default_the_window_code_is_the_ui_package(qtbot, demo_ws, no_blocking_calls_on_the_gui_thread) -> None:
    """Code whose file is under ``ui/`` is the window's: compiled under such a name, the same
    query is caught by the guard every UI test runs under (emptied here, or this test fails)."""
    guard = no_blocking_calls_on_the_gui_thread
    namespace: dict[str, object] = {}
    exec(compile(PROBE, str(Path(ui.__path__[0]) / "probe_of_the_guard.py"), "exec"), namespace)
    namespace["count_tickets"](demo_ws)  # type: ignore[operator]
    assert len(guard.offences) == 1
    assert "from ui/probe_of_the_guard.py" in guard.offences[0]
    with pytest.raises(pytest.fail.Exception, match="probe_of_the_guard"):
        guard.check()
    guard.offences.clear()
