"""The team lead's numbers (R-LEAD-1, R-LEAD-2): backlog, risk, reaction times, compliance.

Counts are grouped in SQL; per-ticket working-time figures (first reaction, forecast) use each
plan's calendar, so "reaction time" means working time exactly as the SLA counts it. Lists are
never capped: a lead sees every ticket at risk, not the first hundred.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.tickets import OPEN_STATUSES, Status
from desktop.services.upkeep.deadlines import calendar_of, state_of
from desktop.services.workspace import Workspace
from desktop.store.models import Act, Agent, Department, HistoryEvent, Plan, Ticket


@dataclass(frozen=True)
class RiskRow:
    tid: str
    subject: str
    status: str
    assignee: str | None
    plan: str | None
    kind: str
    deadline: str
    remaining_minutes: int


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
    first_reaction_median_minutes: float | None = None
    first_reaction_p90_minutes: float | None = None
    reactions_measured: int = 0
    sla_met: int = 0
    sla_missed: int = 0
    sla_compliance_pct: float | None = None
    incoming_per_day: list[tuple[str, int]] = field(default_factory=list)
    acts_awaiting: list[dict[str, Any]] = field(default_factory=list)
    auto_closed_inactive: int = 0
    refusals_by_reason: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data


def _bounds(ws: Workspace, start: date, end: date) -> tuple[datetime, datetime]:
    tz = ws.now().astimezone().tzinfo
    return (datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def build_dashboard(ws: Workspace, start: date, end: date, forecast_hours: int = 8) -> Dashboard:
    now = ws.now()
    lo, hi = _bounds(ws, start, end)
    dash = Dashboard(start=start, end=end, now=now.isoformat(), forecast_hours=forecast_hours)
    open_values = [s.value for s in OPEN_STATUSES]
    with ws.db.session() as s:
        dash.backlog_by_status = {
            k: int(v) for k, v in s.execute(
                select(Ticket.status, func.count(Ticket.id)).where(Ticket.status.in_(open_values))
                .group_by(Ticket.status)).all()}
        dash.backlog_by_department = {
            (k or "—"): int(v) for k, v in s.execute(
                select(Department.code, func.count(Ticket.id)).outerjoin(Department, Department.id == Ticket.department_id)
                .where(Ticket.status.in_(open_values)).group_by(Department.code)).all()}
        dash.backlog_by_agent = {
            (k or "unassigned"): int(v) for k, v in s.execute(
                select(Agent.login, func.count(Ticket.id)).outerjoin(Agent, Agent.id == Ticket.assignee_id)
                .where(Ticket.status.in_(open_values)).group_by(Agent.login)).all()}
        _risk(s, ws, dash, open_values, now, forecast_hours)
        _reactions(s, dash, lo, hi)
        day_counts: Counter[str] = Counter()
        for (received,) in s.execute(select(Ticket.received_at).where(Ticket.received_at >= lo, Ticket.received_at < hi)):
            day_counts[received.astimezone(lo.tzinfo).date().isoformat()] += 1
        day = start
        while day <= end:
            dash.incoming_per_day.append((day.isoformat(), day_counts.get(day.isoformat(), 0)))
            day += timedelta(days=1)
        dash.acts_awaiting = [
            {"number": a.number, "tid": tid, "sent_at": a.sent_at.isoformat() if a.sent_at else None,
             "expires_at": a.expires_at.isoformat() if a.expires_at else None, "status": a.status}
            for a, tid in s.execute(select(Act, Ticket.tid).join(Ticket, Ticket.id == Act.ticket_id)
                                    .where(Act.status.in_(("sent", "follow_up"))).order_by(Act.expires_at))
        ]
        dash.auto_closed_inactive = int(s.scalar(
            select(func.count(HistoryEvent.id)).where(
                HistoryEvent.action == "status", HistoryEvent.new == Status.INACTIVE.value,
                HistoryEvent.at >= lo, HistoryEvent.at < hi)) or 0)
        dash.refusals_by_reason = {
            str(k): int(v) for k, v in s.execute(
                select(Ticket.reason_code, func.count(Ticket.id))
                .where(Ticket.status == Status.REFUSED.value, Ticket.closed_at >= lo, Ticket.closed_at < hi)
                .group_by(Ticket.reason_code)).all()}
    return dash


def _risk(s: Session, ws: Workspace, dash: Dashboard, open_values: list[str], now: datetime,
          hours: int) -> None:
    rows = s.execute(
        select(Ticket, Agent.login, Plan.code).outerjoin(Agent, Agent.id == Ticket.assignee_id)
        .outerjoin(Plan, Plan.id == Ticket.plan_id).where(Ticket.status.in_(open_values))
        .order_by(Ticket.received_at)).all()
    horizon: dict[int | None, datetime] = {}
    for t, login, plan_code in rows:
        sla = state_of(s, t, now)
        if t.plan_id not in horizon:
            horizon[t.plan_id] = sla.calendar.add(now, timedelta(hours=hours))
        for kind, st in sla.states.items():
            row = RiskRow(t.tid, t.subject, t.status, login, plan_code, kind,
                          st.deadline.isoformat(), int(st.remaining.total_seconds() // 60))
            if st.status == "breached":
                dash.breached.append(row)
            elif st.status == "warning":
                dash.at_risk.append(row)
            if st.status in ("ok", "warning") and st.deadline <= horizon[t.plan_id]:
                dash.forecast.append(row)
    dash.forecast.sort(key=lambda r: r.deadline)


def _reactions(s: Session, dash: Dashboard, lo: datetime, hi: datetime) -> None:
    minutes: list[float] = []
    calendars: dict[int | None, WorkingCalendar] = {}
    met = missed = 0
    for t in s.scalars(select(Ticket).where(Ticket.received_at >= lo, Ticket.received_at < hi)):
        if t.plan_id not in calendars:
            calendars[t.plan_id] = calendar_of(s, s.get(Plan, t.plan_id) if t.plan_id else None)
        cal = calendars[t.plan_id]
        if t.first_reply_at is not None:
            minutes.append(cal.between(t.received_at, t.first_reply_at).total_seconds() / 60)
        st = state_of(s, t, dash_now(dash)).states.get("reaction")
        if st is None:
            continue
        if st.status == "met":
            met += 1
        elif st.status in ("missed", "breached"):
            missed += 1
    dash.reactions_measured = len(minutes)
    if minutes:
        dash.first_reaction_median_minutes = round(statistics.median(minutes), 1)
        dash.first_reaction_p90_minutes = round(_percentile(minutes, 90), 1)
    dash.sla_met, dash.sla_missed = met, missed
    if met + missed:
        dash.sla_compliance_pct = round(100 * met / (met + missed), 1)


def dash_now(dash: Dashboard) -> datetime:
    return datetime.fromisoformat(dash.now)


SECTIONS = ("backlog", "at_risk", "breached", "forecast", "incoming", "acts", "refusals")


def export_csv(dash: Dashboard, folder: Path) -> list[Path]:
    """One CSV per section (R-LEAD-2), UTF-8 with BOM so spreadsheet programs read Cyrillic."""
    folder.mkdir(parents=True, exist_ok=True)
    risk_head = ["tid", "subject", "status", "assignee", "plan", "target", "deadline", "remaining_minutes"]
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "backlog": (["group", "key", "count"],
                    [["status", k, v] for k, v in dash.backlog_by_status.items()]
                    + [["department", k, v] for k, v in dash.backlog_by_department.items()]
                    + [["agent", k, v] for k, v in dash.backlog_by_agent.items()]),
        "at_risk": (risk_head, [list(asdict(r).values()) for r in dash.at_risk]),
        "breached": (risk_head, [list(asdict(r).values()) for r in dash.breached]),
        "forecast": (risk_head, [list(asdict(r).values()) for r in dash.forecast]),
        "incoming": (["date", "tickets"], [list(x) for x in dash.incoming_per_day]),
        "acts": (["number", "tid", "sent_at", "expires_at", "status"],
                 [list(a.values()) for a in dash.acts_awaiting]),
        "refusals": (["reason", "tickets"], [list(x) for x in dash.refusals_by_reason.items()]),
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
