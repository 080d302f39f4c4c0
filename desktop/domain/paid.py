"""Paid or free work (R-TICKET-7): when a ticket looks like paid work, and how that is said.

WebbyMASTER 2.4: a request is paid when it is made outside the working time of 1.4 or after the
client's service ran out *and needs urgent work*, or when the work is not about the client's
services; everything else is free under the client's plan. The working time is the plan's own
calendar (Prem-site's Premium works 11:00–20:00 Moscow on working days; the Priority plan's
calendar is open around the clock, WebbyMASTER 1.4, so nothing sent to it is ever outside its
hours). The system only *suggests*: the agent confirms or clears, and marks work unrelated to
the client's services by hand.

Pure rules: the caller passes the facts (the calendar's verdict, the texts, the dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class PaidBasis(StrEnum):
    """Why work is paid; the strings are part of the CLI's JSON contract (``paid_basis``)."""

    OUTSIDE_HOURS = "outside_hours"  # asked outside the plan's hours, and urgent
    CONTRACT_EXPIRED = "contract_expired"  # asked after the client's service ran out
    UNRELATED = "unrelated"  # not about the client's services
    OTHER = "other"  # the agent's own reason


#: Words by which a client asks for urgent work, in Russian and English ("СРОЧНО!", "urgent",
#: "ASAP", "немедленно"); a denial just before ("не срочно", "not urgent") does not count.
_URGENT = re.compile(
    r"(?<![\w-])(?:(?P<neg>не\s+|not\s+|no\s+)?(?:срочн\w*|urgent\w*|asap|немедленно|безотлагательно"
    r"|как\s+можно\s+скорее|as\s+soon\s+as\s+possible|emergency|аварийн\w*))(?!\w)",
    re.IGNORECASE,
)
#: How much of a message is read for the words: the request is said at its start, and a long
#: quoted history below it must not make an old "срочно" count.
URGENT_SCAN = 2000


def asks_urgency(*texts: str | None) -> bool:
    """Whether the client asks for urgent work in any of ``texts`` (subject, body)."""
    for text in texts:
        if not text:
            continue
        for m in _URGENT.finditer(text[:URGENT_SCAN]):
            if not m.group("neg"):
                return True
    return False


@dataclass(frozen=True)
class PaidFacts:
    """What the suggestion is decided from, gathered by the caller."""

    received_at: datetime
    has_client: bool
    #: The client's service end (``None``: open-ended).
    active_until: date | None
    #: Whether ``received_at`` was inside the plan's working time (the calendar's answer).
    within_hours: bool
    urgent: bool


@dataclass(frozen=True)
class PaidSuggestion:
    basis: PaidBasis
    #: The reason as stored and printed by the CLI (plain English, dates in ISO form).
    reason: str


def suggest_paid(facts: PaidFacts, local_received: datetime | None = None) -> PaidSuggestion | None:
    """The suggestion for a ticket, or ``None`` when its work looks free.

    ``local_received`` is ``received_at`` in the plan's zone, for the reason's words.
    """
    if not facts.has_client:
        return None  # nobody to bill yet: the ticket is "client not identified" first
    asked_on = (local_received or facts.received_at).date()
    if facts.active_until is not None and facts.active_until < asked_on:
        return PaidSuggestion(PaidBasis.CONTRACT_EXPIRED, f"contract expired on {facts.active_until.isoformat()}")
    if not facts.within_hours and facts.urgent:
        at = local_received or facts.received_at
        when = f"{_WEEKDAYS['en'][at.weekday()]} {at:%Y-%m-%d %H:%M} {at.tzname() or ''}".strip()
        return PaidSuggestion(PaidBasis.OUTSIDE_HOURS,
                              f"urgent work asked outside the plan's hours (received {when})")
    return None


_BASIS_WORDS = {
    "en": {
        PaidBasis.OUTSIDE_HOURS: "urgent work asked outside the plan's hours",
        PaidBasis.CONTRACT_EXPIRED: "the client's contract has expired",
        PaidBasis.UNRELATED: "work not related to the client's services",
        PaidBasis.OTHER: "the agent's decision",
    },
    "ru": {
        PaidBasis.OUTSIDE_HOURS: "срочная работа вне часов тарифа",
        PaidBasis.CONTRACT_EXPIRED: "договор клиента истёк",
        PaidBasis.UNRELATED: "работа не связана с услугами клиента",
        PaidBasis.OTHER: "решение сотрудника",
    },
}

_WEEKDAYS = {"en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
             "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс")}


def basis_words(basis: str | None, lang: str) -> str:
    """The basis as a person reads it ("" for none or an unknown one)."""
    code = "ru" if lang.startswith("ru") else "en"
    try:
        return _BASIS_WORDS[code][PaidBasis(basis)] if basis else ""
    except ValueError:
        return ""


def explain_paid(basis: str | None, reason: str, lang: str, *, local_received: datetime | None = None,
                 hours: str = "", active_until: date | None = None) -> str:
    """The paid flag or suggestion in words for the ticket's page: the basis with its facts
    (when the request came and the plan's hours, or when the contract ended); the agent's own
    reason as they wrote it."""
    ru = lang.startswith("ru")
    code = "ru" if ru else "en"
    words = basis_words(basis, lang)
    if basis == PaidBasis.OUTSIDE_HOURS and local_received is not None:
        day = _WEEKDAYS[code][local_received.weekday()]
        at = f"{day} {local_received:%d.%m.%Y %H:%M}"
        got = f"получено {at}" if ru else f"received {at}"
        plan = (f"часы тарифа: {hours}" if ru else f"the plan's hours: {hours}") if hours else ""
        return f"{words} ({got}{'; ' + plan if plan else ''})"
    if basis == PaidBasis.CONTRACT_EXPIRED and active_until is not None:
        return (f"договор клиента истёк {active_until:%d.%m.%Y}" if ru
                else f"the client's contract expired on {active_until:%d.%m.%Y}")
    if basis == PaidBasis.OTHER and reason:
        return reason  # the agent's own words say it all
    if basis in (PaidBasis.UNRELATED, PaidBasis.OTHER) or not words:
        return f"{words}: {reason}" if words and reason else (reason or words)
    return words
