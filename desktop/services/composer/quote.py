"""The message being answered, quoted under the reply as mail clients do.

"On 7 Dec 2026 at 10:15 (MSK), Maria Petrova wrote:" and each line of the message with "> " —
in the language the reply's mail goes out in (the client's, as the templates are chosen), with
the time in the zone of the client's plan calendar, named, because the client reads it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar_spec import CalendarError, parse_timezone
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.upkeep.outgoing import ticket_language
from desktop.services.workspace import Workspace
from desktop.store.models import Calendar, Message, Plan, Ticket

#: Lines of the answered message quoted at most (a 5,000-line log pasted by a client is not
#: worth sending back); the cut is said in the quote.
MAX_LINES = 200

_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")
#: Zone abbreviations as a Russian reader writes them.
_ZONES_RU = {"MSK": "МСК", "UTC": "UTC"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Quote:
    """The quote block, ready to append under the reply; empty text when there is nothing."""

    message_id: int | None
    language: str
    header: str
    text: str

    @property
    def block(self) -> str:
        return f"{self.header}\n{self.text}" if self.header else ""


def zone_label(zone: tzinfo, at: datetime) -> str:
    """"MSK" for Moscow, "UTC+06:00" for a fixed offset: how the client reads the zone."""
    name = at.tzname() or ""
    if name and not name.startswith(("+", "-")) and name != "UTC":
        return name
    offset = at.utcoffset()
    if offset is None or not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def wrote_line(language: str, when: datetime, zone: tzinfo, who: str) -> str:
    at = when.astimezone(zone)
    label = zone_label(zone, at)
    if language == "ru":
        label = _ZONES_RU.get(label, label)
        return f"{at.day} {_MONTHS_RU[at.month - 1]} {at.year} г. в {at:%H:%M} ({label}), {who} пишет:"
    return f"On {at.day} {_MONTHS_EN[at.month - 1]} {at.year} at {at:%H:%M} ({label}), {who} wrote:"


def quoted_lines(text: str, max_lines: int = MAX_LINES) -> str:
    lines = text.replace("\r\n", "\n").strip("\n").split("\n")
    cut = len(lines) > max_lines
    out = [(">" + (" " + line if line and not line.startswith(">") else line)) for line in lines[:max_lines]]
    if cut:
        out.append("> […]")
    return "\n".join(out)


def quote_for(ws: Workspace, tid: str) -> Quote:
    """The quote of the message being answered (see :func:`quote_in`)."""
    with ws.db.reading() as s:
        return quote_in(s, ws, get_ticket(s, ws, tid))


def quote_in(s: Session, ws: Workspace, t: Ticket) -> Quote:
    """:func:`quote_for` in the caller's session (sending reads it where it stores the reply).

    The message answered is the client's newest (not our own acknowledgement or notice that
    may have followed it); a ticket the team opened, with nothing from the client yet, quotes
    the team's newest message."""
    lang = ticket_language(s, ws, t)
    msg = None
    for directions in (("in",), ("out",)):
        msg = s.scalar(
            select(Message).where(Message.ticket_id == t.id, Message.direction.in_(directions))
            .order_by(Message.received_at.desc(), Message.id.desc()).limit(1)
        )
        if msg is not None:
            break
    if msg is None or not (msg.text or "").strip():
        return Quote(None, lang, "", "")
    zone: tzinfo = UTC
    plan = s.get(Plan, t.plan_id) if t.plan_id else None
    cal = s.get(Calendar, plan.calendar_id) if plan is not None else None
    try:
        zone = parse_timezone(str((cal.spec if cal else {}).get("timezone") or "Europe/Moscow"))
    except CalendarError:
        zone = UTC
    who = (msg.from_name or msg.from_addr or "").strip() or ("клиент" if lang == "ru" else "the client")
    when = msg.sent_date or msg.received_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return Quote(msg.id, lang, wrote_line(lang, when, zone, who), quoted_lines(msg.text))


def with_quote(body: str, quote: Quote | None) -> str:
    """The reply's text as sent: what the agent wrote, then the quote (when on)."""
    if quote is None or not quote.block:
        return body
    return f"{body.rstrip()}\n\n{quote.block}\n"
