"""The whole ``reglament sync --once`` on 2,000 new messages, acknowledgements sent over AUTH SMTP,
against its references in one run (issue 17's target: ours ≤ 2 × references).

References, measured here on the same machine and servers:

(a) ``mbsync`` (Debian isync, ``FSync yes``, like our durable commits) pulling the same Dovecot
    mailbox into a Maildir;
(b) plain ``smtplib`` sending the very acknowledgements our run sent (captured on the server)
    over one authenticated connection to the same aiosmtpd.

Ours: ``python -m desktop.cli sync --once`` as a process of its own on a fresh SQLite workspace —
fetch, parse, store, open tickets, queue and send the acknowledgements — timed from start to exit.

Run: ``.venv/bin/python tests/bench/bench_sync_send.py`` (needs dovecot-imapd and isync).
"""

from __future__ import annotations

import argparse
import os
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_sync import PASSWORD, USER, generate, mbsync  # noqa: E402


def prepare(home: Path, imap_port: int, smtp_port: int, keyring_file: Path, sent_copies: bool = True) -> None:
    """A workspace with the account, as ``reglament account add`` leaves it."""
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.unit.memory_keyring.FileKeyring"
    os.environ["REGLAMENT_TEST_KEYRING_FILE"] = str(keyring_file)
    from desktop.services import accounts
    from desktop.services.workspace import open_workspace

    ws = open_workspace(home=home, actor="bench")
    # The generated mailbox is dated weeks back: without this it would be history, opened as
    # tickets without acknowledgements. And every sender gets their acknowledgement.
    ws.set_setting("mail.ack_history_hours", 24 * 365 * 10)
    ws.set_setting("mail.autoreply_per_hour", 100)
    accounts.add_account(
        ws, name="bench", email="support@reglament.example", imap_host="127.0.0.1",
        imap_port=imap_port, smtp_host="127.0.0.1", smtp_port=smtp_port, security="none",
        user=USER, password=PASSWORD, sent_copies=sent_copies,
    )
    ws.close()


def ours(home: Path, keyring_file: Path, profile: str | None = None) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REGLAMENT_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "tests.unit.memory_keyring.FileKeyring",
           "REGLAMENT_TEST_KEYRING_FILE": str(keyring_file)}
    env.pop("REGLAMENT_DB_URL", None)
    os.sync()
    t0 = time.perf_counter()
    cmd = [sys.executable] + (["-m", "cProfile", "-o", profile] if profile else [])
    run = subprocess.run([*cmd, "-m", "desktop.cli", "sync", "--once"], env=env,
                         capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if run.returncode != 0:
        raise SystemExit(f"our sync failed ({run.returncode}): {run.stderr.strip()}")
    return seconds, run.stdout.strip()


def smtplib_send(port: int, mails: list[tuple[str, list[str], bytes]]) -> float:
    t0 = time.perf_counter()
    client = smtplib.SMTP("127.0.0.1", port, local_hostname="localhost", timeout=60)
    client.login(USER, PASSWORD)
    for sender, recipients, data in mails:
        client.sendmail(sender, recipients, data)
    client.quit()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--profile", help="write a cProfile of (c) to this file")
    ap.add_argument("--no-sent-copies", action="store_true",
                    help="the account keeps no copies in Sent (R-MAIL-10 is on by default)")
    args = ap.parse_args()
    from tests.servers.dovecot import DovecotServer
    from tests.servers.smtp import SmtpServer

    workdir = Path(tempfile.mkdtemp(prefix="reglament-bench-send-"))
    imap = DovecotServer({USER: PASSWORD})
    smtp = SmtpServer(users={USER: PASSWORD}, require_auth=True)
    try:
        imap.start()
        smtp.start()
        corpus = generate(args.n, args.seed)
        size = sum(len(raw) for raw, _ in corpus)
        imap.append_many(USER, corpus)
        del corpus
        print(f"mailbox: {args.n} messages, {size / 2**20:.0f} MB; SMTP: aiosmtpd with AUTH PLAIN")
        mbsync(imap.port, workdir, fsync=True)  # warm Dovecot's caches, as every run finds them
        n_mb, t_mb = mbsync(imap.port, _fresh(workdir), fsync=True)

        home, keyring_file = workdir / "home", workdir / "keyring.json"
        prepare(home, imap.port, smtp.port, keyring_file, sent_copies=not args.no_sent_copies)
        t_ours, summary = ours(home, keyring_file, args.profile)
        sent = smtp.messages
        logins = smtp.logins
        mails = [(m.mail_from, list(m.rcpt_tos), m.data) for m in sent]
        smtp.clear()
        t_smtplib = smtplib_send(smtp.port, mails)
        if len(smtp.messages) != len(mails):
            raise SystemExit("smtplib did not deliver every message")

        copies = [] if args.no_sent_copies else [data for _f, _t, data in mails]
        t_append = imaplib_append(imap.port, copies) if copies else 0.0
        reference = t_mb + t_smtplib
        print(f"(a) mbsync → Maildir, FSync yes:           {n_mb:5d} msgs {t_mb:6.2f} s")
        print(f"(b) smtplib, one AUTH connection:           {len(mails):5d} msgs {t_smtplib:6.2f} s")
        print(f"    reference (a) + (b):                                {reference:6.2f} s")
        print(f"(c) reglament sync --once (fetch … acks sent): {len(sent):5d} acks {t_ours:6.2f} s  "
              f"({logins} SMTP login(s))")
        for line in summary.splitlines():
            print(f"    {line}")
        if copies:
            print(f"(d) imaplib APPEND to Sent, one login:       {len(copies):5d} msgs {t_append:6.2f} s"
                  "   (what our copies in Sent do, R-MAIL-10)")
            print(f"ratio ours / (a)+(b)+(d), the same work on both sides: {t_ours / (reference + t_append):5.2f}"
                  "  (target ≤ 2)")
            print(f"ratio ours / (a)+(b), the issue's reference (ours also keeps the copies): "
                  f"{t_ours / reference:5.2f}")
        else:
            print(f"ratio ours / reference: {t_ours / reference:5.2f}  (target ≤ 2)")
    finally:
        smtp.close()
        imap.close()
        shutil.rmtree(workdir, ignore_errors=True)


def imaplib_append(port: int, messages: list[bytes]) -> float:
    """The floor of keeping copies in Sent: one login, one APPEND each, nothing checked."""
    import imaplib

    started = time.perf_counter()
    con = imaplib.IMAP4("127.0.0.1", port)
    con.login(USER, PASSWORD)
    con.create("RefSent")
    for raw in messages:
        con.append("RefSent", "(\\Seen)", None, raw)
    con.logout()
    return time.perf_counter() - started


def _fresh(workdir: Path) -> Path:
    fresh = workdir / f"run-{time.monotonic_ns()}"
    fresh.mkdir()
    return fresh


if __name__ == "__main__":
    main()
