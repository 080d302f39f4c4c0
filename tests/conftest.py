"""Suite-wide set-up: headless Qt, an isolated keyring, and a workspace on a pinned clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests import leftovers

# Without a display Qt aborts the process (NOTES-ENV.md); offscreen needs no system packages.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: How long the processes of the last tests get to end by themselves before the run fails.
LEFTOVER_GRACE_S = float(os.environ.get("REGLAMENT_LEFTOVER_GRACE_S", "10"))

_watch: leftovers.Watch | None = None


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """The run fails if any test leaves a process behind: a helper that outlives its parent
    (spawn workers and resource trackers included) is a bug users meet as orphans holding
    their data folder. Orphans are caught even after re-parenting (tests/leftovers.py); each is
    named with the test after which it was first seen, then ended."""
    global _watch
    leftovers.become_subreaper()
    _watch = leftovers.Watch()
    yield
    watch, _watch = _watch, None
    left = watch.settle(LEFTOVER_GRACE_S)
    if left:
        message = watch.report(left)
        leftovers.end(left)
        pytest.fail(message, pytrace=False)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _watch is not None:
        _watch.current = item.nodeid


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if _watch is not None:
        _watch.after_test(item.nodeid)


class FixedClock:
    """A clock tests move by hand: time is an argument, tests never sleep."""

    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> datetime:
        self.t += timedelta(**kw)
        return self.t


@pytest.fixture
def clock() -> FixedClock:
    # Tuesday 2026-11-17 10:00 Moscow time = 07:00 UTC: a plain working morning.
    return FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))


@pytest.fixture
def ws(tmp_path: Path, clock: FixedClock) -> Iterator[object]:
    from desktop.services.workspace import open_workspace

    w = open_workspace(home=tmp_path / "home", clock=clock, actor="tester")
    yield w
    w.close()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[object]:
    """An in-memory keyring for the test; the process's own backend is put back after (taken
    before the environment changes, so a file keyring never leaks into later tests)."""
    import keyring

    from tests.unit.memory_keyring import install_memory_keyring

    previous = keyring.get_keyring()
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    backend = install_memory_keyring()
    yield backend
    keyring.set_keyring(previous)

#: Friday 20 November 2026, 12:30 in Moscow: working hours, the demo's "now".
DEMO_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, filled once per test session (it takes seconds); tests copy it."""
    from desktop.services.demo import fill_demo
    from desktop.services.workspace import open_workspace

    home = tmp_path_factory.mktemp("demo-template")
    ws = open_workspace(home=home, clock=FixedClock(DEMO_NOW), actor="anna")
    fill_demo(ws)
    ws.close()
    return home
