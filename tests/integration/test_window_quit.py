"""Quitting the window in the middle of a large sync ends all its helpers — the sync process,
its parsing helper, multiprocessing's resource tracker — within 2 s."""

from __future__ import annotations

import time

import psutil
import pytest

from tests import leftovers
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import make_account, many_questions

pytestmark = [pytest.mark.integration, pytest.mark.ui]

QUIT_LIMIT_S = 2.0


def test_quitting_mid_sync_ends_every_helper_within_two_seconds(qtbot, ws, mailbox: Mailbox, memory_keyring) -> None:
    from ui.app import create_window

    make_account(ws, mailbox)
    mailbox.append_many(many_questions(900))
    window = create_window(ws, language="en")
    qtbot.addWidget(window)
    window.show()
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}

    def helpers() -> list[psutil.Process]:
        from multiprocessing import resource_tracker

        # this test process's own tracker (started with its first helper) lives as long as it does
        own = getattr(resource_tracker._resource_tracker, "_pid", None)
        return [p for p in me.children(recursive=True) if p.pid not in before and p.pid != own]

    # mid-sync: the sync process has started its parsing helper
    qtbot.waitUntil(lambda: sum("spawn_main" in leftovers.command(p) for p in helpers()) >= 2, timeout=60_000)
    started = helpers()
    started_at = time.monotonic()
    window.close()
    while True:
        leftovers.reap_zombies()
        alive = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive or time.monotonic() - started_at > QUIT_LIMIT_S:
            break
        time.sleep(0.02)
    took = time.monotonic() - started_at
    assert alive == [], [leftovers.describe(p) for p in alive]
    assert took < QUIT_LIMIT_S
