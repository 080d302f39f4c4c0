"""A packaged program starts helper processes only once its entry script has handed them over
to multiprocessing (desktop/processes.py, packaging/launcher.py)."""

from __future__ import annotations

import sys

import pytest

from desktop import processes
from desktop.services.background import sync_process
from desktop.services.background.mail_jobs import WORKER_THRESHOLD, MailWorker


def test_children_from_a_source_tree_and_from_a_frozen_program(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "_frozen_children", False)
    assert processes.children_supported()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert not processes.children_supported()
    assert not sync_process.usable() and not MailWorker.usable(WORKER_THRESHOLD * 10)
    processes.enable_frozen_children()  # what packaging/launcher.py does first
    assert processes.children_supported()
    assert sync_process.usable() and MailWorker.usable(WORKER_THRESHOLD)
    assert not MailWorker.usable(WORKER_THRESHOLD - 1)  # a small sync is not worth a helper
