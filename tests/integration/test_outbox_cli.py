"""``reglament outbox`` as a subprocess against aiosmtpd with AUTH and Dovecot.

300 acknowledgements queued while the SMTP server is down: ``sync --once`` and ``reglament
outbox`` each give one verdict within seconds and exit 1; when the server is back, a plain
``reglament outbox`` sends every message exactly once over one connection. ``outbox list``,
``retry`` and ``drop`` show and settle what failed, with the server's words.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.conftest import Mailbox
from tests.integration.sync_support import client_mail
from tests.integration.test_accounts_cli import add_args, run_cli
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import FILE_VARIABLE

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {
        **os.environ,
        "REGLAMENT_HOME": str(tmp_path / "home"),
        "PYTHON_KEYRING_BACKEND": "tests.unit.memory_keyring.FileKeyring",
        FILE_VARIABLE: str(tmp_path / "keyring" / "keyring.json"),
        "PYTHONPATH": str(REPO),
    }
    values.pop("REGLAMENT_DB_URL", None)
    return values


def fill(mailbox: Mailbox, count: int) -> None:
    mailbox.append_many([
        client_mail(f"Вопрос {n}", sender=f"client{n}@firm{n % 50}.example", msgid=f"<c{n}@x>")
        for n in range(count)
    ])


def stats(env: dict[str, str]) -> dict[str, int]:
    r = run_cli(env, "stats", "--json")
    assert r.returncode == 0, r.stderr
    data: dict[str, int] = json.loads(r.stdout)
    return data


def test_300_queued_with_smtp_down_one_verdict_then_all_sent_exactly_once(
    env: dict[str, str], mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer]
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    assert run_cli(env, *add_args(mailbox, smtp), stdin=mailbox.password + "\n").returncode == 0
    fill(mailbox, 300)
    smtp.stop()

    started = time.monotonic()
    r = run_cli(env, "sync", "--once")
    assert time.monotonic() - started < 10
    assert r.returncode == 1
    [line] = r.stderr.strip().splitlines()
    assert line.startswith(f"reglament: cannot reach {smtp.host}:{smtp.port}: connection refused")
    assert "; 300 messages wait; next try " in line
    assert stats(env)["outbox_pending"] == 300 and stats(env)["outbox_failed"] == 0

    started = time.monotonic()
    r = run_cli(env, "outbox")
    assert time.monotonic() - started < 10
    assert r.returncode == 1
    [line] = r.stderr.strip().splitlines()
    assert "300 messages wait" in line
    assert "300 waiting for their server" in r.stdout

    listed = json.loads(run_cli(env, "outbox", "list", "--json").stdout)
    assert listed["counts"]["pending"] == 300 and listed["counts"]["backing_off"] == 300
    assert {m["state"] for m in listed["messages"]} == {"backing_off"}

    logins_before = smtp.logins  # the account's check before it was saved logged in once
    smtp.start()
    r = run_cli(env, "outbox")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("outbox: 300 sent, 0 to retry later, 0 failed")
    received = smtp.wait_for(300)
    assert len(received) == 300 and smtp.logins - logins_before == 1
    assert len({m.message["Message-ID"] for m in received}) == 300
    assert stats(env)["outbox_pending"] == 0

    r = run_cli(env, "outbox")
    assert r.returncode == 0 and r.stdout.startswith("outbox: 0 sent")
    assert len(smtp.messages) == 300


def test_a_refusal_is_listed_with_the_servers_words_retried_and_dropped(
    env: dict[str, str], mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer]
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    assert run_cli(env, *add_args(mailbox, smtp), stdin=mailbox.password + "\n").returncode == 0
    fill(mailbox, 2)
    words = "553 5.7.1 Sender address rejected: not owned by user"
    smtp.refuse_recipient("client1@firm1.example", words)

    r = run_cli(env, "sync", "--once")
    assert r.returncode == 0, r.stderr
    assert "outbox: 1 sent, 0 to retry later, 1 failed" in r.stdout

    r = run_cli(env, "outbox", "list", "--json")
    [failed] = json.loads(r.stdout)["messages"]
    assert failed["state"] == "failed" and words in failed["error"]
    assert failed["recipients"] == ["client1@firm1.example"]
    r = run_cli(env, "outbox", "list")
    assert words[:60] in r.stdout and "failed" in r.stdout
    assert stats(env)["outbox_failed"] == 1 and stats(env)["outbox_pending"] == 0

    r = run_cli(env, "outbox")  # a failed message waits for a person: nothing to send
    assert r.returncode == 0 and r.stdout.startswith("outbox: 0 sent")

    r = run_cli(env, "outbox", "retry", str(failed["id"]))
    assert r.returncode == 0 and r.stdout.startswith("1 messages put back")
    r = run_cli(env, "outbox")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        "reglament: 1 messages were not sent; see `reglament outbox list`"
    )
    assert words in r.stderr

    r = run_cli(env, "outbox", "drop", str(failed["id"]))  # not a terminal: it asks for --yes
    assert r.returncode == 1 and "--yes" in r.stderr
    r = run_cli(env, "outbox", "drop", str(failed["id"]), "--yes")
    assert r.returncode == 0, r.stderr
    assert "dropped unsent; it stays in ticket" in r.stdout
    assert json.loads(run_cli(env, "outbox", "list", "--json").stdout)["messages"] == []

    r = run_cli(env, "outbox", "retry", "nine")
    assert r.returncode == 2 and "is not an outbox message id" in r.stderr
    r = run_cli(env, "outbox", "retry", "999")
    assert r.returncode == 1
    assert r.stderr.strip() == "reglament: there is no outbox message 999"
    assert len(smtp.messages) == 1
