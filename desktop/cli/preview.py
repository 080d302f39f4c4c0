"""The table of deadlines a change to the regulation moves, as ``--dry-run`` prints it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.cli.common import print_json, table
from desktop.services.regulation_preview import Moves

_CHANGE = {"breached": "becomes BREACHED", "unbreached": "no longer breached", "": ""}


def _when(t: datetime | None) -> str:
    return "-" if t is None else t.isoformat(timespec="minutes")


def print_moves(moves: Moves, *, applied: bool, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    """Every moved deadline, then one line of totals; ``applied`` says whether it was stored."""
    if as_json:
        print_json({"applied": applied, **(extra or {}), **moves.to_dict()})
        return
    if moves.moves:
        table([[m.tid, m.plan, m.kind, _when(m.before), _when(m.after), _CHANGE[m.change]] for m in moves.moves],
              ["TID", "PLAN", "TARGET", "FROM", "TO", "STATE"])
    verb = "recomputed" if applied else "would be recomputed (dry run: nothing changed)"
    print(f"{moves.checked} open tickets {verb}; deadlines move on {moves.tickets_moved}, "
          f"{moves.becoming_breached} become breached, {moves.no_longer_breached} stop being breached")
