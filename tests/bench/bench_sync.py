"""Sync benchmark (issue 4): a Dovecot mailbox of 5,000 realistic messages, three ways, one run.

(a) raw imapclient FETCH of every message, no parsing or storage — the limit;
(b) ``mbsync`` (Debian isync) pulling the same mailbox into a Maildir — the reference, run with
    its default ``FSync yes`` and with ``FSync no``. ``FSync yes`` is the like-for-like peer: each
    of our batches is on the disk (one ``syncfs``, desktop/store/blobs.py) before the
    transaction that refers to it commits, as mbsync fsyncs each message before its state file;
(c) our full ``sync_account_once`` (fetch, parse, correlate, store, acknowledge, commit) into a
    fresh SQLite workspace, in a child process whose peak RSS is measured.

Targets: (c) ≥ (b), (c) ≥ 25 % of (a), peak RSS of (c) < 300 MB.

Each run starts with the disk's write-back queue empty (``os.sync()`` first): the mailbox and an
earlier run's files are still being written out for seconds afterwards, and whichever run
came next used to pay for them in slower file creation.
Run: ``.venv/bin/python tests/bench/bench_sync.py`` (needs dovecot-imapd and isync installed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_parse import WORDS_EN, WORDS_RU, _html, _sentence, _text  # noqa: E402

USER, PASSWORD = "bench", "bench-secret"
MSK = dt.timezone(dt.timedelta(hours=3))


# --------------------------------------------------------------------------- the mailbox


def _size_target(rng: random.Random) -> int:
    """1–200 KB, weighted like a support mailbox: mostly short mail, some with big attachments."""
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(1_000, 10_000)
    if roll < 0.85:
        return rng.randint(10_000, 60_000)
    return rng.randint(60_000, 200_000)


def make_message(rng: random.Random, n: int) -> bytes:
    """One message of 1–200 KB; rebuilt a little smaller when encoding overhead overshoots."""
    target = _size_target(rng)
    while True:
        raw = _build(rng, n, target)
        if len(raw) <= 200 * 1024:
            return raw
        target = int(target * 0.8)


def _build(rng: random.Random, n: int, target: int) -> bytes:
    ru = rng.random() < 0.7
    words = WORDS_RU if ru else WORDS_EN
    msg = EmailMessage()
    name = rng.choice(["Иван Петров", "Мария Сидорова", "John Smith", "ООО «Ромашка»", "Anna K."])
    msg["From"] = f"{name} <user{rng.randint(1, 500)}@client{rng.randint(1, 60)}.example>"
    msg["To"] = "support@reglament.example"
    subject = _sentence(rng, words, rng.randint(2, 8))
    if rng.random() < 0.25:
        subject = f"Re: [TID-{rng.randint(1, max(1, n)):06d}] {subject}"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(
        dt.datetime(2025, 3, 1, tzinfo=MSK) + dt.timedelta(minutes=rng.randint(0, 200_000))
    )
    msg["Message-ID"] = f"<{rng.getrandbits(64):016x}@mx{rng.randint(1, 9)}.example>"
    if rng.random() < 0.2:
        msg["In-Reply-To"] = f"<{rng.getrandbits(64):016x}@reglament.example>"
    body_size = min(target, rng.randint(400, 6_000))
    kind = rng.random()
    if kind < 0.15:  # legacy Cyrillic charsets, sometimes with the charset missing
        charset = rng.choice(["koi8-r", "windows-1251"])
        msg.set_content(_text(rng, WORDS_RU, body_size), charset=charset,
                        cte=rng.choice(["8bit", "quoted-printable", "base64"]))
        if rng.random() < 0.3:
            del msg["Content-Type"]
            msg["Content-Type"] = "text/plain"
    else:
        body = _text(rng, words, body_size)
        msg.set_content(body, cte=rng.choice(["8bit", "quoted-printable", "base64"]))
        if kind < 0.7:
            msg.add_alternative(_html(body), subtype="html")
    room = target - len(msg.as_bytes())
    if room > 2_000:  # the rest of the size is attachments (base64 grows them by a third)
        parts = 1 if room < 40_000 else rng.randint(1, 3)
        for _ in range(parts):
            fname, maintype, subtype = rng.choice([
                ("Счёт №15.pdf", "application", "pdf"), ("скриншот.png", "image", "png"),
                ("report.docx", "application", "octet-stream"), ("лог ошибки.txt", "text", "plain"),
            ])
            size = max(500, room * 3 // 4 // parts)
            if maintype == "text":
                msg.add_attachment(_text(rng, words, size // 2), filename=fname)
            else:
                msg.add_attachment(rng.randbytes(size), maintype=maintype, subtype=subtype,
                                   filename=fname)
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def generate(count: int, seed: int) -> list[tuple[bytes, dt.datetime]]:
    rng = random.Random(seed)
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=MSK)
    return [(make_message(rng, i), start + dt.timedelta(minutes=7 * i)) for i in range(count)]


# --------------------------------------------------------------------------- (a) raw FETCH


def raw_fetch(port: int, batch: int = 500, quiet: bool = False) -> tuple[int, float]:
    """``quiet``: with imaplib's protocol trace off, as our sync runs it (desktop.mail.imap)."""
    from imapclient import IMAPClient

    from desktop.mail.imap import quiet_protocol_trace

    os.sync()
    t0 = time.perf_counter()
    client = IMAPClient("127.0.0.1", port, ssl=False, timeout=60)
    if quiet:
        quiet_protocol_trace(client)
    client.login(USER, PASSWORD)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search("ALL"))
    got = 0
    for i in range(0, len(uids), batch):
        response = client.fetch(uids[i : i + batch], [b"BODY.PEEK[]", b"INTERNALDATE"])
        got += sum(1 for v in response.values() if v.get(b"BODY[]") is not None)
    client.logout()
    return got, time.perf_counter() - t0


# --------------------------------------------------------------------------- (b) mbsync


def mbsync(port: int, workdir: Path, fsync: bool) -> tuple[int, float]:
    maildir = workdir / f"maildir-{'fsync' if fsync else 'nofsync'}"
    maildir.mkdir()
    config = workdir / f"mbsyncrc-{fsync}"
    config.write_text(
        f"""FSync {"yes" if fsync else "no"}

IMAPAccount bench
Host 127.0.0.1
Port {port}
User {USER}
Pass {PASSWORD}
SSLType None
AuthMechs LOGIN

IMAPStore bench-remote
Account bench

MaildirStore bench-local
Path {maildir}/
Inbox {maildir}/INBOX

Channel bench
Far :bench-remote:
Near :bench-local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
""",
        encoding="utf-8",
    )
    os.sync()
    t0 = time.perf_counter()
    subprocess.run(["mbsync", "-q", "-c", str(config), "bench"], check=True)
    seconds = time.perf_counter() - t0
    count = sum(1 for _ in (maildir / "INBOX" / "cur").iterdir()) + sum(
        1 for _ in (maildir / "INBOX" / "new").iterdir()
    )
    return count, seconds


def disk_usage(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``."""
    files = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(files)


# --------------------------------------------------------------------------- (c) ours


def _peak_rss_kb() -> int:
    """Peak RSS of *this* program. Linux's ``ru_maxrss`` survives exec, so a child forked from
    the parent (which held the 175 MB corpus) would report the parent's size; ``VmHWM`` belongs to
    the current address space only."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(port: int, home: str, batch: int | None) -> None:
    """Runs in a fresh process: open a workspace, add the account, time one full sync."""
    from tests.unit.memory_keyring import install_memory_keyring

    install_memory_keyring()
    os.sync()
    from desktop.services import accounts
    from desktop.services.background.sync import SYNC_BATCH_SIZE, sync_account_once
    from desktop.services.workspace import open_workspace

    ws = open_workspace(home=home, actor="bench")
    # The generated mailbox is dated weeks back: without this it would all be history, opened
    # as tickets without acknowledgements, and the run would skip a part of the usual work.
    ws.set_setting("mail.ack_history_hours", 24 * 365 * 10)
    info = accounts.add_account(
        ws, name="bench", email="support@reglament.example", imap_host="127.0.0.1",
        imap_port=port, security="none", user=USER, password=PASSWORD,
    )
    t0, c0 = time.perf_counter(), time.process_time()
    report = sync_account_once(ws, info.id, batch_size=batch or SYNC_BATCH_SIZE)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = _peak_rss_kb()
    # The helper process of a large sync (desktop/services/background/mail_jobs.py), reaped by now.
    helper_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ws.close()
    blob_files, blob_bytes = disk_usage(Path(home) / "blobs")
    db_bytes = sum(p.stat().st_size for p in Path(home).glob("reglament.db*"))
    print(json.dumps({
        "blob_files": blob_files, "blob_mb": blob_bytes / 2**20, "db_mb": db_bytes / 2**20,
        "fetched": report.fetched, "seconds": seconds, "peak_mb": peak_kb / 1024,
        "helper_mb": helper_kb / 1024, "cpu": cpu, "helper_cpu": children.ru_utime + children.ru_stime,
        "tickets": len(report.new_tickets), "joined": len(report.joined),
        "quarantined": report.quarantined, "acks": report.acknowledged, "error": report.error,
    }))


def ours(port: int, workdir: Path, batch: int | None, profile: str | None) -> dict[str, float]:
    home = workdir / f"home-{time.monotonic_ns()}"
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "pyinstrument", "-r", "text", "-o", profile]
    cmd += [__file__, "--child", str(port), str(home)] + (["--batch", str(batch)] if batch else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- (d) the floor


_FLOOR_SCHEMA = (
    "CREATE TABLE messages (id INTEGER PRIMARY KEY, uid INTEGER, message_id TEXT, from_addr TEXT,"
    " subject TEXT, sent_date TEXT, received_at TEXT, text TEXT, html TEXT, raw_sha256 TEXT)",
    "CREATE VIRTUAL TABLE messages_fts USING fts5(subject, text, from_addr,"
    " content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN"
    " INSERT INTO messages_fts(rowid, subject, text, from_addr)"
    " VALUES (new.id, new.subject, new.text, new.from_addr); END",
)


def floor_child(port: int, home: str, batch: int) -> None:
    """The least any intake meeting R-MAIL must do for each message, with the fastest parts at
    hand and nothing of ours: fetch (trace off), MIME-parse with fast-mail-parser, keep the raw
    bytes as a file on the disk, store one row with its text in a full-text index, and commit
    each batch after its files are on the disk. No charset checks, no HTML sanitizing, no
    threading, tickets, deadlines, acknowledgements or history — which is what (c) adds."""
    import sqlite3

    import fast_mail_parser
    from imapclient import IMAPClient

    from desktop.mail.imap import quiet_protocol_trace
    from desktop.store.blobs import BlobStore

    os.sync()
    Path(home).mkdir(parents=True)
    blobs = BlobStore(Path(home) / "blobs")
    db = sqlite3.connect(Path(home) / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    for statement in _FLOOR_SCHEMA:
        db.execute(statement)
    t0, c0 = time.perf_counter(), time.process_time()
    client = IMAPClient("127.0.0.1", port, ssl=False, timeout=60)
    quiet_protocol_trace(client)
    client.login(USER, PASSWORD)
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search("ALL"))
    stored = failed = 0
    for i in range(0, len(uids), batch):
        response = client.fetch(uids[i : i + batch], [b"BODY.PEEK[]", b"INTERNALDATE"])
        rows = []
        for uid, item in sorted(response.items()):
            raw = item[b"BODY[]"]
            digest = blobs.put(raw, durable=False)
            try:
                mail = fast_mail_parser.parse_email(raw)
            except Exception:  # (c) would quarantine it; the floor only counts it
                failed += 1
                continue
            text = "\n".join(mail.text_plain) or "\n".join(mail.text_html)
            rows.append((uid, (mail.headers.get("Message-ID") or [None])[0], mail.from_.address, mail.subject, mail.date,
                         item[b"INTERNALDATE"].isoformat(), text, "\n".join(mail.text_html), digest))
        blobs.sync()
        db.execute("BEGIN")
        db.executemany("INSERT INTO messages (uid, message_id, from_addr, subject, sent_date, received_at,"
                       " text, html, raw_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        stored += len(rows)
    client.logout()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"stored": stored, "failed": failed, "seconds": seconds, "cpu": cpu,
                      "fetched": len(uids)}))


def floor(port: int, workdir: Path, batch: int | None) -> dict[str, float]:
    home = workdir / f"floor-{time.monotonic_ns()}"
    cmd = [sys.executable, __file__, "--floor", str(port), str(home), "--batch", str(batch or 500)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=44)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--profile", help="write a pyinstrument text profile of (c) to this file")
    ap.add_argument("--child", nargs=2, metavar=("PORT", "HOME"))
    ap.add_argument("--floor", nargs=2, metavar=("PORT", "HOME"))
    args = ap.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1], args.batch)
        return
    if args.floor:
        floor_child(int(args.floor[0]), args.floor[1], args.batch or 500)
        return
    from tests.servers.dovecot import DovecotServer

    workdir = Path(tempfile.mkdtemp(prefix="reglament-bench-sync-"))
    server = DovecotServer({USER: PASSWORD})
    try:
        server.start()
        corpus = generate(args.n, args.seed)
        sizes = [len(raw) for raw, _ in corpus]
        server.append_many(USER, corpus)
        del corpus
        print(
            f"mailbox: {len(sizes)} messages, {sum(sizes) / 2**20:.0f} MB, avg "
            f"{statistics.mean(sizes) / 1024:.1f} KB, median {statistics.median(sizes) / 1024:.1f} KB, "
            f"max {max(sizes) / 1024:.0f} KB"
        )
        raw_fetch(server.port)  # warm Dovecot's caches once, like the other runs will find them
        n_raw, t_raw = raw_fetch(server.port)
        n_rawq, t_rawq = raw_fetch(server.port, quiet=True)
        n_mb, t_mb = mbsync(server.port, workdir, fsync=True)
        n_mb0, t_mb0 = mbsync(server.port, workdir, fsync=False)
        result = ours(server.port, workdir, args.batch, args.profile)
        least = floor(server.port, workdir, args.batch)
        if result.get("error"):
            raise SystemExit(f"our sync failed: {result['error']}")
        rate_raw, rate_mb, rate_mb0 = n_raw / t_raw, n_mb / t_mb, n_mb0 / t_mb0
        rate_rawq = n_rawq / t_rawq
        rate_ours = result["fetched"] / result["seconds"]
        print(f"(a) raw imapclient FETCH (the limit):    {n_raw:5d} msgs {t_raw:6.2f} s {rate_raw:7.0f} msg/s")
        print(f"(a') the same, imaplib trace off:        {n_rawq:5d} msgs {t_rawq:6.2f} s {rate_rawq:7.0f} msg/s")
        print(f"(b) mbsync → Maildir, FSync yes:         {n_mb:5d} msgs {t_mb:6.2f} s {rate_mb:7.0f} msg/s")
        print(f"(b) mbsync → Maildir, FSync no:          {n_mb0:5d} msgs {t_mb0:6.2f} s {rate_mb0:7.0f} msg/s")
        print(
            f"(c) reglament sync_account_once → SQLite: {int(result['fetched']):5d} msgs "
            f"{result['seconds']:6.2f} s {rate_ours:7.0f} msg/s  "
            f"({int(result['tickets'])} tickets, {int(result['joined'])} joined, "
            f"{int(result['acks'])} acknowledgements queued, {int(result['quarantined'])} quarantined)"
        )
        rate_floor = least["fetched"] / least["seconds"]
        print(
            f"(d) the floor, one process:              {int(least['fetched']):5d} msgs "
            f"{least['seconds']:6.2f} s {rate_floor:7.0f} msg/s  (fetch, fast-mail-parser, raw file, "
            f"one row + full-text index; {least['cpu'] * 1000 / max(least['fetched'], 1):.2f} ms CPU/msg)"
        )
        print(f"ratio ours / raw fetch:        {rate_ours / rate_raw:5.2f}  (target ≥ 0.25)")
        print(f"ratio ours / raw fetch, trace off: {rate_ours / rate_rawq:5.2f}  (the stricter limit)")
        print(f"ratio ours / mbsync FSync yes: {rate_ours / rate_mb:5.2f}  (target ≥ 1)")
        print(f"ratio ours / mbsync FSync no:  {rate_ours / rate_mb0:5.2f}  (target ≥ 1)")
        print(f"ratio floor / mbsync FSync yes: {rate_floor / rate_mb:5.2f}  (what the bare minimum in Python reaches)")
        n = max(int(result["fetched"]), 1)
        print(f"CPU per message of (c):        {result['cpu'] * 1000 / n:.2f} ms in the sync process, "
              f"{result.get('helper_cpu', 0) * 1000 / n:.2f} ms in its helper (2 cores; load average "
              f"{os.getloadavg()[0]:.1f} at the end)")
        print(f"peak RSS of our sync process:  {result['peak_mb']:.0f} MB  (target < 300 MB)")
        mb_files, mb_bytes = disk_usage(workdir / "maildir-nofsync")
        print(f"on disk: ours {int(result['blob_files'])} files, {result['blob_mb']:.0f} MB of blobs + "
              f"{result['db_mb']:.0f} MB database; mbsync {mb_files} files, {mb_bytes / 2**20:.0f} MB")
        print(f"peak RSS of its helper process: {result.get('helper_mb', 0):.0f} MB  (0: none started)")
    finally:
        server.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
