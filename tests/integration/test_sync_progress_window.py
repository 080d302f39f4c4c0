"""A large first sync in the real window against a real Dovecot: the status bar shows what runs,
n of N and the time left; Cancel stops it between two batches with nothing lost (what is stored
is exactly the mail up to the checkpoint), nothing restarts it by itself, and Check mail now
finishes the job."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.integration.conftest import Mailbox
from tests.integration.sync_support import make_account, many_questions
from tests.integration.test_sync_faults import checkpoint, stored_uids
from tests.ui.conftest import save_screenshot

pytestmark = [pytest.mark.integration, pytest.mark.ui]

MESSAGES = 1_500
BATCH = 250  # desktop.services.background.sync.SYNC_BATCH_SIZE


def test_progress_and_cancel_of_a_large_sync(qtbot, ws, mailbox: Mailbox, memory_keyring, tmp_path) -> None:
    from desktop.services.background.sync import SYNC_BATCH_SIZE
    from ui.app import create_window

    assert SYNC_BATCH_SIZE == BATCH
    account_id = make_account(ws, mailbox)
    appended = mailbox.append_many(many_questions(MESSAGES))
    expected = sorted((appended.uidvalidity, uid) for uid in appended.uids)
    window = create_window(ws, language="en")
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    status = window.progress_status

    def estimated() -> bool:
        task = window.progress.current()
        return (task is not None and task.done > 0 and status.isVisible()
                and "left" in status.label.text() and "estimating" not in status.label.text())

    qtbot.waitUntil(estimated, timeout=120_000)
    task = window.progress.current()
    assert task is not None and task.total == MESSAGES and task.done % BATCH == 0
    text = status.label.text()
    assert text.startswith("Mail: support — ") and "of 1,500" in text, text
    assert status.bar.maximum() == MESSAGES and 0 < status.bar.value() < MESSAGES
    assert status.cancel_button.isVisible() and status.cancel_button.isEnabled()
    assert window.sync.last_text.startswith("Mail: receiving…")  # n of N is in the progress, once
    save_screenshot(window, "status-progress-real-sync-en-1400x900.png", tmp_path)

    qtbot.mouseClick(status.cancel_button, Qt.MouseButton.LeftButton)
    assert "stopping after the current batch" in window.sync.last_text
    qtbot.waitUntil(lambda: window.sync.worker is None, timeout=60_000)
    assert window.sync.paused and not status.isVisible()
    assert "paused at" in window.sync.last_text and "nothing is lost" in window.sync.last_text

    # Stopped between two batches: exactly the mail up to the checkpoint is stored, no more,
    # no less, and the checkpoint sits on a batch's end.
    _validity, last_uid = checkpoint(ws, account_id)
    stored = stored_uids(ws, account_id)
    assert stored == [(v, u) for v, u in expected if u <= last_uid]
    assert 0 < len(stored) < MESSAGES and len(stored) % BATCH == 0, len(stored)
    assert f"paused at {len(stored):,} of 1,500" in window.sync.last_text

    # Nothing starts it again by itself: the periodic pass leaves a paused sync be.
    window.refresh_all()
    qtbot.waitUntil(lambda: window.runner.pending() == 0, timeout=30_000)
    assert window.sync.worker is None and window.sync.paused

    # Check mail now goes on from the checkpoint and finishes the job.
    window.sync_now_action.trigger()
    assert not window.sync.paused
    qtbot.waitUntil(lambda: len(stored_uids(ws, account_id)) == MESSAGES, timeout=180_000)
    assert sorted(stored_uids(ws, account_id)) == expected
    qtbot.waitUntil(lambda: window.progress.current() is None, timeout=30_000)
    window.close()
    assert window.sync.worker is None
