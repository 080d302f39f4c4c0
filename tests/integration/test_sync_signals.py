"""``reglament sync`` and ``sync --once`` under SIGTERM and SIGKILL, against a real Dovecot:
SIGTERM and SIGINT (Ctrl+C) stop at a checkpoint (the mailbox's lease released, what is stored is exactly the
mail up to the checkpoint), SIGKILL loses nothing either — and in both cases no process is
left behind: not the parsing helper, not multiprocessing's resource tracker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select

from desktop.store.models import SyncState
from tests import leftovers
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import account_for_a_child, many_questions
from tests.integration.test_sync_faults import checkpoint, stored_uids

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def _helpers(proc: psutil.Process, limit: float = 60.0) -> list[psutil.Process]:
    """The sync's helper processes once its parsing helper is up (it is mid-sync then)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        kids = proc.children(recursive=True)
        if any("spawn_main" in leftovers.command(k) for k in kids):
            return kids
        if not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.02)
    raise AssertionError("the sync never started its parsing helper")


@pytest.mark.parametrize("once", [True, False], ids=["once", "forever"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_signalled_sync_leaves_no_process_and_no_half_batch(
    tmp_path: Path, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, once: bool, sig: signal.Signals
) -> None:
    home, ws, account_id = account_for_a_child(tmp_path, mailbox, monkeypatch)
    appended = mailbox.append_many(many_questions(900))
    expected = sorted((appended.uidvalidity, uid) for uid in appended.uids)

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("REGLAMENT_DB_URL", None)
    command = [sys.executable, "-m", "desktop.cli", "--home", str(home), "sync", *(["--once"] if once else [])]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, cwd=REPO) as proc:
        try:
            helpers = _helpers(psutil.Process(proc.pid))
            os.kill(proc.pid, sig)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    left = leftovers.still_running(helpers, within=10.0)
    assert left == [], [leftovers.describe(p) for p in left]

    validity, last_uid = checkpoint(ws, account_id)
    assert stored_uids(ws, account_id) == [(v, u) for v, u in expected if validity is not None and u <= last_uid]
    if sig != signal.SIGKILL:
        assert "Traceback" not in err
        if once:
            assert proc.returncode == 1 and f"stopped by {sig.name}" in err and "the next sync goes on" in err
        else:
            assert proc.returncode == 0 and f"stopped by {sig.name}" in out
        with ws.db.session() as s:  # stopped cleanly: the mailbox is free for the next sync at once
            assert s.scalars(select(SyncState)).one().lock_holder is None
    else:
        assert proc.returncode == -signal.SIGKILL
    ws.close()
