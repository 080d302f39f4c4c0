"""Benchmark: what the damage check on open costs at 100,000 tickets (issue 17, point 5).

Side by side in one run, on one database file, each the median of several opens:

* opening the database *without* the check (the reference: engine, first connection, schema
  revision) — ``store.integrity.look_at`` switched off;
* opening it with the check as every start does it: the file is sealed (Reglament closed it
  whole last time), so only its header and schema are read;
* opening it with the check of every page (``PRAGMA quick_check``), as after a crash or a copy
  — the file changed since the seal;
* the last two again with the file's pages evicted from the system's cache first (a cold
  start), where the platform allows it.

Run: ``.venv/bin/python tests/bench/bench_open_check.py [--tickets N] [--runs N]``. The
workspace is built once (the queue bench's generator) and kept in the temp folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _evict(path: Path) -> bool:
    """Drop the file's pages from the page cache (Linux ``posix_fadvise``); False elsewhere."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return False
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
                advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def _median(fn: Callable[[], None], runs: int, before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=31)
    args = ap.parse_args()
    from tests.bench.bench_queue import build

    home = Path(tempfile.gettempdir()) / f"reglament-bench-open-{args.tickets}"
    queue_home = Path(tempfile.gettempdir()) / f"reglament-bench-queue-{args.tickets}"
    if not (home / "bench-ready").exists() and (queue_home / "bench-ready").exists():
        shutil.copytree(queue_home, home, ignore=shutil.ignore_patterns(".holders", "backups", "*.seal"))
        print(f"copied the queue bench's workspace ({queue_home})")
    if not (home / "bench-ready").exists():
        shutil.rmtree(home, ignore_errors=True)
        t = time.perf_counter()
        build(home, args.tickets)
        (home / "bench-ready").write_text("ok")
        print(f"built {args.tickets:,} tickets in {time.perf_counter() - t:.1f} s ({home})")

    from desktop.store import db as store_db
    from desktop.store import integrity

    path = home / "reglament.db"
    url = f"sqlite:///{path}"
    size_mb = path.stat().st_size / 1e6

    def open_close() -> None:
        store_db.open_database(url).dispose()  # dispose seals the file again

    def unseal() -> None:
        integrity.forget_seal(path)

    for _ in range(3):  # sealed, schema current, caches and imports warm
        open_close()
    real_look = integrity.look_at

    def open_close_unchecked() -> None:
        store_db.look_at = lambda *_a, **_k: None  # type: ignore[assignment]
        try:
            open_close()
        finally:
            store_db.look_at = real_look  # type: ignore[assignment]

    # Taken in turns, so neither side gets the warmer machine.
    unchecked, checked = [], []
    for _ in range(args.runs):
        unchecked.append(_median(open_close_unchecked, 1))
        checked.append(_median(open_close, 1))
    without, sealed = statistics.median(unchecked), statistics.median(checked)
    look_only = _median(lambda: integrity.look_at(path), args.runs)
    whole = _median(open_close, max(3, args.runs // 3), before=unseal)
    cold = _evict(path)
    if cold:
        cold_sealed = _median(open_close, 5, before=lambda: _evict(path))
        cold_whole = _median(open_close, 3, before=lambda: (_evict(path), unseal()))

    print(f"database: {args.tickets:,} tickets, {size_mb:.0f} MB ({path})")
    print(f"{'open, no check (reference)':44} {without * 1000:8.1f} ms")
    print(f"{'open + check, sealed file (every start)':44} {sealed * 1000:8.1f} ms  "
          f"ratio {sealed / without:.2f}×  (the look alone: {look_only * 1000:.2f} ms)")
    print(f"{'open + quick_check (file changed)':44} {whole * 1000:8.1f} ms  ratio {whole / without:.2f}×")
    if cold:
        print(f"{'cold cache: open + check, sealed file':44} {cold_sealed * 1000:8.1f} ms")
        print(f"{'cold cache: open + quick_check':44} {cold_whole * 1000:8.1f} ms")
    open_close()


if __name__ == "__main__":
    main()
