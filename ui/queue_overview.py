"""The periodic pass beside the queue: the saved views' counts, the tickets at risk, what arrived,
the mail state — read on a worker — and how a pass that could not read is said."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from desktop.errors import ReglamentError
from desktop.services.reads import queue as queue_reads
from desktop.services.reads.arrivals import MailStatus
from desktop.services.reads.queue_spec import QueueSpec
from desktop.services.workspace import Workspace
from ui.countdown import state_style
from ui.errors import user_message

log = logging.getLogger("reglament.ui")


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    at_risk: dict[int, str]  # id → TID of tickets in the warning zone or overdue
    latest_id: int
    new_tids: list[str]
    mail: MailStatus


def read_overview(ws: Workspace, previous: int, arrivals: bool = True) -> Overview:
    """Counts and mail state; with ``arrivals`` also the tickets at risk and those newer than
    ``previous`` (the newest id the window saw last time). Runs on a worker."""
    now = ws.now()
    counts = queue_reads.view_counts(ws, now)
    if not arrivals:
        return Overview(counts, {}, previous, [], queue_reads.mail_status(ws))
    risky = queue_reads.fetch_ids(ws, QueueSpec(view="breaching"), now)
    rows = queue_reads.fetch_rows(ws, risky[:200])
    latest = queue_reads.latest_ticket_id(ws)
    new_tids = queue_reads.tids_after(ws, previous) if 0 <= previous < latest else []
    return Overview(counts, {i: r.tid for i, r in rows.items()}, latest, new_tids,
                    queue_reads.mail_status(ws))


def say_store_trouble(label: QLabel, exc: BaseException) -> None:
    """A periodic read failed: said in the status bar until one succeeds (the next pass
    tries again), and logged; a bug's traceback goes to the log as well."""
    if not isinstance(exc, ReglamentError):
        log.error("periodic refresh failed", exc_info=(type(exc), exc, exc.__traceback__))
    else:
        log.warning("periodic refresh failed: %s", exc)
    text = user_message(exc)
    label.setText("⚠ " + QCoreApplication.translate(
        "Main", "{0} — the window tries again every minute.").format(text.rstrip(".")))
    label.setToolTip(text)
    label.setStyleSheet(state_style("warning", label))
    label.show()
