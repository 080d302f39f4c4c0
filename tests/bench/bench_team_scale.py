"""Benchmark: search and the dashboard at team scale (issue 20.3 targets).

100,000 tickets with 300,000 messages on a throw-away PostgreSQL 15 (filled as the latency bench
fills it), and 100,000 tickets on SQLite (as the queue bench builds it). Side by side in one run:

* a search for a word of the message bodies as the window runs it (the head of the view with
  its whole ordered id list: one search, through the per-ticket search documents of migration
  0017) against *a raw full-text query run by the bench* — the distinct ticket ids of the
  messages whose full-text vector matches the word, through a GIN index over every message
  (built by the bench for it). Target: at most 2× the raw query (before: 1.13 s, 16×, an ILIKE
  scan run three times);
* the whole dashboard: ``build_dashboard`` serialised as ``report --json`` prints it, the
  window's panel read (numbers and the names they are shown by), and ``reglament report --json``
  as a process. Target: under 1 s on PostgreSQL and on SQLite (before: 37.6 s and 21.5 s,
  117,611 statements). The statements each sends are counted.

Run: ``.venv/bin/python tests/bench/bench_team_scale.py [--tickets N]``. The servers and temp
folders are removed at the end, also when a step fails.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_queue import NOW, WORDS  # noqa: E402

SEARCH_RATIO_TARGET = 2.0
DASHBOARD_TARGET_S = 1.0
RUNS = 5
#: The issue's measurements of the code before (same data shape, same machine class).
BEFORE = {"search_pg": 1.13, "dashboard_pg": 37.6, "dashboard_sqlite": 21.5}


def best_median(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float, float, Any]:
    """Best and median wall time of ``runs`` calls after one warm-up call, the median CPU time
    of this process (the machine may be shared: CPU time is what the code itself cost here),
    and the last result."""
    result = fn()
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(times), statistics.median(times), statistics.median(cpu), result


def interleaved(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[list[float], list[float], Any, Any]:
    """Wall times of ``a`` and ``b`` taken in turns, so a busy moment of the machine falls on
    both alike; one warm-up call of each first."""
    ra, rb = a(), b()
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(runs):
        t = time.perf_counter()
        ra = a()
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        rb = b()
        tb.append(time.perf_counter() - t)
    return ta, tb, ra, rb


class Statements:
    """Counts the statements an engine sends while a block runs."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.n = engine, 0

    def _seen(self, *_a: Any) -> None:
        self.n += 1

    def __enter__(self) -> Statements:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._seen)


def _ms(s: float) -> str:
    return f"{s * 1000:8.1f} ms"


def report_json(ws: Any) -> str:
    """What ``reglament report --json`` prints for the last 30 days."""
    from desktop.cli.reports import print_report_json
    from desktop.services.reads.dashboard import build_dashboard

    today = ws.now().date()
    dash = build_dashboard(ws, today - timedelta(days=29), today, 8)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_report_json(dash.to_json())
    return out.getvalue()


def panel(ws: Any) -> Any:
    """The dashboard window's background read (``ui.dashboard.window.load``)."""
    from ui.dashboard.window import load

    today = ws.now().date()
    return load(ws, today - timedelta(days=29), today, 8)


#: The CPU time (user + system) of the last process run by :func:`_timed_run`.
_child_cpu = [0.0]


def _timed_run(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command as a process: its wall time, and its CPU time in ``_child_cpu`` (on a
    shared machine the wall time is mostly waiting for a core; the CPU time is the command's)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          check=False)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _child_cpu[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, done


def cli_report(env_db: str | None, home: Path) -> float:
    """``reglament report --json`` as a process, start-up included (real clock: it reports the
    30 days up to the bench's "now")."""
    end = NOW.date()
    cmd = [sys.executable, "-m", "desktop.cli", "--home", str(home)]
    if env_db:
        cmd += ["--db", env_db]
    cmd += ["report", "--json", "--from", (end - timedelta(days=29)).isoformat(), "--to", end.isoformat()]
    took, done = _timed_run(cmd)
    if done.returncode != 0:
        raise SystemExit(f"report --json failed: {done.stderr.strip()}")
    json.loads(done.stdout)
    return took


def startup(env_db: str | None, home: Path) -> float:
    """The floor of any command as a process: ``reglament settings list`` on the same database."""
    cmd = [sys.executable, "-m", "desktop.cli", "--home", str(home)] + (["--db", env_db] if env_db else [])
    took, done = _timed_run([*cmd, "settings", "list"])
    if done.returncode != 0:
        raise SystemExit(f"settings list failed: {done.stderr.strip()}")
    return took


def dashboard_rows(label: str, ws: Any, db_url: str | None, home: Path) -> list[tuple[str, float, float, float, int]]:
    rows = []
    for name, fn in (("report --json (in process)", lambda: report_json(ws)), ("window's panel", lambda: panel(ws))):
        with Statements(ws.db.engine) as st:
            fn()
        best, median, cpu, _ = best_median(fn)
        rows.append((f"{label}: {name}", best, median, cpu, st.n))
    for name, fn in (("reglament settings list (start-up floor)", lambda: startup(db_url, home)),
                     ("reglament report --json (process)", lambda: cli_report(db_url, home))):
        walls, cpus = [], []
        for _ in range(3):
            walls.append(fn())
            cpus.append(_child_cpu[0])
        rows.append((f"{label}: {name}", min(walls), statistics.median(walls), statistics.median(cpus), -1))
    return rows


def search_pg(ws: Any, dsn: str, word: str) -> tuple[list[float], list[float], int, int]:
    """The window's search against the raw full-text query, same word, same index, in turns."""
    import psycopg

    from desktop.services.reads import queue as qs
    from desktop.store import fulltext

    raw_sql = (f"SELECT DISTINCT ticket_id FROM messages WHERE {fulltext.MESSAGE_DOCUMENT} "
               f"@@ to_tsquery('russian', %s) AND {fulltext.NOT_AUTOMATIC}")
    spec = qs.QueueSpec(search=word)
    book = qs.sla_book(ws)
    with psycopg.connect(dsn, autocommit=True) as con:
        # The reference's own GIN index over every message (migration 0010 had it; 0017 searches
        # one document per ticket instead and dropped it), built here, outside the timing.
        con.execute(f"CREATE INDEX IF NOT EXISTS bench_messages_fulltext ON messages USING gin "
                    f"({fulltext.MESSAGE_DOCUMENT}) WHERE {fulltext.NOT_AUTOMATIC}")
        con.execute("ANALYZE messages")
        raw_t, ours_t, raw_rows, head = interleaved(
            lambda: con.execute(raw_sql, (word,)).fetchall(),
            lambda: qs.fetch_head(ws, spec, 40, "ru", book=book, count=False), 2 * RUNS + 1)
    return raw_t, ours_t, len(raw_rows), len(head.all_ids or ())


def search_sqlite(ws: Any, word: str, screen: int = 40) -> tuple[list[float], list[float], int]:
    """The window's first screen of a search on SQLite (``fetch_head`` without count: what is
    painted first) against the raw sqlite3 query of the same columns through the same FTS5
    tables, ``LIMIT`` one screen, in turns."""
    import sqlite3

    from desktop.services.reads import queue as qs
    from tests.bench.bench_queue import RAW_SQL

    raw_sql = (RAW_SQL + " WHERE t.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ? "
               "UNION SELECT m.ticket_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
               f"WHERE messages_fts MATCH ?) ORDER BY t.priority_rank, t.received_at, t.id LIMIT {screen}")
    match = f'"{word}"*'
    spec = qs.QueueSpec(search=word)
    book = qs.sla_book(ws)
    con = sqlite3.connect(ws.paths.database)
    try:
        raw_t, ours_t, _, head = interleaved(lambda: con.execute(raw_sql, (match, match)).fetchall(),
                                             lambda: qs.fetch_head(ws, spec, screen, "ru", book=book, count=False),
                                             2 * RUNS + 1)
    finally:
        con.close()
    return raw_t, ours_t, len(head.ids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=100_000)
    args = ap.parse_args()

    from desktop.services.workspace import open_workspace
    from tests.bench.bench_latency import fill
    from tests.bench.bench_queue import build
    from tests.conftest import FixedClock
    from tests.servers.postgres import PostgresServer

    server = PostgresServer()
    scratch = Path(tempfile.mkdtemp(prefix="reglament-team-scale-"))
    word = WORDS[9]  # "доставка": in the bodies of about a fifth of the tickets
    try:
        t = time.perf_counter()
        server.start()
        url = server.create_database("scale")
        fill(url, scratch / "pg", args.tickets)
        print(f"PostgreSQL filled with {args.tickets:,} tickets, {3 * args.tickets:,} messages "
              f"in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        build(scratch / "sqlite", args.tickets)
        print(f"SQLite filled with {args.tickets:,} tickets in {time.perf_counter() - t:.1f} s")

        pg = open_workspace(home=scratch / "pg", db_url=url, clock=FixedClock(NOW), actor="anna")
        lite = open_workspace(home=scratch / "sqlite", clock=FixedClock(NOW), actor="anna")
        try:
            dsn = url.replace("postgresql+psycopg://", "postgresql://")
            raw_t, ours_t, raw_n, ours_n = search_pg(pg, dsn, word)
            lite_raw, lite_ours, lite_n = search_sqlite(lite, word)
            dash = dashboard_rows("PostgreSQL", pg, url, scratch / "pg") + \
                dashboard_rows("SQLite", lite, None, scratch / "sqlite")
            sample = json.loads(report_json(pg))
        finally:
            pg.close()
            lite.close()
    finally:
        server.close()
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(f"Machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"Search for a body word ({word!r}) on PostgreSQL, {args.tickets:,} tickets / {3 * args.tickets:,} messages "
          f"({len(raw_t)} runs each, in turns)")
    raw_best, raw_median = min(raw_t), statistics.median(raw_t)
    ours_best, ours_median = min(ours_t), statistics.median(ours_t)
    print(f"  raw full-text query (bench)    best {_ms(raw_best)}  median {_ms(raw_median)}  {raw_n:,} tickets")
    print(f"  window's search (one pass)     best {_ms(ours_best)}  median {_ms(ours_median)}  {ours_n:,} tickets")
    for what, ratio in (("best", ours_best / raw_best), ("median", ours_median / raw_median)):
        verdict = "met" if ratio <= SEARCH_RATIO_TARGET else "MISSED"
        print(f"  ratio of {what:<6} {ratio:.2f}× (target ≤ {SEARCH_RATIO_TARGET:.0f}×: {verdict})")
    print(f"  before: an ILIKE scan, {BEFORE['search_pg'] * 1000:.0f} ms, run three times per search (16× the raw query)")
    print(f"Search for the same word on SQLite, {args.tickets:,} tickets: the first screen ({lite_n} rows) "
          f"({len(lite_raw)} runs each, in turns)")
    print(f"  raw sqlite3 FTS5 query, LIMIT    best {_ms(min(lite_raw))}  median {_ms(statistics.median(lite_raw))}")
    print(f"  window's first screen            best {_ms(min(lite_ours))}  median {_ms(statistics.median(lite_ours))}"
          f"  ratio best {min(lite_ours) / min(lite_raw):.2f}×, median "
          f"{statistics.median(lite_ours) / statistics.median(lite_raw):.2f}×")
    print()
    print(f"The whole dashboard, last 30 days, {args.tickets:,} tickets (target < {DASHBOARD_TARGET_S:.0f} s)")
    for name, best, median, cpu, statements in dash:
        engine = "pg" if name.startswith("PostgreSQL") else "sqlite"
        said = f"{statements:3d} statements" if statements >= 0 else "start-up included"
        spent = f"  CPU {_ms(cpu)}" if cpu >= 0 else ""
        verdict = "met" if best < DASHBOARD_TARGET_S else "MISSED"
        cpu_verdict = "met" if cpu < DASHBOARD_TARGET_S else "MISSED"
        print(f"  {name:<52} best {_ms(best)}  median {_ms(median)}{spent}  {said}  "
              f"best {best / DASHBOARD_TARGET_S:.2f}× target ({verdict}), CPU {cpu / DASHBOARD_TARGET_S:.2f}× "
              f"({cpu_verdict}); before {BEFORE['dashboard_' + engine]:.1f} s = {BEFORE['dashboard_' + engine] / best:.0f}× this")
    print()
    print(f"  (report: {len(sample['breached']):,} breached, {len(sample['at_risk']):,} in warning, "
          f"{len(sample['forecast']):,} due within 8 business h; reaction median "
          f"{sample['first_reaction_median_minutes']} working min · {sample['first_reaction_median_clock_minutes']} min "
          f"by the clock over {sample['reactions_measured']:,} tickets; compliance {sample['sla_compliance_pct']} %)")


if __name__ == "__main__":
    main()
