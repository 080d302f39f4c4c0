"""What the dashboard's SLA numbers count and leave out, in words a team lead reads under them.

"0 min" of first reaction for mail answered 25 minutes after it came at night is true in working
time and misleading without the clock beside it; a compliance percentage means little without
what it did not count. Each line here goes under its number; the tooltip says why.
"""

from __future__ import annotations

from datetime import timedelta

from desktop.domain.sla_format import format_duration
from desktop.services.reads.dashboard_sla import Exclusion
from ui.dashboard.labels import minutes_text, tr


def both_times(working: float | None, clock: float | None, lang: str) -> str:
    """'0 min of working time · 25 min by the clock'."""
    if working is None or clock is None:
        return ""
    return tr("{0} of working time · {1} by the clock").format(
        minutes_text(working, lang), minutes_text(clock, lang))


def _part(x: Exclusion, lang: str) -> str | None:
    if not x.tickets:
        return None
    n = x.tickets
    if x.key == "paused":
        held = format_duration(timedelta(minutes=round(x.working_minutes or 0)), lang)
        return tr("{0} waiting for the client taken out ({1} tickets)").format(held, n)
    texts = {
        "archived": tr("{0} archived mail"),
        "duplicates": tr("{0} merged duplicates"),
        "unanswered": tr("{0} not answered yet"),
        "outside_period": tr("{0} received before the period"),
        "no_target": tr("{0} without a reaction target"),
        "waiting": tr("{0} waiting for the client"),
        "not_due": tr("{0} not due yet"),
        "plan_changes": tr("{0} changed plan or priority"),
    }
    return texts[x.key].format(n)


def excluded_line(excluded: list[Exclusion], lang: str) -> str:
    """The counts a number left out, on one line ("Not counted: …"); nothing left out says so."""
    parts = [p for x in excluded if (p := _part(x, lang))]
    if not parts:
        return tr("Nothing left out")
    return tr("Not counted: {0}").format(", ".join(parts))


def why(key: str) -> str:
    return {
        "archived": tr("Archived mail was imported from the mailbox's archive: no clock ran for it."),
        "duplicates": tr("A merged duplicate's reaction counts once, on the ticket it joined."),
        "unanswered": tr("A ticket not answered yet has no reaction time to measure."),
        "outside_period": tr("A ticket counts in the period it arrived, not in the one it was answered in."),
        "paused": tr("Time spent waiting for the client is not counted: the deadline moved by as much."),
        "no_target": tr("Without a plan, or on a plan without a reaction target, there is no deadline to meet."),
        "waiting": tr("Waiting for the client before any reaction: the deadline is not known yet."),
        "not_due": tr("Not answered yet and the deadline is still ahead: neither met nor missed."),
        "plan_changes": tr("Judged by the deadline in force when answered: a later change of plan does not rewrite it."),
    }[key]


def excluded_tooltip(excluded: list[Exclusion], lang: str) -> str:
    lines = [f"{p} — {why(x.key)}" for x in excluded if (p := _part(x, lang))]
    return "\n".join(lines)
