"""The work queue's reads, gathered where the window and the command line look for them.

Each part lives in a room named for what it holds: ``queue_spec`` (views, filters, search and
the ordered ids), ``queue_page`` (a page of rows prepared for painting, the head of a view),
``queue_clock`` (the rows' facts, the plans' SLA book, countdowns) and ``arrivals`` (new tickets,
the mail status). This module names them together, so callers keep one import.
"""

from __future__ import annotations

from desktop.services.reads.arrivals import MailStatus, latest_ticket_id, mail_status, tids_after
from desktop.services.reads.counts import view_counts
from desktop.services.reads.queue_clock import (
    RUNNING,
    Countdown,
    QueueRow,
    SlaBook,
    countdown_text,
    format_state_paused,
    load_sla_book,
    pick_countdown,
    sla_book,
)
from desktop.services.reads.queue_page import (
    COLUMNS,
    Head,
    QueueLine,
    count_view,
    fetch_head,
    fetch_page,
    fetch_rows,
    prepare,
    rows_in,
    ticket_id_of,
)
from desktop.services.reads.queue_spec import (
    OPEN,
    SLA_FILTERS,
    VIEWS,
    Choice,
    Choices,
    QueueSpec,
    choices,
    fetch_ids,
    filters_for,
)
from desktop.times import viewer_tz

__all__ = [
    "COLUMNS", "OPEN", "RUNNING", "SLA_FILTERS", "VIEWS", "Choice", "Choices", "Countdown", "Head",
    "MailStatus", "QueueLine", "QueueRow", "QueueSpec", "SlaBook", "choices", "count_view",
    "countdown_text", "fetch_head", "fetch_ids", "fetch_page", "fetch_rows", "filters_for",
    "format_state_paused", "latest_ticket_id", "load_sla_book", "mail_status", "pick_countdown",
    "prepare", "rows_in", "sla_book", "ticket_id_of", "tids_after", "view_counts", "viewer_tz",
]
