"""The one place a ticket's or an act's status is written (R-TICKET-3, R-ACT-2..3, R-AUTO-1..3).

``tickets.TRANSITIONS`` says which moves a ticket may make; the functions here are the only code
that writes a status, so no path — an agent's click, mail ingest, the archive import, a timer —
can skip the rule. A status is born here too: :func:`ticket_start` says what a new ticket starts
as (an ordinary one NEW, one imported from a mailbox's archive CLOSED), :data:`ACT_START` what a
new act starts as. ``tests/unit/test_lifecycle.py`` reads the engine's source and fails on a
status written anywhere else.

The functions take the record (a store row or any object with a ``status`` string) and change
nothing but its status: the services keep the timestamps, the pauses and the history that go
with each move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from desktop.domain.errors import Bilingual, InvalidTransition
from desktop.domain.tickets import Status, check_transition

__all__ = [
    "ACT_START",
    "ACT_TRANSITIONS",
    "OPEN_ACT_STATUSES",
    "ActStatus",
    "HasStatus",
    "TicketStart",
    "check_act_transition",
    "move_act",
    "move_ticket",
    "ticket_start",
]


class HasStatus(Protocol):
    """A record with a status held as its string value (a store row, a test's stand-in)."""

    @property
    def status(self) -> str: ...

    @status.setter
    def status(self, value: str) -> None: ...


# --- tickets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketStart:
    """How a new ticket begins: its first status, and when it closed if it starts closed."""

    status: Status
    closed_at: datetime | None = None


def ticket_start(received_at: datetime, *, archived: bool = False) -> TicketStart:
    """The first status of a ticket opened from a message received at ``received_at``.

    An ordinary ticket starts NEW. One imported from what a mailbox held before it was connected
    (the archive) was answered long ago outside the product: it starts — and stays — CLOSED, closed
    when its mail arrived, so it never enters the queue's work or the SLA numbers.
    """
    if archived:
        return TicketStart(Status.CLOSED, received_at)
    return TicketStart(Status.NEW)


def move_ticket(ticket: HasStatus, target: Status) -> Status:
    """Move a ticket to ``target`` if the lifecycle allows it; return the status it left.

    Raises :class:`InvalidTransition` (naming both statuses) and leaves the ticket as it was when
    the move is not allowed.
    """
    old = Status(ticket.status)
    check_transition(old, target)
    ticket.status = target.value
    return old


# --- acts --------------------------------------------------------------------------------------


class ActStatus(StrEnum):
    """Where an act of acceptance (or a bilateral act) stands with the client."""

    ISSUED = "issued"
    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    DEEMED_ACCEPTED = "deemed_accepted"
    FOLLOW_UP = "follow_up"


#: A new act is issued: rendered, not yet mailed.
ACT_START = ActStatus.ISSUED
#: Acts still waiting for the client's answer: they may be sent (again), accepted or refused.
OPEN_ACT_STATUSES: frozenset[ActStatus] = frozenset(
    {ActStatus.ISSUED, ActStatus.SENT, ActStatus.FOLLOW_UP}
)
_ANSWERS = frozenset({ActStatus.SENT, ActStatus.ACCEPTED, ActStatus.REFUSED})

ACT_TRANSITIONS: dict[ActStatus, frozenset[ActStatus]] = {
    ActStatus.ISSUED: _ANSWERS,
    # the acceptance window ran out: accepted by silence, or flagged for the agent to chase
    ActStatus.SENT: _ANSWERS | {ActStatus.DEEMED_ACCEPTED, ActStatus.FOLLOW_UP},
    ActStatus.FOLLOW_UP: _ANSWERS,
    ActStatus.ACCEPTED: frozenset(),
    ActStatus.REFUSED: frozenset(),
    ActStatus.DEEMED_ACCEPTED: frozenset(),
}

_ACT_WORDS: dict[ActStatus, Bilingual] = {
    ActStatus.ISSUED: Bilingual("issued", "выставлен"),
    ActStatus.SENT: Bilingual("sent", "отправлен"),
    ActStatus.ACCEPTED: Bilingual("accepted", "принят"),
    ActStatus.REFUSED: Bilingual("refused", "отклонён"),
    ActStatus.DEEMED_ACCEPTED: Bilingual("accepted by silence", "принят по умолчанию"),
    ActStatus.FOLLOW_UP: Bilingual("awaiting a follow-up", "ожидает напоминания"),
}


def check_act_transition(current: ActStatus | str, target: ActStatus | str) -> None:
    """Refuse a move of an act its lifecycle does not allow, naming both states in plain words."""
    cur, tgt = ActStatus(current), ActStatus(target)
    if tgt not in ACT_TRANSITIONS[cur]:
        raise InvalidTransition(
            "an act that is {current} cannot become {target}",
            current=_ACT_WORDS[cur], target=_ACT_WORDS[tgt],
        )


def move_act(act: HasStatus, target: ActStatus) -> ActStatus:
    """Move an act to ``target`` if its lifecycle allows it; return the state it left."""
    old = ActStatus(act.status)
    check_act_transition(old, target)
    act.status = target.value
    return old
