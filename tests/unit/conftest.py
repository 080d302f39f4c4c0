"""Fixtures the unit tests of one subject share."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_NOW, FixedClock


@pytest.fixture(scope="module")
def dws(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
        demo_template: Path) -> Iterator[object]:
    """A copy of the demo workspace that one module's read-only tests share (copying it for
    each test would cost more than the tests)."""
    from desktop.services.workspace import open_workspace

    home = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]) / "home"
    shutil.copytree(demo_template, home)
    ws = open_workspace(home=home, clock=FixedClock(DEMO_NOW), actor="anna")
    yield ws
    ws.close()
