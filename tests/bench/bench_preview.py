"""Benchmark: previewing a plan change against applying it (issue 23).

Before a plan, a calendar or a client's plan changes, the window and ``--dry-run`` compute which
open tickets' deadlines would move. The reference is the change itself as it was before there
was a preview: ``set_plan`` recomputing and storing every open ticket's deadlines on the plan
(``recompute_plan``). Both run on the same workspace, one after the other, in one process; the
preview changes nothing, so the apply that follows meets the same tickets.

Run: ``.venv/bin/python tests/bench/bench_preview.py [--tickets N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=5000)
    args = parser.parse_args()

    from desktop.services import clients, regulation, regulation_preview
    from desktop.services.tickets.create import NewTicket, create_ticket_in
    from desktop.services.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(home=Path(tmp) / "home", clock=lambda: NOW, actor="bench")
        try:
            clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
            made = time.perf_counter()
            with ws.db.session() as s:
                for i in range(args.tickets):
                    create_ticket_in(s, ws, NewTicket(subject=f"t{i}", requester="a@vector.ru",
                                                      received_at=NOW - timedelta(minutes=37 * i)))
            made = time.perf_counter() - made

            t0 = time.perf_counter()
            moves = regulation_preview.preview_plan(ws, "commercial", reaction={"normal": 600})
            preview = time.perf_counter() - t0
            t0 = time.perf_counter()
            applied = regulation.set_plan(ws, "commercial", reaction={"normal": 600})
            apply = time.perf_counter() - t0
        finally:
            ws.close()
    print(f"{args.tickets} open tickets on one plan (made in {made:.1f} s); {moves.tickets_moved} move, "
          f"{moves.becoming_breached} become breached; {applied} recomputed by the apply")
    print(f"preview (ours, stores nothing):            {preview * 1000:8.0f} ms")
    print(f"apply: set_plan + recompute_plan (before): {apply * 1000:8.0f} ms")
    print(f"ratio preview / apply: {preview / apply:.2f}")


if __name__ == "__main__":
    main()
