"""Benchmark: the ticket page read on a team's PostgreSQL across a slow network.

A throw-away PostgreSQL cluster holds the demo workspace; the page is read through a TCP proxy
on 127.0.0.1 that holds every chunk for half the added round trip in each direction (20 ms
round trip by default, an office VPN), and straight over loopback beside it. For each ticket of
the demo it prints the statements one page read takes and the time, the median and the worst.
The detail pane shows what this read returns (``ui/ticket_detail.py``), so the delayed time is
how long after selecting a ticket its page can appear (target: within 150 ms).

Run: ``.venv/bin/python tests/bench/bench_ticket_page.py [--rtt-ms 20] [--tickets 10]``
(as root it runs PostgreSQL as the ``postgres`` user, as the integration tests do).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import queue
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from desktop.services.demo import fill_demo  # noqa: E402
from desktop.services.reads import listing  # noqa: E402
from desktop.services.reads.ticket_page import read_ticket_page  # noqa: E402
from desktop.services.workspace import open_workspace  # noqa: E402
from tests.servers.postgres import PostgresServer  # noqa: E402

#: The demo's "now" (tests/conftest.py): the countdowns read as they do in the tests.
DEMO_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


class DelayingProxy:
    """Forwards 127.0.0.1:<port> to ``target``; each chunk leaves ``one_way`` seconds after it
    arrived. Chunks in flight overlap, as on a real network: latency, not a narrow pipe."""

    def __init__(self, target: tuple[str, int], one_way: float) -> None:
        self.target, self.one_way = target, one_way
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for a, b in ((client, server), (server, client)):
                a.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        flight: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        threading.Thread(target=self._deliver, args=(flight, dst), daemon=True).start()
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                flight.put((time.perf_counter() + self.one_way, data))
        flight.put((0.0, b""))

    @staticmethod
    def _deliver(flight: queue.SimpleQueue[tuple[float, bytes]], dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while True:
                due, data = flight.get()
                if not data:
                    break
                time.sleep(max(0.0, due - time.perf_counter()))
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_RDWR)


def _run_proxy(target: tuple[str, int], one_way: float, ports: Connection) -> None:
    proxy = DelayingProxy(target, one_way)
    ports.send(proxy.port)
    proxy.serve()


def start_proxy(target: tuple[str, int], one_way: float) -> tuple[BaseProcess, int]:
    """The proxy in a process of its own: in this one, its threads would wait for the reader's
    hold on the interpreter (up to 5 ms a switch) and add that to the latency measured."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_run_proxy, args=(target, one_way, child), daemon=True)
    process.start()
    return process, int(parent.recv())


def measure(url: str, home: Path, tids: list[str]) -> tuple[list[int], list[float]]:
    ws = open_workspace(home=home, db_url=url, clock=lambda: DEMO_NOW, actor="anna", seed=False)
    seen: list[str] = []
    event.listen(ws.db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    try:
        read_ticket_page(ws, tids[0])  # connect, and warm what is cached per process
        counts, times = [], []
        for tid in tids:
            seen.clear()
            started = time.perf_counter()
            read_ticket_page(ws, tid, "en")
            times.append(time.perf_counter() - started)
            counts.append(len(seen))
        return counts, times
    finally:
        ws.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rtt-ms", type=float, default=20.0)
    parser.add_argument("--tickets", type=int, default=10)
    args = parser.parse_args()
    with PostgresServer() as pg, tempfile.TemporaryDirectory() as tmp:
        url = pg.create_database()
        ws = open_workspace(home=Path(tmp) / "fill", db_url=url, clock=lambda: DEMO_NOW, actor="anna")
        fill_demo(ws)
        tids = [t["tid"] for t in listing.list_tickets(ws)][: args.tickets]
        ws.close()
        proxy, port = start_proxy((pg.host, pg.port), args.rtt_ms / 2000)
        try:
            delayed_url = url.replace(f":{pg.port}/", f":{port}/")
            for name, target in (("loopback", url), (f"+{args.rtt_ms:.0f} ms round trip", delayed_url)):
                counts, times = measure(target, Path(tmp) / name.split()[0], tids)
                print(f"ticket page on PostgreSQL, {name:>20}: {min(counts)}–{max(counts)} statements, "
                      f"median {statistics.median(times) * 1000:6.1f} ms, worst {max(times) * 1000:6.1f} ms "
                      f"({len(tids)} tickets; target ≤ 150 ms)")
        finally:
            proxy.terminate()


if __name__ == "__main__":
    main()
