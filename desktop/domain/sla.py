"""SLA targets, their deadlines and a ticket's SLA state at ``now`` (R-SLA-1, -3, -4).

Everything is counted on a :class:`~desktop.domain.calendar.WorkingCalendar`. A target's clock
starts at ``received_at``, stops at ``stopped_at`` (the first agent reply or "taken into work
with the client notified" for reaction; the resolution for resolution targets) and *pauses*
while the ticket waits for the client. A pause moves the deadline later by the working time it
covered (R-SLA-4) — unlike peers that merely stop escalating during a pause and then breach at
once on reopen. A pause that starts after the deadline has already passed changes nothing: a
breach is not undone by asking the client a question.

The functions take the clock facts as stored timestamps and ``now`` as an argument, so the
queue, the dashboard and the timers can all ask "what was the state at instant X". "Why this
deadline" is in ``sla_explain``, the wording in ``sla_format``, the seeded plans in ``sla_plans``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_spec import CalendarError

__all__ = [
    "PRIORITIES",
    "Clock",
    "Priority",
    "SlaState",
    "SlaStatus",
    "Target",
    "TargetKind",
    "TicketClockFacts",
    "deadline",
    "deadlines_many",
    "sla_state",
    "ticket_sla",
]


TargetKind = Literal["reaction", "resolution"]


Priority = Literal["low", "normal", "high", "urgent"]


PRIORITIES: tuple[Priority, ...] = ("low", "normal", "high", "urgent")


SlaStatus = Literal["ok", "warning", "breached", "paused", "met", "missed"]


Pause = tuple[datetime, datetime | None]


US = timedelta(microseconds=1)


def as_utc(t: datetime) -> datetime:
    """Facts are compared in UTC: two datetimes sharing one ``ZoneInfo`` compare by wall time,
    which is wrong in the repeated hour of a DST change."""
    if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError("{value!r} is not a timezone-aware date and time.", value=t)
    return t.astimezone(UTC)


def clock_utc(clock: Clock) -> Clock:
    return Clock(
        as_utc(clock.received_at),
        None if clock.stopped_at is None else as_utc(clock.stopped_at),
        tuple((as_utc(ps), None if pe is None else as_utc(pe)) for ps, pe in clock.pauses),
    )


@dataclass(frozen=True)
class Target:
    """One countdown of a plan: how much working time the ticket may take for ``kind``."""

    kind: TargetKind
    duration: timedelta
    warn_share: float = 0.75
    """Warning once this share of the target's working time is used (0.75 → at 75%)."""

    def __post_init__(self) -> None:
        if self.kind not in ("reaction", "resolution"):
            raise CalendarError("Unknown SLA target kind {kind!r}.", kind=self.kind)
        if not isinstance(self.duration, timedelta) or self.duration <= timedelta(0):
            raise CalendarError("An SLA target must be a positive duration.")
        if not 0 < self.warn_share <= 1:
            raise CalendarError("The warning share of an SLA target must be above 0 and at most 1.")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seconds": self.duration // timedelta(seconds=1),
                "warn_share": self.warn_share}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Target:
        try:
            return cls(kind=data["kind"], duration=timedelta(seconds=int(data["seconds"])),
                       warn_share=float(data.get("warn_share", 0.75)))
        except (KeyError, TypeError, ValueError) as exc:
            raise CalendarError("Stored SLA target is malformed ({exc}).", exc=exc) from None


@dataclass(frozen=True)
class Clock:
    """The facts one countdown needs: when it started, stopped, and when it was paused."""

    received_at: datetime
    stopped_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()


@dataclass(frozen=True)
class TicketClockFacts:
    """A ticket's stored timestamps, from which both countdowns are derived.

    ``first_response_at`` is the first agent reply *or* the moment the ticket was taken into work
    with the client notified, whichever came first (R-SLA-3). ``pauses`` are the spans spent in
    ``waiting_client``; the last may be open (end ``None``).
    """

    received_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()

    def clock(self, kind: TargetKind) -> Clock:
        stop = self.first_response_at if kind == "reaction" else self.resolved_at
        return Clock(self.received_at, stop, self.pauses)


@dataclass(frozen=True)
class SlaState:
    """One target's state at ``now``; everything the queue row and the dashboard show."""

    kind: TargetKind
    status: SlaStatus
    target: timedelta
    deadline: datetime
    """When the target is due. While paused: the deadline if the client answered right now."""
    warn_at: datetime
    """When the warning threshold is reached (same pause rules as ``deadline``)."""
    remaining: timedelta
    """Working time left (negative: overdue by that much working time)."""
    used: timedelta
    """Working time consumed by the clock so far (pauses excluded)."""
    paused: timedelta
    """Working time covered by pauses before the deadline: how far the deadline moved."""
    waiting_since: datetime | None = None
    """Start of the open pause when ``status == "paused"``."""
    resumes_at: datetime | None = None
    """When ``now`` is outside working hours and the clock runs: the next working instant."""
    stopped_at: datetime | None = None


def norm_pauses(pauses: Iterable[Pause], start: datetime, end: datetime | None) -> list[Pause]:
    """Sorted, merged pauses clipped to [start, end]; an open pause runs to ``end`` (or stays open)."""
    spans: list[tuple[datetime, datetime | None]] = []
    for ps, pe in pauses:
        ps, pe = as_utc(ps), (None if pe is None else as_utc(pe))
        if pe is not None and pe < ps:
            raise CalendarError("A pause ends ({end}) before it starts ({start}).", end=pe.isoformat(), start=ps.isoformat())
        ps = max(ps, start)
        if end is not None:
            if ps >= end:
                continue
            pe = end if pe is None else min(pe, end)
        if pe is not None and pe <= ps:
            continue
        spans.append((ps, pe))
    spans.sort(key=lambda s: s[0])
    merged: list[Pause] = []
    for ps, pe in spans:
        if merged:
            last_s, last_e = merged[-1]
            if last_e is None:
                break  # an open pause swallows everything after it
            if ps <= last_e:
                merged[-1] = (last_s, None if pe is None else max(last_e, pe))
                continue
        merged.append((ps, pe))
    return merged


@dataclass(frozen=True)
class Walk:
    due: datetime | None  # None while an open pause holds the clock
    remaining_at_pause: timedelta  # working time left when the open pause began
    open_pause: datetime | None
    paused: timedelta
    counted: tuple[Pause, ...]  # the pauses that moved the deadline


def walk_clock(cal: WorkingCalendar, start: datetime, amount: timedelta,
          pauses: Sequence[Pause]) -> Walk:
    """Consume ``amount`` of working time from ``start``, skipping the (normalised) pauses."""
    cursor, remaining, paused = start, amount, timedelta(0)
    counted: list[Pause] = []
    for ps, pe in pauses:
        if ps >= cal.add(cursor, remaining):
            break  # the pause began after the target was already due: it moves nothing
        remaining -= cal.between(cursor, ps)
        if pe is None:
            counted.append((ps, None))
            return Walk(None, remaining, ps, paused, tuple(counted))
        paused += cal.between(ps, pe)
        counted.append((ps, pe))
        cursor = pe
    return Walk(cal.add(cursor, remaining), remaining, None, paused, tuple(counted))


def consumed_time(cal: WorkingCalendar, start: datetime, ref: datetime,
              pauses: Sequence[Pause]) -> timedelta:
    if ref <= start:
        return timedelta(0)
    used = cal.between(start, ref)
    for ps, pe in pauses:
        if ps >= ref:
            break
        used -= cal.between(ps, ref if pe is None else min(pe, ref))
    return used


def deadline(cal: WorkingCalendar, received_at: datetime, duration: timedelta,
             pauses: Iterable[Pause] = (), stopped_at: datetime | None = None) -> datetime | None:
    """``received_at + duration`` in working time, moved later by the paused working time.

    ``None`` while an open pause holds the clock (the deadline is not known until the client
    answers). This is the value the store keeps on the ticket for sorting.
    """
    start, stop = as_utc(received_at), (None if stopped_at is None else as_utc(stopped_at))
    return walk_clock(cal, start, duration, norm_pauses(pauses, start, stop)).due


def deadlines_many(cal: WorkingCalendar, duration: timedelta,
                   clocks: Sequence[Clock]) -> list[datetime | None]:
    """Deadlines for many tickets at once (a plan or calendar change on 100,000 tickets).

    Tickets without pauses — nearly all of them — go through the calendar's batch path
    (:meth:`WorkingCalendar.add_many`); the rest are walked one by one. Same results as
    :func:`deadline` per clock.
    """
    out: list[datetime | None] = [None] * len(clocks)
    plain: list[int] = []
    for i, c in enumerate(clocks):
        if c.pauses:
            out[i] = deadline(cal, c.received_at, duration, c.pauses, c.stopped_at)
        else:
            plain.append(i)
    for i, due in zip(plain, cal.add_many((clocks[i].received_at for i in plain), duration),
                      strict=True):
        out[i] = due
    return out


def as_of(clock: Clock, now: datetime) -> tuple[datetime | None, list[Pause]]:
    """The clock's facts as known at ``now``: later stops and pause ends have not happened yet."""
    stop = clock.stopped_at if clock.stopped_at is not None and clock.stopped_at <= now else None
    known: list[Pause] = []
    for ps, pe in clock.pauses:
        if ps >= now:
            continue
        known.append((ps, pe if pe is not None and pe <= now else None))
    return stop, norm_pauses(known, clock.received_at, stop)


def sla_state(cal: WorkingCalendar, target: Target, clock: Clock, now: datetime) -> SlaState:
    """The state of one target at ``now`` (see :class:`SlaState`)."""
    now = as_utc(now)
    clock = clock_utc(clock)
    stop, pauses = as_of(clock, now)
    amount = target.duration
    warn_amount = timedelta(microseconds=math.ceil((amount // US) * target.warn_share))
    walk = walk_clock(cal, clock.received_at, amount, pauses)
    warn = walk_clock(cal, clock.received_at, warn_amount, pauses)
    if walk.due is None:  # waiting for the client: show the deadline as if they answered now
        assert walk.open_pause is not None
        due = cal.add(now, walk.remaining_at_pause)
        warn_at = warn.due if warn.due is not None else cal.add(now, warn.remaining_at_pause)
        used = amount - walk.remaining_at_pause
        return SlaState(target.kind, "paused", amount, due, warn_at, walk.remaining_at_pause,
                        used, walk.paused, waiting_since=walk.open_pause.astimezone(cal.tz))
    due = walk.due
    warn_at = warn.due if warn.due is not None else due
    ref = stop if stop is not None else now
    used = consumed_time(cal, clock.received_at, ref, pauses)
    remaining = amount - used
    if stop is not None:
        status: SlaStatus = "met" if stop <= due else "missed"
        return SlaState(target.kind, status, amount, due, warn_at, remaining, used, walk.paused,
                        stopped_at=stop.astimezone(cal.tz))
    if now > due:
        status = "breached"
    elif now >= warn_at:
        status = "warning"
    else:
        status = "ok"
    resumes = None if cal.is_working(now) else cal.next_working_instant(now)
    return SlaState(target.kind, status, amount, due, warn_at, remaining, used, walk.paused,
                    resumes_at=resumes)


def ticket_sla(cal: WorkingCalendar, targets: Iterable[Target], facts: TicketClockFacts,
               now: datetime) -> dict[TargetKind, SlaState]:
    """Each of a ticket's targets at ``now``, keyed by kind."""
    return {t.kind: sla_state(cal, t, facts.clock(t.kind), now) for t in targets}
