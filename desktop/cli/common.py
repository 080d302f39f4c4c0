"""Helpers shared by the sub-command modules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from desktop import times
from desktop.services.workspace import Workspace, open_workspace


def workspace(args: argparse.Namespace) -> Workspace:
    return open_workspace(home=args.home, db_url=args.db)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Workspace]:
    """The workspace named by --home/--db, closed however the command ends."""
    ws = workspace(args)
    try:
        yield ws
    finally:
        ws.close()


def shorten(text: str, keep: int = 60) -> str:
    """What a message may repeat of a person's input: a refusal that echoes 120 KB back is
    no message at all. Long input is cut, with its length said."""
    flat = " ".join(str(text).split())
    if len(flat) <= keep:
        return flat
    return f"{flat[:keep]}… ({len(text):,} characters)"


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [len(h) for h in headers]
    for r in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    print(fmt.format(*headers).rstrip())
    for r in rows:
        print(fmt.format(*r).rstrip())


def shown_time(value: str | datetime | None) -> str:
    """A moment as the command line prints it to a person: ISO 8601 to the minute in this
    computer's zone, with its offset, so it is never read in the wrong zone
    (``2026-11-30T14:00+03:00``); ``-`` for none. ``--json`` keeps the stored instant."""
    if value is None or value == "":
        return "-"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:  # the store keeps UTC
        moment = moment.replace(tzinfo=UTC)
    return times.local(moment).isoformat(timespec="minutes")
