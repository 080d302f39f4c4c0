"""Ticket vocabulary and lifecycle rules (PRODUCT.md R-TICKET-1..8).

Kept free of storage so the same rules guard the CLI, the GUI and the timers, and so an illegal
move is refused with one plain sentence wherever it is attempted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.errors import Bilingual, InvalidTransition, ValidationError


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_CLIENT = "waiting_client"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    POSTPONED = "postponed"
    REFUSED = "refused"
    INACTIVE = "inactive"
    DUPLICATE = "duplicate"


class Channel(StrEnum):
    EMAIL = "email"
    PORTAL = "portal"
    CHAT = "chat"
    PHONE = "phone"


class Category(StrEnum):
    CONSULTATION = "consultation"
    DEFECT = "defect"
    RECOVERY = "recovery"
    CONTENT_CHANGE = "content_change"
    OTHER = "other"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Direction(StrEnum):
    INCOMING = "in"
    OUTGOING = "out"
    NOTE = "note"


class Flag(StrEnum):
    """Things the agent must look at; the strings are part of the CLI's JSON contract."""

    CLIENT_NOT_IDENTIFIED = "client_not_identified"
    EMPTY_SUBJECT = "empty_subject"
    SEVERAL_QUESTIONS = "several_questions"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    THREAD_CONFIRM = "thread_confirm"
    PAID_SUGGESTED = "paid_suggested"
    WRITTEN_CONFIRMATION_REQUIRED = "written_confirmation_required"
    ACT_OVERDUE = "act_overdue"
    CHANGE_PASSWORD_REMINDER = "change_password_reminder"


#: Statuses in which the ticket still needs work from support.
OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.NEW, Status.IN_PROGRESS, Status.WAITING_CLIENT, Status.ESCALATED, Status.POSTPONED}
)
#: Statuses a client reply can bring back to work (the reopen path of R-TICKET-3).
REOPENABLE: frozenset[Status] = frozenset(
    {Status.RESOLVED, Status.CLOSED, Status.INACTIVE, Status.REFUSED}
)

_WORK = {Status.IN_PROGRESS, Status.WAITING_CLIENT, Status.ESCALATED}
_EXITS = {Status.POSTPONED, Status.REFUSED, Status.DUPLICATE, Status.RESOLVED}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset(_WORK | _EXITS | {Status.CLOSED}),
    Status.IN_PROGRESS: frozenset((_WORK | _EXITS) - {Status.IN_PROGRESS}),
    Status.WAITING_CLIENT: frozenset(
        (_WORK | _EXITS | {Status.INACTIVE}) - {Status.WAITING_CLIENT}
    ),
    Status.ESCALATED: frozenset((_WORK | _EXITS) - {Status.ESCALATED}),
    Status.POSTPONED: frozenset({Status.IN_PROGRESS, Status.REFUSED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.REFUSED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.INACTIVE: frozenset({Status.IN_PROGRESS}),
    Status.DUPLICATE: frozenset(),
}

STATUS_NAMES: dict[Status, tuple[str, str]] = {
    Status.NEW: ("New", "Новое"),
    Status.IN_PROGRESS: ("In progress", "В работе"),
    Status.WAITING_CLIENT: ("Waiting for client", "Ожидает клиента"),
    Status.ESCALATED: ("Escalated", "Передано"),
    Status.RESOLVED: ("Resolved", "Решено"),
    Status.CLOSED: ("Closed", "Закрыто"),
    Status.POSTPONED: ("Postponed", "Отложено"),
    Status.REFUSED: ("Refused", "Отказано"),
    Status.INACTIVE: ("Inactive", "Закрыто (нет ответа)"),
    Status.DUPLICATE: ("Duplicate", "Дубликат"),
}


def status_name(status: Status | str, lang: str = "en", archived: bool = False) -> str:
    """The status as people read it; English or Russian. An ``archived`` ticket (imported from
    what a mailbox held before it was connected) says so beside its status."""
    en, ru = STATUS_NAMES[Status(status)]
    if archived:
        en, ru = f"{en} · archive", f"{ru} · архив"
    return ru if lang == "ru" else en


def status_words(status: Status | str) -> Bilingual:
    """The status in lower case for the middle of a sentence, in both languages, so a message
    naming it reads right whichever language shows it."""
    en, ru = STATUS_NAMES[Status(status)]
    return Bilingual(en.lower(), ru.lower())


def check_transition(current: Status | str, target: Status | str) -> None:
    """Refuse a move the lifecycle does not allow, naming both statuses in plain words."""
    cur, tgt = Status(current), Status(target)
    if tgt not in TRANSITIONS[cur]:
        raise InvalidTransition(
            "a ticket that is {current} cannot become {target}", current=status_words(cur), target=status_words(tgt)
        )


def pauses_sla(status: Status | str) -> bool:
    """Waiting for the client stops the clock (R-SLA-3); everything else lets it run."""
    return Status(status) is Status.WAITING_CLIENT


# --- TID ------------------------------------------------------------------------------------

_PREFIX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,9}$")


@dataclass(frozen=True)
class TidFormat:
    """How ticket numbers look; configurable, but a number once given never changes."""

    prefix: str = "TID"
    width: int = 6

    def __post_init__(self) -> None:
        if not _PREFIX_RE.match(self.prefix):
            raise ValidationError(
                "TID prefix {prefix!r} must be 1-10 Latin letters or digits, "
                "starting with a letter", prefix=self.prefix
            )
        if not 3 <= self.width <= 12:
            raise ValidationError("TID width must be between 3 and 12, not {width}", width=self.width)

    def format(self, number: int) -> str:
        if number < 1:
            raise ValidationError("ticket numbers start at 1")
        return f"{self.prefix}-{number:0{self.width}d}"

    def parse(self, tid: str) -> int:
        """The number inside a TID; accepts any case and a missing zero padding."""
        m = re.fullmatch(rf"\s*\[?{re.escape(self.prefix)}-(\d+)\]?\s*", tid, re.IGNORECASE)
        if not m:
            raise ValidationError("{tid!r} is not a ticket number like {example}", tid=tid, example=self.format(123))
        return int(m.group(1))


# --- reasons --------------------------------------------------------------------------------


class ReasonUse(StrEnum):
    REFUSE = "refuse"
    POSTPONE = "postpone"
    BOTH = "both"


@dataclass(frozen=True)
class Reason:
    """A refusal/postponement reason from the regulations, with the action it suggests."""

    code: str
    title_en: str
    title_ru: str
    use: ReasonUse = ReasonUse.BOTH
    offer: str | None = None  # "split" | "merge" | None


#: The list seeded into the database (R-TICKET-4); administrators may edit and extend it.
DEFAULT_REASONS: tuple[Reason, ...] = (
    Reason("insufficient_info", "Insufficient information", "Недостаточно информации"),
    Reason("cannot_reproduce", "Cannot be reproduced", "Проблема не воспроизводится"),
    Reason(
        "several_problems",
        "Several unrelated problems in one ticket",
        "Несколько не связанных проблем в одном обращении",
        offer="split",
    ),
    Reason(
        "duplicate",
        "Duplicate of an open ticket",
        "Дублирует открытое обращение",
        ReasonUse.REFUSE,
        offer="merge",
    ),
    Reason("out_of_scope", "Out of the scope of support", "Выходит за рамки технической поддержки"),
    Reason(
        "third_party",
        "Relates to a third-party service or software",
        "Относится к стороннему сервису или ПО",
    ),
    Reason(
        "client_modified",
        "Client modified templates or code themselves",
        "Клиент самостоятельно изменял шаблоны или код",
    ),
    Reason(
        "offensive", "Offensive language", "Ненормативная лексика или оскорбления", ReasonUse.REFUSE
    ),
    Reason(
        "client_not_identified",
        "Client not identified",
        "Клиент не идентифицирован",
        ReasonUse.REFUSE,
    ),
    Reason(
        "no_contract",
        "No active contract or service",
        "Нет действующего договора или услуги",
        ReasonUse.REFUSE,
    ),
)
