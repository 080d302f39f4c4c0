"""``reglament outbox`` killed with SIGKILL in the middle of a large drain, against aiosmtpd with
AUTH: nothing is ever sent twice, at most the one message that was on the wire is left in doubt
(failed, for a person to check), and every other message goes out exactly once at the next
drain. The drain is large enough (400 acknowledgements) that a helper process builds the
messages while it sends; that helper dies with its parent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select

from desktop.services.background.outbox import INTERRUPTED
from desktop.services.workspace import open_workspace
from desktop.store.models import OutboxItem
from tests import leftovers
from tests.integration.conftest import Mailbox
from tests.integration.test_accounts_cli import add_args, run_cli
from tests.integration.test_outbox_cli import env, fill  # noqa: F401  (env is a fixture)
from tests.servers.smtp import SmtpServer

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
QUEUED = 400


def _items(home: Path) -> list[OutboxItem]:
    ws = open_workspace(home=home, actor="tester")
    try:
        with ws.db.session() as s:
            return list(s.scalars(select(OutboxItem).order_by(OutboxItem.id)))
    finally:
        ws.close()


def test_a_sigkilled_drain_sends_nothing_twice_and_the_next_sends_the_rest_once(
    env: dict[str, str], mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer]  # noqa: F811
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    assert run_cli(env, *add_args(mailbox, smtp), stdin=mailbox.password + "\n").returncode == 0
    fill(mailbox, QUEUED)
    smtp.stop()
    assert run_cli(env, "sync", "--once").returncode == 1  # queued, the server out of reach
    smtp.start()
    home = Path(env["REGLAMENT_HOME"])
    everyone = {i.smtp_message_id for i in _items(home)}
    assert len(everyone) == QUEUED

    with subprocess.Popen([sys.executable, "-m", "desktop.cli", "outbox"], env=env, cwd=REPO,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            smtp.wait_for(QUEUED // 4, timeout=90)  # well inside the drain
            family = psutil.Process(proc.pid).children(recursive=True)
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    left = leftovers.still_running(family, within=10.0)
    assert left == [], [leftovers.describe(p) for p in left]
    assert 0 < len(smtp.messages) < QUEUED, "the kill came before the end of the drain"
    # The drain died holding a claimed chunk: its messages are marked "sending".
    assert "sending" in {i.status for i in _items(home)}

    r = run_cli(env, "outbox")
    received = Counter(str(m.message["Message-ID"]) for m in smtp.messages)
    assert max(received.values()) == 1, "a message went out twice"
    after = _items(home)
    doubt = [i for i in after if i.status == "failed"]
    assert len(doubt) <= 1 and all(i.last_error == INTERRUPTED for i in doubt)
    assert {i.status for i in after} <= {"sent", "failed"}
    # Everything went out once, but the message that may have been on the wire when the
    # process died: it is left to a person (checked, then retried by hand), never resent.
    assert set(received) | {i.smtp_message_id for i in doubt} == everyone
    assert r.returncode == (1 if doubt else 0)
