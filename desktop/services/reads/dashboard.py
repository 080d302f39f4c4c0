"""The team lead's numbers (R-LEAD-1, R-LEAD-2): backlog, risk, reaction times, compliance.

Counts are grouped in SQL; the SLA figures (``dashboard_sla``) read the plans, calendars and
pauses once per report, not once per ticket. Working-time figures use each plan's calendar, so
"reaction time" means working time exactly as the SLA counts it, and each comes with the same
figure by the clock and the counts of what it left out. Lists are never capped: a lead sees
every ticket at risk, not the first hundred.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop import times
from desktop.domain.rework import rework_clock
from desktop.domain.tickets import OPEN_STATUSES, Status
from desktop.services.reads import dashboard_sla
from desktop.services.reads.counts import counts_in
from desktop.services.reads.dashboard_sla import Exclusion, RiskRow
from desktop.services.reads.queue_clock import load_sla_book
from desktop.services.workspace import Workspace
from desktop.store.models import Act, Agent, Department, HistoryEvent, ReworkItem, Ticket

__all__ = ["SECTIONS", "TIME_BASIS", "Dashboard", "RiskRow", "build_dashboard", "export_csv"]


@dataclass
class Dashboard:
    start: date
    end: date
    now: str
    backlog_by_status: dict[str, int] = field(default_factory=dict)
    backlog_by_department: dict[str, int] = field(default_factory=dict)
    backlog_by_agent: dict[str, int] = field(default_factory=dict)
    at_risk: list[RiskRow] = field(default_factory=list)
    breached: list[RiskRow] = field(default_factory=list)
    forecast: list[RiskRow] = field(default_factory=list)
    forecast_hours: int = 8
    #: First reaction in working minutes, as the SLA counts it (pauses for the client excluded).
    first_reaction_median_minutes: float | None = None
    first_reaction_p90_minutes: float | None = None
    #: The same by the clock (wall time from arrival to the first reaction).
    first_reaction_median_clock_minutes: float | None = None
    first_reaction_p90_clock_minutes: float | None = None
    reactions_measured: int = 0
    sla_met: int = 0
    sla_missed: int = 0
    sla_compliance_pct: float | None = None
    #: Tickets received in the period, and what the median and the compliance left out of them.
    received_in_period: int = 0
    reaction_excluded: list[Exclusion] = field(default_factory=list)
    compliance_excluded: list[Exclusion] = field(default_factory=list)
    incoming_per_day: list[tuple[str, int]] = field(default_factory=list)
    acts_awaiting: list[dict[str, Any]] = field(default_factory=list)
    #: Rework of refused acts still to do, soonest first, each with its state (R-ACT-3).
    rework_due: list[dict[str, Any]] = field(default_factory=list)
    auto_closed_inactive: int = 0
    refusals_by_reason: dict[str, int] = field(default_factory=dict)
    #: The counts the views panel and ``stats --json`` also show, by their one definition
    #: (:mod:`desktop.services.reads.counts`): open, breached, warning, awaiting_acceptance …
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        # Field by field rather than ``asdict``, whose deep copy of thousands of risk rows cost
        # more than computing them.
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("at_risk", "breached", "forecast"):
            data[key] = [dict(vars(r)) for r in data[key]]
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data["reaction_excluded"] = [x.to_json() for x in self.reaction_excluded]
        data["compliance_excluded"] = [x.to_json() for x in self.compliance_excluded]
        data["time_basis"] = TIME_BASIS
        return data


#: What each time figure counts: the SLA's working time or plain time by the clock.
TIME_BASIS = {
    "first_reaction_median_minutes": "working", "first_reaction_p90_minutes": "working",
    "first_reaction_median_clock_minutes": "clock", "first_reaction_p90_clock_minutes": "clock",
    "remaining_minutes": "working", "remaining_clock_minutes": "clock", "forecast_hours": "working",
}


def _bounds(ws: Workspace, start: date, end: date) -> tuple[datetime, datetime]:
    tz = times.viewer_tz()  # the period is the agent's days
    return (datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz))


#: The parts of a dashboard's build, each reported by ``progress(done, BUILD_STEPS)``.
BUILD_STEPS = 6


def build_dashboard(ws: Workspace, start: date, end: date, forecast_hours: int = 8,
                    progress: Callable[[int, int], object] | None = None) -> Dashboard:
    """The dashboard's numbers; ``progress(done, total)`` after each of its parts (on 100,000
    tickets the risk and reaction passes take seconds: the window shows how far it is)."""

    def step(done: int) -> None:
        if progress is not None:
            progress(done, BUILD_STEPS)

    now = ws.now()
    lo, hi = _bounds(ws, start, end)
    dash = Dashboard(start=start, end=end, now=now.isoformat(), forecast_hours=forecast_hours)
    open_values = [s.value for s in OPEN_STATUSES]
    step(0)
    with ws.db.reading() as s:
        _backlog(s, dash, open_values)
        step(1)
        book = load_sla_book(s)
        dash.counts = counts_in(s, ws, now, book=book)
        risk = dashboard_sla.risk(s, book, now, forecast_hours)
        dash.breached, dash.at_risk, dash.forecast = risk.breached, risk.at_risk, risk.forecast
        step(2)
        _reactions(dash, dashboard_sla.reactions(s, book, lo, hi, now))
        step(3)
        day_counts: Counter[str] = Counter()
        for (received,) in s.execute(select(Ticket.received_at).where(Ticket.received_at >= lo, Ticket.received_at < hi)):
            day_counts[received.astimezone(lo.tzinfo).date().isoformat()] += 1
        day = start
        while day <= end:
            dash.incoming_per_day.append((day.isoformat(), day_counts.get(day.isoformat(), 0)))
            day += timedelta(days=1)
        step(4)
        dash.acts_awaiting = [
            {"number": a.number, "tid": tid, "sent_at": a.sent_at.isoformat() if a.sent_at else None,
             "expires_at": a.expires_at.isoformat() if a.expires_at else None, "status": a.status}
            for a, tid in s.execute(select(Act, Ticket.tid).join(Ticket, Ticket.id == Act.ticket_id)
                                    .where(Act.status.in_(("sent", "follow_up"))).order_by(Act.expires_at))
        ]
        dash.rework_due = [
            {"tid": tid, "act": number, "description": r.description, "deadline_at": r.deadline_at.isoformat(),
             "state": rework_clock(r.deadline_at, None, now).status, "assignee": login}
            for r, tid, number, login in s.execute(
                select(ReworkItem, Ticket.tid, Act.number, Agent.login)
                .join(Ticket, Ticket.id == ReworkItem.ticket_id).join(Act, Act.id == ReworkItem.act_id)
                .outerjoin(Agent, Agent.id == Ticket.assignee_id)
                .where(ReworkItem.done_at.is_(None)).order_by(ReworkItem.deadline_at, ReworkItem.id))
        ]
        step(5)
        dash.auto_closed_inactive = int(s.scalar(
            select(func.count(HistoryEvent.id)).where(
                HistoryEvent.action == "status", HistoryEvent.new == Status.INACTIVE.value,
                HistoryEvent.at >= lo, HistoryEvent.at < hi)) or 0)
        dash.refusals_by_reason = {
            str(k): int(v) for k, v in s.execute(
                select(Ticket.reason_code, func.count(Ticket.id))
                .where(Ticket.status == Status.REFUSED.value, Ticket.closed_at >= lo, Ticket.closed_at < hi)
                .group_by(Ticket.reason_code)).all()}
    step(BUILD_STEPS)
    return dash


def _backlog(s: Session, dash: Dashboard, open_values: list[str]) -> None:
    """Open tickets by status, department and assignee from one grouped pass (served by the
    ``ix_tickets_backlog`` index alone), named through the two small tables."""
    departments: dict[int | None, str] = {i: c for i, c in s.execute(select(Department.id, Department.code))}
    agents: dict[int | None, str] = {i: login for i, login in s.execute(select(Agent.id, Agent.login))}
    by_status: Counter[str] = Counter()
    by_department: Counter[str] = Counter()
    by_agent: Counter[str] = Counter()
    for status, department_id, assignee_id, n in s.execute(
            select(Ticket.status, Ticket.department_id, Ticket.assignee_id, func.count())
            .where(Ticket.status.in_(open_values))
            .group_by(Ticket.status, Ticket.department_id, Ticket.assignee_id)):
        by_status[status] += n
        by_department[departments.get(department_id) or "—"] += n
        by_agent[agents.get(assignee_id) or "unassigned"] += n
    dash.backlog_by_status = dict(by_status)
    dash.backlog_by_department = dict(by_department)
    dash.backlog_by_agent = dict(by_agent)


def _reactions(dash: Dashboard, r: dashboard_sla.Reactions) -> None:
    dash.reactions_measured = r.measured
    dash.first_reaction_median_minutes, dash.first_reaction_p90_minutes = r.median_working, r.p90_working
    dash.first_reaction_median_clock_minutes, dash.first_reaction_p90_clock_minutes = r.median_clock, r.p90_clock
    dash.sla_met, dash.sla_missed, dash.sla_compliance_pct = r.met, r.missed, r.pct
    dash.received_in_period = r.received
    dash.reaction_excluded, dash.compliance_excluded = r.median_excluded, r.compliance_excluded


def dash_now(dash: Dashboard) -> datetime:
    return datetime.fromisoformat(dash.now)


SECTIONS = ("backlog", "at_risk", "breached", "forecast", "incoming", "acts", "rework", "refusals", "reactions")


def reaction_rows(dash: Dashboard) -> list[list[Any]]:
    """The reaction figures as CSV rows: each number with its basis, then what it left out."""
    rows: list[list[Any]] = [
        ["received_in_period", "", dash.received_in_period, "tickets", ""],
        ["first_reaction_median", "working", dash.first_reaction_median_minutes, "minutes", ""],
        ["first_reaction_median", "clock", dash.first_reaction_median_clock_minutes, "minutes", ""],
        ["first_reaction_p90", "working", dash.first_reaction_p90_minutes, "minutes", ""],
        ["first_reaction_p90", "clock", dash.first_reaction_p90_clock_minutes, "minutes", ""],
        ["reactions_measured", "", dash.reactions_measured, "tickets", ""],
        ["sla_compliance_pct", "", dash.sla_compliance_pct, "percent", ""],
        ["sla_met", "", dash.sla_met, "tickets", ""],
        ["sla_missed", "", dash.sla_missed, "tickets", ""],
    ]
    for figure, excluded in (("first_reaction_median", dash.reaction_excluded),
                             ("sla_compliance_pct", dash.compliance_excluded)):
        for x in excluded:
            rows.append([f"{figure}.excluded.{x.key}", "", x.tickets, "tickets", x.why])
            if x.working_minutes is not None:
                rows.append([f"{figure}.excluded.{x.key}", "working", x.working_minutes, "minutes", x.why])
    return rows


def export_csv(dash: Dashboard, folder: Path) -> list[Path]:
    """One CSV per section (R-LEAD-2), UTF-8 with BOM so spreadsheet programs read Cyrillic."""
    folder.mkdir(parents=True, exist_ok=True)
    risk_head = ["tid", "subject", "status", "assignee", "plan", "target", "deadline",
                 "remaining_working_minutes", "remaining_clock_minutes"]
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "backlog": (["group", "key", "count"],
                    [["status", k, v] for k, v in dash.backlog_by_status.items()]
                    + [["department", k, v] for k, v in dash.backlog_by_department.items()]
                    + [["agent", k, v] for k, v in dash.backlog_by_agent.items()]),
        "at_risk": (risk_head, [list(vars(r).values()) for r in dash.at_risk]),
        "breached": (risk_head, [list(vars(r).values()) for r in dash.breached]),
        "forecast": (risk_head, [list(vars(r).values()) for r in dash.forecast]),
        "incoming": (["date", "tickets"], [list(x) for x in dash.incoming_per_day]),
        "acts": (["number", "tid", "sent_at", "expires_at", "status"],
                 [list(a.values()) for a in dash.acts_awaiting]),
        "rework": (["tid", "act", "description", "deadline_at", "state", "assignee"],
                   [list(r.values()) for r in dash.rework_due]),
        "refusals": (["reason", "tickets"], [list(x) for x in dash.refusals_by_reason.items()]),
        "reactions": (["figure", "basis", "value", "unit", "why"], reaction_rows(dash)),
    }
    out = []
    for name in SECTIONS:
        head, rows = tables[name]
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(head)
            writer.writerows(rows)
        out.append(path)
    return out
