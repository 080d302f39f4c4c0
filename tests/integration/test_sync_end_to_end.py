"""Mail in, tickets out, acknowledgements sent — against a real Dovecot and a real SMTP server.

The first test drives the installed command (``reglament account add`` → ``reglament sync --once``
→ ``reglament tickets``) as a subprocess, the way an administrator or a script does; the others
call the services in-process to look at details (progress, idempotence, leases).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from desktop.services.background.outbox import drain_outbox
from desktop.services.background.sync import sync_account_once, sync_all_once
from desktop.services.background.sync_lease import acquire_sync_lease
from desktop.services.reads import listing
from desktop.store.models import Message, OutboxItem, SyncState
from tests.integration.conftest import Mailbox
from tests.integration.sync_support import CLIENT, MSK, SUPPORT, client_mail, make_account
from tests.servers.smtp import SmtpServer
from tests.unit.memory_keyring import FILE_VARIABLE

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- the command


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=120, cwd=REPO,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "REGLAMENT_HOME": str(tmp_path / "home"),
        "PYTHON_KEYRING_BACKEND": "tests.unit.memory_keyring.FileKeyring",
        FILE_VARIABLE: str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(REPO),
    }
    env.pop("REGLAMENT_DB_URL", None)
    return env


def add_account_cli(env: dict[str, str], mailbox: Mailbox, smtp: SmtpServer) -> None:
    r = run_cli(
        env, "account", "add", "--name", "support", "--email", SUPPORT,
        "--imap-host", mailbox.server.host, "--imap-port", str(mailbox.server.port),
        "--smtp-host", smtp.host, "--smtp-port", str(smtp.port), "--security", "none",
        "--user", mailbox.user, "--password-stdin", stdin=mailbox.password + "\n",
    )
    assert r.returncode == 0, r.stderr
    assert "account support added" in r.stdout


def test_cli_sync_makes_tickets_acknowledges_and_threads_replies(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer], cli_env: dict[str, str]
) -> None:
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    add_account_cli(cli_env, mailbox, smtp)

    # The sender's clock says 10 November; the mailbox got it an hour ago (shortly before it was
    # connected: still acknowledged, see mail.ack_history_hours).
    received = (dt.datetime.now(MSK) - dt.timedelta(hours=1)).replace(microsecond=0)
    first = client_mail("Не открывается личный кабинет", msgid="<q1@romashka.example>")
    mailbox.append(first, internaldate=received)

    r = run_cli(cli_env, "sync", "--once")
    assert r.returncode == 0, r.stderr
    assert "1 new messages, 1 new tickets" in r.stdout
    assert "outbox: 1 sent" in r.stdout

    tickets = json.loads(run_cli(cli_env, "tickets", "--json").stdout)
    assert len(tickets) == 1
    tid = tickets[0]["tid"]
    # R-MAIL-2/R-SLA: the SLA clock starts when the mailbox received it (INTERNALDATE).
    assert dt.datetime.fromisoformat(tickets[0]["received_at"]) == received

    [ack] = smtp.wait_for(1)
    assert f"[{tid}]" in str(ack.message["Subject"])
    assert ack.message["Auto-Submitted"] == "auto-replied"
    assert ack.rcpt_tos == (CLIENT,)
    assert ack.message["In-Reply-To"] == "<q1@romashka.example>"
    assert ack.authenticated_as == mailbox.user

    # A reply with the TID; one without it but answering our acknowledgement; an auto-responder.
    mailbox.append_many([
        client_mail(f"Re: [{tid}] Не открывается личный кабинет", body="Пароль сбросила, не помогло.",
                    msgid="<q2@romashka.example>"),
        client_mail("Ещё скриншот", body="Прикладываю скриншот ошибки.",
                    msgid="<q3@romashka.example>",
                    headers={"In-Reply-To": str(ack.message["Message-ID"])}),
        client_mail("Автоответ: я в отпуске", sender="robot@partner.example",
                    msgid="<ooo@partner.example>", headers={"Auto-Submitted": "auto-replied"}),
    ])
    r = run_cli(cli_env, "sync", "--once")
    assert r.returncode == 0, r.stderr
    assert "3 new messages, 1 new tickets, 2 joined existing tickets" in r.stdout

    detail = json.loads(run_cli(cli_env, "ticket", "show", tid, "--json").stdout)
    incoming = [m for m in detail["messages"] if m["direction"] == "in"]
    assert [m["threaded_by"] for m in incoming] == ["new_ticket", "tid", "references"]
    assert "thread_confirm" not in detail["flags"]

    tickets = json.loads(run_cli(cli_env, "tickets", "--json").stdout)
    assert len(tickets) == 2
    robot = next(t for t in tickets if t["tid"] != tid)
    assert robot["requester"] == "robot@partner.example"
    # Nothing more went out: no acknowledgement to the auto-responder, none for joined replies.
    assert len(smtp.messages) == 1

    stats = json.loads(run_cli(cli_env, "stats", "--json").stdout)
    assert stats["outbox_pending"] == 0

    # Nothing new: a third pass fetches nothing and sends nothing.
    r = run_cli(cli_env, "sync", "--once")
    assert r.returncode == 0 and "0 new messages" in r.stdout
    assert len(smtp.messages) == 1


def test_cli_sync_imports_old_mail_as_the_mailbox_archive(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpServer], cli_env: dict[str, str]
) -> None:
    """A mailbox connected with last month's mail in it: that mail becomes closed archive
    tickets, nobody is written to, and a client writing again today opens a live ticket."""
    smtp = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    add_account_cli(cli_env, mailbox, smtp)
    month_ago = (dt.datetime.now(MSK) - dt.timedelta(days=30)).replace(microsecond=0)
    mailbox.append(client_mail("Не приходят письма из формы", msgid="<old1@romashka.example>"),
                   internaldate=month_ago)
    mailbox.append(client_mail("Re: Не приходят письма из формы", body="Всё ещё не приходят.",
                               msgid="<old2@romashka.example>",
                               headers={"In-Reply-To": "<old1@romashka.example>"}),
                   internaldate=month_ago + dt.timedelta(days=1))

    r = run_cli(cli_env, "sync", "--once")
    assert r.returncode == 0, r.stderr
    assert ("2 new messages, 1 new tickets, 1 joined existing tickets, "
            "1 of them from the mailbox's archive (closed, no deadlines)") in r.stdout
    [old] = json.loads(run_cli(cli_env, "tickets", "--json").stdout)
    detail = json.loads(run_cli(cli_env, "ticket", "show", old["tid"], "--json").stdout)
    assert detail["archived"] is True and detail["status"] == "closed"
    assert len([m for m in detail["messages"] if m["direction"] == "in"]) == 2
    assert smtp.messages == []  # no acknowledgement for last month's mail
    r = run_cli(cli_env, "sla", "explain", old["tid"])
    assert r.returncode == 1 and "archive" in r.stderr and "Traceback" not in r.stderr

    mailbox.append(client_mail("Re: Не приходят письма из формы", body="Снова сломалось.",
                               msgid="<new1@romashka.example>",
                               headers={"In-Reply-To": "<old2@romashka.example>"}))
    r = run_cli(cli_env, "sync", "--once")
    assert r.returncode == 0, r.stderr
    assert "1 new messages, 1 new tickets" in r.stdout and "archive" not in r.stdout
    [ack] = smtp.wait_for(1)
    live = next(t for t in json.loads(run_cli(cli_env, "tickets", "--json").stdout) if t["tid"] != old["tid"])
    assert f"[{live['tid']}]" in str(ack.message["Subject"]) and live["status"] == "new"


def test_cli_sync_reports_a_wrong_password_in_one_line(
    mailbox: Mailbox, smtp_server: SmtpServer, cli_env: dict[str, str]
) -> None:
    r = run_cli(
        cli_env, "account", "add", "--name", "box", "--email", SUPPORT,
        "--imap-host", mailbox.server.host, "--imap-port", str(mailbox.server.port),
        "--smtp-host", smtp_server.host, "--smtp-port", str(smtp_server.port),
        "--security", "none", "--user", mailbox.user, "--password-stdin", "--no-check", stdin="wrong\n",
    )
    assert r.returncode == 0, r.stderr
    r = run_cli(cli_env, "sync", "--once")
    assert r.returncode == 1
    last = r.stderr.strip().splitlines()[-1]
    assert last == f"reglament: box: authentication failed for {mailbox.user}@{mailbox.server.host}"
    assert "Traceback" not in r.stderr
    listed = json.loads(run_cli(cli_env, "account", "list", "--json").stdout)
    assert listed[0]["last_error"] == f"authentication failed for {mailbox.user}@{mailbox.server.host}"


# --------------------------------------------------------------------------- in-process details


def test_progress_batches_and_a_second_pass_fetches_nothing(
    ws: Any, memory_keyring: Any, mailbox: Mailbox
) -> None:
    account_id = make_account(ws, mailbox)
    appended = mailbox.append_many(
        [client_mail(f"Вопрос {n}", sender=f"c{n}@client{n % 7}.example", msgid=f"<n{n}@x>")
         for n in range(23)]
    )
    seen: list[tuple[int, int]] = []
    report = sync_account_once(ws, account_id, lambda d, t: seen.append((d, t)), batch_size=5)
    assert report.ok and report.fetched == 23 and len(report.new_tickets) == 23
    assert seen == [(0, 23), (5, 23), (10, 23), (15, 23), (20, 23), (23, 23)]
    with ws.db.session() as s:
        state = s.scalars(select(SyncState)).one()
        assert (state.uidvalidity, state.last_uid) == (appended.uidvalidity, appended.uids[-1])
        assert state.lock_holder is None and state.last_error is None
        assert state.highestmodseq is not None  # CONDSTORE is offered and enabled
        assert s.scalar(select(func.count(Message.id)).where(Message.direction == "in")) == 23

    again = sync_account_once(ws, account_id)
    assert again.ok and again.found == 0 and again.fetched == 0


def test_another_holder_of_the_mailbox_means_skip_and_a_dead_local_holder_is_taken_over(
    ws: Any, memory_keyring: Any, mailbox: Mailbox
) -> None:
    account_id = make_account(ws, mailbox)
    mailbox.append(client_mail("Один вопрос", msgid="<one@x>"))
    assert acquire_sync_lease(ws, account_id, "INBOX", "workstation-7:4242") is None

    report = sync_account_once(ws, account_id)
    assert report.fetched == 0
    assert report.skipped == "another workstation (workstation-7:4242) is syncing this mailbox; skipped"
    assert report.summary() == f"support: {report.skipped}"

    # A holder on this machine whose process no longer exists does not block us.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    import socket

    with ws.db.session() as s:
        s.execute(update(SyncState).values(lock_holder=f"{socket.gethostname()}:{dead.stdout.strip()}"))
    report = sync_account_once(ws, account_id)
    assert report.ok and report.fetched == 1


def test_sync_all_once_continues_after_a_broken_account(
    ws: Any,
    memory_keyring: Any,
    mailbox_factory: Callable[..., Mailbox],
    smtp_server_factory: Callable[..., SmtpServer],
) -> None:
    good, bad = mailbox_factory(), mailbox_factory()
    smtp_server = smtp_server_factory(users={good.user: good.password})
    make_account(ws, bad, name="bad")
    memory_keyring.entries.clear()  # its password vanished from the keyring
    make_account(ws, good, smtp_server, name="good")
    good.append(client_mail("Вопрос", msgid="<g@x>"))

    reports = {r.account: r for r in sync_all_once(ws)}
    assert reports["bad"].error is not None and "no imap password" in reports["bad"].error
    assert reports["good"].ok and reports["good"].fetched == 1
    assert drain_outbox(ws).sent and len(smtp_server.wait_for(1)) == 1
    with ws.db.session() as s:
        assert s.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.status == "sent")) == 1


def test_a_mail_view_shows_internaldate_even_when_date_header_is_missing(
    ws: Any, memory_keyring: Any, mailbox: Mailbox
) -> None:
    account_id = make_account(ws, mailbox)
    raw = (
        b"From: client@romashka.example\r\nTo: support@reglament.test\r\n"
        b"Subject: no date here\r\nMessage-ID: <nodate@x>\r\n\r\nbody\r\n"
    )
    received = dt.datetime(2026, 11, 13, 17, 59, 0, tzinfo=MSK)
    mailbox.append(raw, internaldate=received)
    report = sync_account_once(ws, account_id)
    detail = listing.ticket_detail(ws, report.new_tickets[0])
    assert dt.datetime.fromisoformat(detail["received_at"]) == received
