"""SLA targets, a ticket's SLA state at ``now``, and "why this deadline" (R-SLA-1, -3, -4, -4a).

Everything is counted on a :class:`~desktop.domain.calendar.WorkingCalendar`. A target's clock
starts at ``received_at``, stops at ``stopped_at`` (the first agent reply or "taken into work
with the client notified" for reaction; the resolution for resolution targets) and *pauses*
while the ticket waits for the client. A pause moves the deadline later by the working time it
covered (R-SLA-4) — unlike peers that merely stop escalating during a pause and then breach at
once on reopen. A pause that starts after the deadline has already passed changes nothing: a
breach is not undone by asking the client a question.

The functions take the clock facts as stored timestamps and ``now`` as an argument, so the
queue, the dashboard and the timers can all ask "what was the state at instant X".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Literal

from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_days import DayKind
from desktop.domain.calendar_presets import DEFAULT_CALENDAR_KEY
from desktop.domain.calendar_spec import CalendarError

__all__ = [
    "PRIORITIES",
    "SEED_PLANS",
    "Clock",
    "ConsumedInterval",
    "Explanation",
    "PlanSeed",
    "Priority",
    "SkippedDay",
    "SkippedPause",
    "SlaState",
    "SlaStatus",
    "Target",
    "TargetKind",
    "TicketClockFacts",
    "deadline",
    "deadlines_many",
    "explain",
    "format_countdown",
    "format_duration",
    "format_explanation",
    "format_state",
    "sla_state",
    "ticket_sla",
]

TargetKind = Literal["reaction", "resolution"]
Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[Priority, ...] = ("low", "normal", "high", "urgent")
SlaStatus = Literal["ok", "warning", "breached", "paused", "met", "missed"]
Pause = tuple[datetime, datetime | None]

_US = timedelta(microseconds=1)


def _utc(t: datetime) -> datetime:
    """Facts are compared in UTC: two datetimes sharing one ``ZoneInfo`` compare by wall time,
    which is wrong in the repeated hour of a DST change."""
    if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError("{value!r} is not a timezone-aware date and time.", value=t)
    return t.astimezone(UTC)


def _clock_utc(clock: Clock) -> Clock:
    return Clock(
        _utc(clock.received_at),
        None if clock.stopped_at is None else _utc(clock.stopped_at),
        tuple((_utc(ps), None if pe is None else _utc(pe)) for ps, pe in clock.pauses),
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


# --------------------------------------------------------------------------------------------
# The clock walk


def _norm_pauses(pauses: Iterable[Pause], start: datetime, end: datetime | None) -> list[Pause]:
    """Sorted, merged pauses clipped to [start, end]; an open pause runs to ``end`` (or stays open)."""
    spans: list[tuple[datetime, datetime | None]] = []
    for ps, pe in pauses:
        ps, pe = _utc(ps), (None if pe is None else _utc(pe))
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
class _Walk:
    due: datetime | None  # None while an open pause holds the clock
    remaining_at_pause: timedelta  # working time left when the open pause began
    open_pause: datetime | None
    paused: timedelta
    counted: tuple[Pause, ...]  # the pauses that moved the deadline


def _walk(cal: WorkingCalendar, start: datetime, amount: timedelta,
          pauses: Sequence[Pause]) -> _Walk:
    """Consume ``amount`` of working time from ``start``, skipping the (normalised) pauses."""
    cursor, remaining, paused = start, amount, timedelta(0)
    counted: list[Pause] = []
    for ps, pe in pauses:
        if ps >= cal.add(cursor, remaining):
            break  # the pause began after the target was already due: it moves nothing
        remaining -= cal.between(cursor, ps)
        if pe is None:
            counted.append((ps, None))
            return _Walk(None, remaining, ps, paused, tuple(counted))
        paused += cal.between(ps, pe)
        counted.append((ps, pe))
        cursor = pe
    return _Walk(cal.add(cursor, remaining), remaining, None, paused, tuple(counted))


def _consumed(cal: WorkingCalendar, start: datetime, ref: datetime,
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
    start, stop = _utc(received_at), (None if stopped_at is None else _utc(stopped_at))
    return _walk(cal, start, duration, _norm_pauses(pauses, start, stop)).due


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


def _as_of(clock: Clock, now: datetime) -> tuple[datetime | None, list[Pause]]:
    """The clock's facts as known at ``now``: later stops and pause ends have not happened yet."""
    stop = clock.stopped_at if clock.stopped_at is not None and clock.stopped_at <= now else None
    known: list[Pause] = []
    for ps, pe in clock.pauses:
        if ps >= now:
            continue
        known.append((ps, pe if pe is not None and pe <= now else None))
    return stop, _norm_pauses(known, clock.received_at, stop)


def sla_state(cal: WorkingCalendar, target: Target, clock: Clock, now: datetime) -> SlaState:
    """The state of one target at ``now`` (see :class:`SlaState`)."""
    now = _utc(now)
    clock = _clock_utc(clock)
    stop, pauses = _as_of(clock, now)
    amount = target.duration
    warn_amount = timedelta(microseconds=math.ceil((amount // _US) * target.warn_share))
    walk = _walk(cal, clock.received_at, amount, pauses)
    warn = _walk(cal, clock.received_at, warn_amount, pauses)
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
    used = _consumed(cal, clock.received_at, ref, pauses)
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


# --------------------------------------------------------------------------------------------
# Explanation (R-SLA-4a)


@dataclass(frozen=True)
class ConsumedInterval:
    """A piece of working time the clock used: local date, from, to, and how long."""

    day: date
    start: datetime
    end: datetime
    duration: timedelta
    day_kind: DayKind


@dataclass(frozen=True)
class SkippedDay:
    """A day with no working time between start and deadline, and why."""

    day: date
    reason: Literal["weekend", "holiday", "company_day_off"]
    name_ru: str | None = None
    name_en: str | None = None


@dataclass(frozen=True)
class SkippedPause:
    """A pause (waiting for the client) and the working time it moved the deadline by."""

    start: datetime
    end: datetime | None
    working_time: timedelta


@dataclass(frozen=True)
class Explanation:
    """How a deadline was reached, in data; :func:`format_explanation` makes it readable."""

    kind: TargetKind
    received_at: datetime
    clock_starts_at: datetime
    target: timedelta
    timezone: str
    calendar_ru: str
    calendar_en: str
    deadline: datetime | None
    """None while the clock is held by an open pause."""
    remaining_at_pause: timedelta | None
    consumed: tuple[ConsumedInterval, ...]
    skipped_days: tuple[SkippedDay, ...]
    pauses: tuple[SkippedPause, ...]
    stopped_at: datetime | None = None
    transferred_working_days: tuple[date, ...] = field(default=())


def _split_at_midnight(cal: WorkingCalendar, a: datetime,
                       b: datetime) -> list[tuple[datetime, datetime]]:
    """Cut [a, b) at local midnights so each piece belongs to one local date (compared in UTC)."""
    out = []
    a, b = _utc(a), _utc(b)
    while a < b:
        local_day = a.astimezone(cal.tz).date() + timedelta(days=1)
        nxt = _utc(datetime.combine(local_day, datetime.min.time(), cal.tz))
        end = min(b, nxt)
        out.append((a.astimezone(cal.tz), end.astimezone(cal.tz)))
        a = end
    return out


def explain(cal: WorkingCalendar, target: Target | timedelta, clock: Clock,
            now: datetime | None = None, kind: TargetKind = "reaction") -> Explanation:
    """Account for a deadline: intervals consumed, days and pauses skipped.

    ``now`` limits the facts to what was known then (as in :func:`sla_state`); without it all
    stored facts count. Explaining a met/missed target still shows the deadline it had.
    """
    if isinstance(target, Target):
        kind, amount = target.kind, target.duration
    else:
        amount = target
    clock = _clock_utc(clock)
    if now is not None:
        stop, pauses = _as_of(clock, _utc(now))
    else:
        stop = clock.stopped_at
        pauses = _norm_pauses(clock.pauses, clock.received_at, stop)
    walk = _walk(cal, clock.received_at, amount, pauses)
    counted = walk.counted
    end = walk.due if walk.due is not None else walk.open_pause
    assert end is not None
    consumed: list[ConsumedInterval] = []
    for a, b in cal.working_intervals(clock.received_at, end):
        pieces = [(a, b)]
        for ps, pe in counted:  # cut the pauses out
            cut: list[tuple[datetime, datetime]] = []
            for x, y in pieces:
                pe_ = y if pe is None else pe
                if pe_ <= x or ps >= y:
                    cut.append((x, y))
                    continue
                if x < ps:
                    cut.append((x, ps))
                if pe_ < y:
                    cut.append((pe_, y))
            pieces = cut
        for x, y in pieces:
            for p, q in _split_at_midnight(cal, x, y):
                consumed.append(ConsumedInterval(p.date(), p, q, q - p, cal.day(p.date()).kind))
    skipped: list[SkippedDay] = []
    transferred: list[date] = []
    first = clock.received_at.astimezone(cal.tz).date()
    last = end.astimezone(cal.tz).date()
    day = first
    while day <= last and not cal.always_open:
        info = cal.day(day)
        if info.kind == "transferred_working":
            transferred.append(day)
        if not info.intervals:
            reason: Literal["weekend", "holiday", "company_day_off"] = (
                "holiday" if info.kind == "holiday"
                else "company_day_off" if info.kind == "company_day_off" else "weekend")
            skipped.append(SkippedDay(day, reason, info.name_ru, info.name_en))
        day += timedelta(days=1)
    pause_items = tuple(
        SkippedPause(ps.astimezone(cal.tz), None if pe is None else pe.astimezone(cal.tz),
                     cal.between(ps, pe if pe is not None else ps))
        for ps, pe in counted
    )
    return Explanation(
        kind=kind,
        received_at=clock.received_at.astimezone(cal.tz),
        clock_starts_at=cal.next_working_instant(clock.received_at),
        target=amount,
        timezone=cal.timezone,
        calendar_ru=cal.describe("ru"),
        calendar_en=cal.describe("en"),
        deadline=walk.due,
        remaining_at_pause=None if walk.due is not None else walk.remaining_at_pause,
        consumed=tuple(consumed),
        skipped_days=tuple(skipped),
        pauses=pause_items,
        stopped_at=None if stop is None else stop.astimezone(cal.tz),
        transferred_working_days=tuple(transferred),
    )


_WD = {"ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
       "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _lang(lang: str) -> str:
    return "ru" if lang.lower().startswith("ru") else "en"


def format_duration(value: timedelta, lang: str = "ru") -> str:
    """'2 ч 15 мин' / '2 h 15 min'; seconds only when the duration is not whole minutes."""
    ru = _lang(lang) == "ru"
    total = abs(value) // timedelta(seconds=1)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} ч" if ru else f"{hours} h")
    if minutes:
        parts.append(f"{minutes} мин" if ru else f"{minutes} min")
    if seconds:
        parts.append(f"{seconds} с" if ru else f"{seconds} s")
    if not parts:
        parts.append("0 мин" if ru else "0 min")
    return " ".join(parts)


def format_countdown(value: timedelta, lang: str = "ru") -> str:
    """A live countdown's amount in whole minutes, rounded up: '2 ч 15 мин' for 2:14:30 left.

    The window redraws countdowns every few seconds from a real clock, so exact seconds
    ('36 h 59 min 38 s') were never whole, went stale between redraws and flickered. Rounding
    up reads '1 min' until the deadline and 'overdue by 1 min' through the first minute after
    it. The explanation of a deadline keeps the exact amounts (:func:`format_duration`).
    """
    minutes = -(-abs(value) // timedelta(minutes=1))
    return format_duration(timedelta(minutes=minutes), lang)


def format_overdue(value: timedelta, lang: str = "ru") -> str:
    """'просрочено на 40 мин' / 'overdue by 40 min' (a countdown past its deadline)."""
    return ("просрочено на " if _lang(lang) == "ru" else "overdue by ") + format_countdown(value, lang)


def _fmt_dt(t: datetime, lang: str, with_date: bool = True) -> str:
    wd = _WD[_lang(lang)][t.weekday()]
    hm = t.strftime("%H:%M") if not t.second else t.strftime("%H:%M:%S")
    if not with_date:
        return hm
    return f"{wd} {t.strftime('%d.%m.%Y')} {hm}"


def _fmt_end(start: datetime, end: datetime, lang: str) -> str:
    """An interval end on the next local midnight reads '24:00', not '00:00'."""
    if end.date() != start.date() and end.hour == 0 and end.minute == 0 and end.second == 0:
        return "24:00"
    return _fmt_dt(end, lang, with_date=False)


def format_state(state: SlaState, lang: str = "ru", tz: tzinfo | None = None) -> str:
    """The queue's countdown text: '2 ч 15 мин', 'пауза до пн 09:00', 'просрочено на 40 мин'.

    ``tz`` is the reader's zone for the "paused until" time (an agent in Novosibirsk reads the
    Moscow calendar's 09:00 as 13:00, like every other time on their screen); by default the
    calendar's own zone.
    """
    ru = _lang(lang) == "ru"
    if state.status == "paused":
        return "ожидание клиента" if ru else "waiting for client"
    if state.status == "met":
        return "выполнено в срок" if ru else "met"
    if state.status == "missed":
        return ("выполнено с опозданием на " if ru else "met late by ") + format_countdown(
            state.remaining, lang)
    if state.status == "breached":
        text = format_overdue(state.remaining, lang)
    else:
        text = format_countdown(state.remaining, lang)
    if state.resumes_at is not None:
        resumes = state.resumes_at if tz is None else state.resumes_at.astimezone(tz)
        wd = _WD[_lang(lang)][resumes.weekday()]
        until = f"{wd} {resumes.strftime('%H:%M')}"
        text += f" (пауза до {until})" if ru else f" (paused until {until})"
    return text


def format_explanation(expl: Explanation, lang: str = "ru") -> str:
    """Readable text of an :class:`Explanation` in Russian (``"ru"``) or English (``"en"``)."""
    ru = _lang(lang) == "ru"
    tr = (lambda r, e: r) if ru else (lambda r, e: e)
    kind = tr("реакция", "reaction") if expl.kind == "reaction" else tr("решение", "resolution")
    lines = [
        tr("Почему такой срок", "Why this deadline") + f" ({kind})",
        tr("Получено: ", "Received: ") + _fmt_dt(expl.received_at, lang) + f" ({expl.timezone})",
    ]
    if expl.clock_starts_at != expl.received_at:
        lines.append(tr("Отсчёт начался: ", "Clock started: ") + _fmt_dt(expl.clock_starts_at, lang)
                     + tr(" (получено в нерабочее время)", " (received outside working hours)"))
    lines.append(tr("Норматив: ", "Target: ") + format_duration(expl.target, lang)
                 + tr(" рабочего времени", " of working time"))
    lines.append(tr("Календарь: ", "Calendar: ") + (expl.calendar_ru if ru else expl.calendar_en))
    lines.append(tr("Учтённое рабочее время:", "Working time counted:"))
    for c in expl.consumed:
        note = ""
        if c.day_kind == "transferred_working":
            note = (tr(" (рабочая суббота по переносу)", " (transferred working Saturday)")
                    if c.day.weekday() == 5 else
                    tr(" (рабочий день по переносу)", " (transferred working day)"))
        elif c.day_kind == "company_working":
            note = tr(" (дополнительный рабочий день)", " (company extra working day)")
        lines.append(f"  {_fmt_dt(c.start, lang)}–{_fmt_end(c.start, c.end, lang)}"
                     f" — {format_duration(c.duration, lang)}{note}")
    if expl.skipped_days:
        lines.append(tr("Пропущены нерабочие дни:", "Non-working days skipped:"))
        for s in expl.skipped_days:
            wd = _WD[_lang(lang)][s.day.weekday()]
            if s.reason == "holiday":
                why = (s.name_ru if ru else s.name_en) or tr("праздник", "public holiday")
                why = tr("праздник: ", "holiday: ") + why
            elif s.reason == "company_day_off":
                why = tr("выходной компании", "company day off")
            else:
                why = tr("выходной", "weekend")
            lines.append(f"  {wd} {s.day.strftime('%d.%m.%Y')} — {why}")
    if expl.pauses:
        lines.append(tr("Паузы (ожидание ответа клиента):", "Pauses (waiting for the client):"))
        for p in expl.pauses:
            if p.end is None:
                lines.append(f"  {tr('с', 'since')} {_fmt_dt(p.start, lang)} — "
                             + tr("продолжается", "still waiting"))
            else:
                lines.append(f"  {_fmt_dt(p.start, lang)} — {_fmt_dt(p.end, lang)}: "
                             + tr("срок сдвинут на ", "deadline moved by ")
                             + format_duration(p.working_time, lang))
    if expl.deadline is not None:
        lines.append(tr("Срок: ", "Deadline: ") + _fmt_dt(expl.deadline.astimezone(
            expl.received_at.tzinfo), lang))
    else:
        left = format_duration(expl.remaining_at_pause or timedelta(0), lang)
        lines.append(tr(f"Срок: отсчёт остановлен, осталось {left} рабочего времени",
                        f"Deadline: clock held, {left} of working time left"))
    if expl.stopped_at is not None:
        lines.append(tr("Отсчёт остановлен: ", "Clock stopped: ")
                     + _fmt_dt(expl.stopped_at.astimezone(expl.received_at.tzinfo), lang))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Seed plans (R-SLA-1). The store inserts these; administrators edit them afterwards.


@dataclass(frozen=True)
class PlanSeed:
    """A support plan as seeded: its calendar preset and targets per priority."""

    code: str
    name_ru: str
    name_en: str
    calendar_key: str
    reaction: Mapping[Priority, timedelta]
    resolution: Mapping[Priority, timedelta] = field(default_factory=dict)
    warn_share: float = 0.75
    source: str = ""

    def targets(self, priority: Priority) -> tuple[Target, ...]:
        """The targets a ticket of ``priority`` on this plan gets (reaction first)."""
        if priority not in PRIORITIES:
            raise CalendarError("Unknown priority {priority!r}; use one of {priorities}.", priority=priority, priorities=', '.join(PRIORITIES))
        out = [Target("reaction", self.reaction[priority], self.warn_share)]
        if priority in self.resolution:
            out.append(Target("resolution", self.resolution[priority], self.warn_share))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name_ru": self.name_ru, "name_en": self.name_en,
            "calendar": self.calendar_key, "warn_share": self.warn_share,
            "targets": {p: [t.to_dict() for t in self.targets(p)] for p in PRIORITIES},
        }


_H = timedelta(hours=1)

SEED_PLANS: tuple[PlanSeed, ...] = (
    PlanSeed(
        # EmailMaker §2 "Бесплатная поддержка … максимальное время реакции — 48 рабочих часов",
        # hours per §1.4 (working days 9–18 Moscow, RU holidays). The regulation gives one
        # maximum for all questions, so every priority gets it; no resolution target (§5.1:
        # "from immediate to several days").
        code="free", name_ru="Бесплатный", name_en="Free", calendar_key=DEFAULT_CALENDAR_KEY,
        reaction={p: 48 * _H for p in PRIORITIES},
        source="EmailMaker §1.4, §2",
    ),
    PlanSeed(
        # EmailMaker §2 "Коммерческая поддержка … 24 рабочих часа"; Prem-site also promises 24 h.
        # 24 h is the maximum; we tighten high/urgent (our choice, editable) because a maximum
        # for all questions leaves no room to act on urgency. Resolution: WebbyMASTER §3.2's
        # "up to 72 hours for complex work" as the optional resolution target for urgent/high.
        code="commercial", name_ru="Коммерческий", name_en="Commercial",
        calendar_key=DEFAULT_CALENDAR_KEY,
        reaction={"low": 24 * _H, "normal": 24 * _H, "high": 8 * _H, "urgent": 4 * _H},
        resolution={"high": 72 * _H, "urgent": 24 * _H},
        source="EmailMaker §2, Prem-site (24 h), WebbyMASTER §3.2 (72 h)",
    ),
    PlanSeed(
        # Prem-site: "для пользователей тарифа «Premium» - 3 часа", support 11:00–20:00 Moscow.
        # Urgent/high tighter (our choice); resolution 24 working hours for urgent (our choice,
        # WebbyMASTER §3.2 range of up to 24 h for active paid services).
        code="premium", name_ru="Премиум", name_en="Premium", calendar_key="moscow_11_20",
        reaction={"low": 3 * _H, "normal": 3 * _H, "high": 2 * _H, "urgent": 1 * _H},
        resolution={"high": 48 * _H, "urgent": 24 * _H},
        source="Prem-site (Premium 3 h, 11:00–20:00 Moscow)",
    ),
    PlanSeed(
        # WebbyMASTER §1.4 "Приоритетная поддержка": outside working hours, and when urgent on
        # weekends and holidays too → a 24/7 calendar. §3.2: "от 10 минут до 24 часов …
        # может быть увеличено до 72 часов": urgent 10 min … low 24 h; resolution 24 h for
        # urgent and 72 h for high (the regulation's ceiling for complex work).
        code="priority", name_ru="Приоритетный", name_en="Priority", calendar_key="always_open",
        reaction={"low": 24 * _H, "normal": 1 * _H, "high": timedelta(minutes=30),
                  "urgent": timedelta(minutes=10)},
        resolution={"high": 72 * _H, "urgent": 24 * _H},
        source="WebbyMASTER §1.4, §3.2",
    ),
)
"""The four seeded plans; ``calendar_key`` names a preset in ``desktop.domain.calendar.PRESETS``."""
