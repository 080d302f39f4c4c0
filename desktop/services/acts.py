"""Acceptance acts as use cases (R-ACT-1..4, R-AUTO-2): issue, send, accept, refuse, rework.

Numbers come from a counter in the same transaction as the act row, so they are unique across
workstations and never reused (a number once given stays with its act even if it is later
refused). Re-issuing an act that was not yet answered re-renders it under the same number instead
of burning a new one. Rendered files are stored as blobs and also written where the user asked.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import settings
from desktop.acts.model import ActData, BankDetails, Party, WorkItem, format_act_number, to_kopecks
from desktop.acts.model import ReworkItem as ReworkLine
from desktop.domain.lifecycle import ACT_START, OPEN_ACT_STATUSES, ActStatus, move_act
from desktop.domain.rework import ReworkClock, rework_clock, rework_deadline, rework_text
from desktop.domain.tickets import Flag, Status
from desktop.domain.timers import AcceptanceSettings, acceptance_expires_at
from desktop.errors import ConfigError, NotFound, ValidationError
from desktop.mail.templates import client_time
from desktop.services.tickets.lifecycle import set_status_in
from desktop.services.upkeep.deadlines import calendar_of
from desktop.services.upkeep.history import record
from desktop.services.upkeep.lookup import get_ticket, touch
from desktop.services.upkeep.outgoing import OutgoingFile, queue_mail, ticket_language
from desktop.services.workspace import Workspace
from desktop.store.models import Act, Client, Plan, ReworkItem, Ticket, WorkLog
from desktop.store.sequences import next_value

Format = Literal["pdf", "docx"]


@dataclass(frozen=True)
class IssuedAct:
    number: str
    kind: str
    path: Path


def _executor(ws: Workspace, s: Session) -> Party:
    e = ws.setting(settings.EXECUTOR, s)
    bank = (BankDetails(bank_name=e.bank_name, bik=e.bik, account=e.account,
                        correspondent_account=e.correspondent_account) if e.account else None)
    return Party(
        name=e.name, inn=e.inn, kpp=e.kpp or None, ogrn=e.ogrn or None, address=e.address,
        signatory_name=e.signatory, signatory_position=e.signatory_position, bank=bank,
    )


def _customer(client: Client) -> Party:
    return Party(
        name=client.name, inn=client.inn or "", kpp=client.kpp, address=client.address or "",
        signatory_name=client.signatory or "—", signatory_position=client.signatory_position or "",
    )


def _works(s: Session, ticket: Ticket, hour_rate: Decimal | None = None) -> list[WorkItem]:
    """The act's lines; paid work without an amount of its own costs its time at the hour rate."""
    rows = s.scalars(select(WorkLog).where(WorkLog.ticket_id == ticket.id).order_by(WorkLog.at, WorkLog.id)).all()

    def amount(w: WorkLog) -> Decimal | None:
        if not ticket.paid:
            return None
        if w.amount is None and hour_rate is not None:
            return to_kopecks(hour_rate * Decimal(w.minutes) / Decimal(60))
        return w.amount

    return [
        WorkItem(
            description=w.description, tid=ticket.tid,
            hours=(Decimal(w.minutes) / Decimal(60)).quantize(Decimal("0.01")),
            amount=amount(w),
        )
        for w in rows
    ]


def _client_of(s: Session, ticket: Ticket) -> Client:
    client = s.get(Client, ticket.client_id) if ticket.client_id else None
    if client is None:
        raise ValidationError("{tid} has no identified client; an act needs a customer", tid=ticket.tid)
    if not client.contract_no:
        raise ValidationError("the client {name!r} has no contract number; add it to the client card", name=client.name)
    return client


def _allocate_number(ws: Workspace, s: Session, today: date) -> tuple[str, int]:
    pattern = ws.setting(settings.ACT_NUMBER_PATTERN, s)
    counter = f"act-{today.year}" if "{year" in pattern else "act"
    seq = next_value(s, counter)
    return format_act_number(pattern, seq, today), seq


def _vat(ws: Workspace, s: Session) -> Decimal | None:
    return ws.setting(settings.VAT_RATE, s)


def _render(act: ActData, fmt: Format) -> bytes:
    with tempfile.TemporaryDirectory(prefix="reglament-act-") as tmp:
        target = Path(tmp) / f"act.{fmt}"
        if fmt == "pdf":
            from desktop.acts.render_pdf import render_pdf

            render_pdf(act, target)
        else:
            from desktop.acts.render_docx import render_docx

            render_docx(act, target)
        return target.read_bytes()


def _write_out(ws: Workspace, number: str, fmt: Format, data: bytes, out_dir: Path | None) -> Path:
    folder = Path(out_dir) if out_dir else ws.paths.exports
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number)
    path = folder / f"act-{safe}.{fmt}"
    path.write_bytes(data)
    return path


def _latest(s: Session, ticket: Ticket, kind: str | None = "acceptance") -> Act | None:
    q = select(Act).where(Act.ticket_id == ticket.id)
    if kind:
        q = q.where(Act.kind == kind)
    return s.scalar(q.order_by(Act.id.desc()).limit(1))


def issue_act(ws: Workspace, tid: str, fmt: Format = "pdf", out_dir: Path | None = None) -> IssuedAct:
    """Generate (or re-render, while unanswered) the acceptance act of a ticket."""
    if fmt not in ("pdf", "docx"):
        raise ValidationError("acts are made as pdf or docx, not {fmt!r}", fmt=fmt)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        client = _client_of(s, t)
        works = _works(s, t, ws.setting(settings.HOUR_RATE, s))
        if not works:
            raise ValidationError("log the work done on {tid} before issuing its act", tid=t.tid)
        today = ws.now().astimezone(calendar_of(s, s.get(Plan, t.plan_id) if t.plan_id else None).tz).date()
        act = _latest(s, t)
        if act is None or act.status not in OPEN_ACT_STATUSES:
            number, seq = _allocate_number(ws, s, today)
            act = Act(number=number, seq=seq, kind="acceptance", ticket_id=t.id, act_date=today,
                      language=ticket_language(s, ws, t), status=ACT_START.value, created_at=ws.now(),
                      created_by=ws.actor)
            s.add(act)
            s.flush()
            record(s, t, ws.now(), ws.actor, "act_issued", None, None, number)
        data = ActData(
            kind="acceptance", number=act.number, date=act.act_date, executor=_executor(ws, s),
            customer=_customer(client), contract_no=client.contract_no or "",
            contract_date=client.contract_date, language=act.language,  # type: ignore[arg-type]
            tids=[t.tid], works=works, paid=t.paid, vat=_vat(ws, s),
            approval_days=int(ws.setting("acceptance.window_days", s)),
        )
        blob = _render(data, fmt)
        sha = ws.blobs.put(blob)
        if fmt == "pdf":
            act.pdf_sha256 = sha
        else:
            act.docx_sha256 = sha
        act.works = [{"description": w.description, "hours": str(w.hours),
                      "amount": None if w.amount is None else str(w.amount)} for w in works]
        act.total = data.total if t.paid else None
        return IssuedAct(act.number, act.kind, _write_out(ws, act.number, fmt, blob, out_dir))


def send_act(ws: Workspace, tid: str) -> str:
    """Mail the act (PDF attached) to the client; the acceptance window starts (R-ACT-2)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        act = _latest(s, t)
        if act is None or act.status not in OPEN_ACT_STATUSES or not act.pdf_sha256:
            raise ValidationError("issue the act of {tid} as PDF before sending it", tid=t.tid)
        lang = ticket_language(s, ws, t)
        cal = calendar_of(s, s.get(Plan, t.plan_id) if t.plan_id else None)
        settings = acceptance_settings(ws, s)
        expires = acceptance_expires_at(settings, cal, ws.now())
        local = client_time(expires, cal.tz, cal.timezone, lang)
        if lang == "ru":
            subject = f"Акт сдачи-приёмки № {act.number}"
            text = (f"Здравствуйте!\n\nНаправляем акт сдачи-приёмки работ № {act.number} по обращению "
                    f"{t.tid}. Просим подписать акт или направить мотивированный отказ до {local}.\n\n"
                    "Служба технической поддержки")
        else:
            subject = f"Acceptance certificate No. {act.number}"
            text = (f"Hello,\n\nPlease find attached acceptance certificate No. {act.number} for ticket "
                    f"{t.tid}. Please sign it or send a reasoned refusal by {local}.\n\nTechnical support")
        pdf = ws.blobs.get(act.pdf_sha256)
        queue_mail(s, ws, t, "act", subject, text,
                   files=[OutgoingFile(f"act-{act.number}.pdf", "application/pdf", pdf)])
        move_act(act, ActStatus.SENT)
        act.sent_at, act.expires_at = ws.now(), expires
        record(s, t, ws.now(), ws.actor, "act_sent", None, None, act.number, expires_at=expires.isoformat())
        return act.number


def accept_act(ws: Workspace, tid: str) -> str:
    """The client signed: the act is accepted and the resolved ticket closes (R-ACT-3)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        act = _latest(s, t)
        if act is None or act.status not in OPEN_ACT_STATUSES:
            raise ValidationError("{tid} has no act awaiting acceptance", tid=t.tid)
        move_act(act, ActStatus.ACCEPTED)
        act.answered_at = ws.now()
        t.flags = [f for f in t.flags if f != Flag.ACT_OVERDUE.value]
        record(s, t, ws.now(), ws.actor, "act_accepted", None, None, act.number)
        if t.status == Status.RESOLVED.value:
            set_status_in(s, ws, t, Status.CLOSED, ws.actor, trigger="act_accepted")
        return act.number


def refuse_act(
    ws: Workspace, tid: str, reasons: Sequence[str], rework: Sequence[tuple[str, date]],
    fmt: Format = "pdf", out_dir: Path | None = None,
) -> IssuedAct:
    """A motivated refusal: a bilateral act lists the rework and its deadlines; back to work."""
    reasons = [r.strip() for r in reasons if r.strip()]
    if not reasons:
        raise ValidationError("a refusal must say why (at least one reason)")
    if not rework:
        raise ValidationError("list the rework items agreed with the client, each with a deadline")
    for n, (description, _deadline) in enumerate(rework, start=1):
        if not description.strip():
            raise ValidationError("rework item {n} says nothing to do: describe it", n=n)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        client = _client_of(s, t)
        act = _latest(s, t)
        if act is None or act.status not in OPEN_ACT_STATUSES:
            raise ValidationError("{tid} has no act awaiting acceptance", tid=t.tid)
        cal = calendar_of(s, s.get(Plan, t.plan_id) if t.plan_id else None)
        today = ws.now().astimezone(cal.tz).date()
        for _, deadline in rework:
            if deadline < today:
                raise ValidationError("the rework deadline {deadline} is in the past", deadline=deadline.isoformat())
        move_act(act, ActStatus.REFUSED)
        act.answered_at, act.refusal_reasons = ws.now(), reasons
        number, seq = _allocate_number(ws, s, today)
        bilateral = Act(number=number, seq=seq, kind="bilateral", ticket_id=t.id, previous_act_id=act.id,
                        act_date=today, language=act.language, status=ACT_START.value, refusal_reasons=reasons,
                        created_at=ws.now(), created_by=ws.actor)
        s.add(bilateral)
        s.flush()
        for description, deadline in rework:
            # due at the end of the agreed day in the plan's zone (desktop.domain.rework)
            s.add(ReworkItem(act_id=bilateral.id, ticket_id=t.id, description=description.strip(),
                             deadline_at=rework_deadline(deadline, cal.tz)))
        data = ActData(
            kind="bilateral", number=number, date=today, executor=_executor(ws, s),
            customer=_customer(client), contract_no=client.contract_no or "",
            contract_date=client.contract_date, language=act.language,  # type: ignore[arg-type]
            tids=[t.tid], refusal_reasons=reasons,
            rework=[ReworkLine(description=d, deadline=dl) for d, dl in rework],
            previous_act_number=act.number, previous_act_date=act.act_date,
        )
        blob = _render(data, fmt)
        if fmt == "pdf":
            bilateral.pdf_sha256 = ws.blobs.put(blob)
        else:
            bilateral.docx_sha256 = ws.blobs.put(blob)
        record(s, t, ws.now(), ws.actor, "act_refused", None, act.number, number, reasons=reasons)
        if t.status in (Status.RESOLVED.value, Status.CLOSED.value):
            set_status_in(s, ws, t, Status.IN_PROGRESS, ws.actor, trigger="act_refused")
        return IssuedAct(number, "bilateral", _write_out(ws, number, fmt, blob, out_dir))


def save_act(ws: Workspace, tid: str, fmt: Format, target: Path) -> IssuedAct:
    """The ticket's newest act (acceptance or bilateral) as a file at ``target``, PDF or DOCX.

    The stored rendering is written when the act was made in that format; otherwise it is
    rendered now from what the act says — the same number, date, works and rework, so the DOCX
    matches the PDF the client got — and kept. A ticket without any act has its acceptance act
    issued (:func:`issue_act`)."""
    if fmt not in ("pdf", "docx"):
        raise ValidationError("acts are made as pdf or docx, not {fmt!r}", fmt=fmt)
    target = Path(target)
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        act = _latest(s, t, kind=None)
        if act is not None:
            sha = act.pdf_sha256 if fmt == "pdf" else act.docx_sha256
            if sha is None:
                sha = ws.blobs.put(_render(_stored_data(ws, s, act, t), fmt))
                if fmt == "pdf":
                    act.pdf_sha256 = sha
                else:
                    act.docx_sha256 = sha
            number, kind, data = act.number, act.kind, ws.blobs.get(sha)
    if act is None:
        with tempfile.TemporaryDirectory(prefix="reglament-act-") as tmp:
            issued = issue_act(ws, tid, fmt, Path(tmp))
            number, kind, data = issued.number, issued.kind, issued.path.read_bytes()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return IssuedAct(number, kind, target)


def _stored_data(ws: Workspace, s: Session, act: Act, t: Ticket) -> ActData:
    """What an act said when it was made, from its row (the works as issued, the rework agreed)."""
    client = _client_of(s, t)
    common: dict[str, Any] = dict(
        number=act.number, date=act.act_date, executor=_executor(ws, s), customer=_customer(client),
        contract_no=client.contract_no or "", contract_date=client.contract_date, language=act.language,
        tids=[t.tid])
    if act.kind == "bilateral":
        cal = calendar_of(s, s.get(Plan, t.plan_id) if t.plan_id else None)
        previous = s.get(Act, act.previous_act_id) if act.previous_act_id else None
        items = s.scalars(select(ReworkItem).where(ReworkItem.act_id == act.id)
                          .order_by(ReworkItem.deadline_at, ReworkItem.id))
        return ActData(kind="bilateral", refusal_reasons=list(act.refusal_reasons or ()),
                       rework=[ReworkLine(description=r.description, deadline=r.deadline_at.astimezone(cal.tz).date())
                               for r in items],
                       previous_act_number=previous.number if previous else None,
                       previous_act_date=previous.act_date if previous else None, **common)
    works = [WorkItem(description=str(w["description"]), tid=t.tid, hours=Decimal(str(w["hours"])),
                      amount=None if w.get("amount") is None else Decimal(str(w["amount"])))
             for w in (act.works or ())]
    return ActData(kind="acceptance", works=works, paid=act.total is not None, vat=_vat(ws, s),
                   approval_days=int(ws.setting("acceptance.window_days", s)), **common)


@dataclass(frozen=True)
class ReworkState:
    id: int
    description: str
    deadline_at: datetime
    done_at: datetime | None
    status: str  # ok | warning | breached | done | done_late
    remaining: timedelta

    def label(self, lang: str = "ru") -> str:
        return rework_text(ReworkClock(self.status, self.remaining), lang)


def rework_items(ws: Workspace, tid: str) -> list[ReworkState]:
    """The rework deadlines of a ticket, shown and coloured like SLA countdowns."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        now = ws.now()
        out = []
        for r in s.scalars(select(ReworkItem).where(ReworkItem.ticket_id == t.id)
                           .order_by(ReworkItem.deadline_at, ReworkItem.id)):
            clock = rework_clock(r.deadline_at, r.done_at, now)
            out.append(ReworkState(r.id, r.description, r.deadline_at, r.done_at, clock.status, clock.remaining))
        return out


def complete_rework(ws: Workspace, item_id: int, tid: str | None = None) -> str:
    """Mark a rework item done (once; again changes nothing); returns its description. With
    ``tid`` the item must be one of that ticket's (a script's typo must not close another's)."""
    with ws.db.session() as s:
        item = s.get(ReworkItem, item_id)
        t = s.get(Ticket, item.ticket_id) if item is not None else None
        if item is None or t is None:
            raise NotFound("there is no rework item {item_id}", item_id=item_id)
        if tid is not None and t.id != get_ticket(s, ws, tid).id:
            raise NotFound("there is no rework item {item_id} on {tid}", item_id=item_id, tid=tid.upper())
        if item.done_at is None:
            item.done_at = ws.now()
            touch(t, ws.now())
            record(s, t, ws.now(), ws.actor, "rework_done", None, None, item.description,
                   deadline_at=item.deadline_at.isoformat())
        return item.description


def acts_of(ws: Workspace, tid: str) -> list[dict[str, object]]:
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        return [
            {"number": a.number, "kind": a.kind, "status": a.status, "date": a.act_date.isoformat(),
             "sent_at": a.sent_at.isoformat() if a.sent_at else None,
             "expires_at": a.expires_at.isoformat() if a.expires_at else None,
             "total": None if a.total is None else str(a.total), "pdf_sha256": a.pdf_sha256}
            for a in s.scalars(select(Act).where(Act.ticket_id == t.id).order_by(Act.id))
        ]


def acceptance_settings(ws: Workspace, s: Session) -> AcceptanceSettings:
    try:
        return AcceptanceSettings(
            window_days=int(ws.setting("acceptance.window_days", s)),
            unit=ws.setting("acceptance.unit", s),
            policy=ws.setting("acceptance.policy", s),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError("the acceptance settings (acceptance.*) are invalid: {exc}", exc=exc) from None
