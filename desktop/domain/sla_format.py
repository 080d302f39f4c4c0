"""SLA states and explanations in words, Russian or English: countdowns, overdue times, deadlines.

Apart from the rules because wording changes for people (a shorter countdown, another date
form) must never touch how a deadline is computed; the queue, the ticket page and the CLI all
format through here so the same state reads the same everywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from desktop.domain.sla import SlaState
from desktop.domain.sla_explain import Explanation

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
    # f-strings, not strftime: strftime imports ``time`` on every call, through any import
    # hook the process has (Qt's), and the queue formats times for every row it shows.
    hm = f"{t.hour:02d}:{t.minute:02d}" + (f":{t.second:02d}" if t.second else "")
    if not with_date:
        return hm
    return f"{wd} {t.day:02d}.{t.month:02d}.{t.year:04d} {hm}"


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
        until = f"{wd} {resumes.hour:02d}:{resumes.minute:02d}"
        text += f" (пауза до {until})" if ru else f" (paused until {until})"
    return text


def _yours(t: datetime, viewer: tzinfo | None, lang: str) -> str:
    """' — 20:00 у вас' where the reader's zone reads ``t`` at another offset, else ""."""
    if viewer is None:
        return ""
    mine = t.astimezone(viewer)
    if mine.utcoffset() == t.utcoffset():
        return ""
    when = _fmt_dt(mine, lang, with_date=mine.date() != t.date())
    return f" — {when} " + ("у вас" if _lang(lang) == "ru" else "your time")


def format_explanation(expl: Explanation, lang: str = "ru", viewer: tzinfo | None = None) -> str:
    """Readable text of an :class:`Explanation` in Russian (``"ru"``) or English (``"en"``).

    The working time is counted in the calendar's zone, so the account is told in it, and says
    so; ``viewer`` is the reader's zone: where it differs, the received time and the deadline
    also say what the reader's clock shows then ("18:00 — 20:00 у вас")."""
    ru = _lang(lang) == "ru"

    def tr(russian: str, english: str) -> str:
        return russian if ru else english

    kind = tr("реакция", "reaction") if expl.kind == "reaction" else tr("решение", "resolution")
    lines = [
        tr("Почему такой срок", "Why this deadline") + f" ({kind})",
        tr("Получено: ", "Received: ") + _fmt_dt(expl.received_at, lang) + f" ({expl.timezone})"
        + _yours(expl.received_at, viewer, lang),
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
            lines.append(f"  {wd} {s.day.day:02d}.{s.day.month:02d}.{s.day.year:04d} — {why}")
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
        due = expl.deadline.astimezone(expl.received_at.tzinfo)
        lines.append(tr("Срок: ", "Deadline: ") + _fmt_dt(due, lang) + f" ({expl.timezone})"
                     + _yours(due, viewer, lang))
    else:
        left = format_duration(expl.remaining_at_pause or timedelta(0), lang)
        lines.append(tr(f"Срок: отсчёт остановлен, осталось {left} рабочего времени",
                        f"Deadline: clock held, {left} of working time left"))
    if expl.stopped_at is not None:
        lines.append(tr("Отсчёт остановлен: ", "Clock stopped: ")
                     + _fmt_dt(expl.stopped_at.astimezone(expl.received_at.tzinfo), lang))
    return "\n".join(lines)
