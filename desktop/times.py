"""Every time a person reads goes through here: one rule for the window, the CLI and the mail.

The rule (R-UI, issue 19): a time on the screen is in the *agent's* zone — the operating
system's by default, or the one chosen in Settings ▸ Workstation — and where that zone differs
from the plan's calendar zone both are said, the calendar's first: "до 18:00 МСК — 20:00 у вас".
Acts and mail to a client are in the calendar's zone and name it ("18:00 (МСК)"). The command
line prints ISO 8601 with the offset.

The agent's zone is one value of the process, set when the workstation's settings are read
(:func:`set_viewer_zone`); engine code formatting for the screen (the queue's rows, a
countdown's "paused until") asks :func:`viewer_tz`. Times are formatted with f-strings, not
``strftime``: in a process that imported Qt every strftime call goes through PySide's import
hook, which cost a queue page as much as its SLA arithmetic.
"""

from __future__ import annotations

import time as _time
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: The agent's zone when one was chosen; ``None``: the operating system's, asked at each use
#: (a laptop carried across zones follows its clock).
_viewer: tzinfo | None = None
_viewer_name = ""
#: The operating system's zone as last asked, with the minute and zone settings it was asked in.
_os_zone: tuple[tuple[object, ...], tzinfo] | None = None

#: Russia's zones as people there name them: by their distance from Moscow.
_RU_BY_OFFSET = {2: "МСК−1", 3: "МСК", 4: "МСК+1", 5: "МСК+2", 6: "МСК+3", 7: "МСК+4", 8: "МСК+5",
                 9: "МСК+6", 10: "МСК+7", 11: "МСК+8", 12: "МСК+9"}


def zone_of(name: str) -> tzinfo:
    """The zone called ``name`` (an IANA name such as ``Europe/Moscow``); ValueError if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def zone_names() -> list[str]:
    """Every IANA zone name this machine knows, sorted, for a chooser."""
    return sorted(n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/")))


def set_viewer_zone(name: str | None) -> None:
    """Read every time on the screen in ``name``; empty or ``None``: the operating system's."""
    global _viewer, _viewer_name
    if not name:
        _viewer, _viewer_name = None, ""
        return
    _viewer, _viewer_name = zone_of(name), name


def viewer_zone_name() -> str:
    """The chosen zone's name, or "" when the operating system's is followed."""
    return _viewer_name


def viewer_tz() -> tzinfo:
    """The agent's zone: every time on the screen is read in it (received, due, resumes)."""
    global _os_zone
    if _viewer is not None:
        return _viewer
    # Asked of the system once a minute (and whenever the process's zone settings change): a
    # queue row formats about eight times, and asking each time was a fifth of preparing it.
    key = (int(_time.time()) // 60, _time.timezone, _time.altzone, _time.tzname)
    known = _os_zone
    if known is not None and known[0] == key:
        return known[1]
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    _os_zone = (key, zone)
    return zone


def local(t: datetime) -> datetime:
    """``t`` in the agent's zone."""
    return t.astimezone(viewer_tz())


def hm(t: datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def dmy(t: date) -> str:
    return f"{t.day:02d}.{t.month:02d}.{t.year:04d}"


def dm(t: date) -> str:
    return f"{t.day:02d}.{t.month:02d}"


def date_time(t: datetime | None) -> str:
    """'07.12.2026 18:00' in the agent's zone; "" for no time."""
    if t is None:
        return ""
    lt = local(t)
    return f"{dmy(lt)} {hm(lt)}"


def short_date_time(t: datetime | None) -> str:
    """'07.12 18:00' in the agent's zone (a list where the year is plain); "" for no time."""
    if t is None:
        return ""
    lt = local(t)
    return f"{dm(lt)} {hm(lt)}"


def clock_time(t: datetime) -> str:
    """'18:00' in the agent's zone."""
    return hm(local(t))


def when(t: datetime, now: datetime) -> str:
    """As short as is clear, in the agent's zone: the time today, the day this year, else the date."""
    lt, today = local(t), local(now)
    if lt.date() == today.date():
        return hm(lt)
    if lt.year == today.year:
        return f"{dm(lt)} {hm(lt)}"
    return dmy(lt)


def _lang(lang: str) -> str:
    return "ru" if lang.lower().startswith("ru") else "en"


def zone_label(t: datetime, lang: str = "en") -> str:
    """How people name the zone ``t`` is in: 'МСК', 'МСК+4' / 'MSK', else 'UTC+7'."""
    abbr = t.tzname() or ""
    offset = t.utcoffset() or timedelta(0)
    hours, rest = divmod(offset, timedelta(hours=1))
    if _lang(lang) == "ru" and not rest and getattr(t.tzinfo, "key", "") in _RUSSIAN_ZONES \
            and hours in _RU_BY_OFFSET:
        return _RU_BY_OFFSET[hours]
    if abbr and abbr[0].isalpha():
        return abbr
    return utc_offset(offset)


_RUSSIAN_ZONES = frozenset({
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Simferopol", "Europe/Kirov", "Europe/Volgograd",
    "Europe/Astrakhan", "Europe/Saratov", "Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg",
    "Asia/Omsk", "Asia/Novosibirsk", "Asia/Barnaul", "Asia/Tomsk", "Asia/Novokuznetsk",
    "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita", "Asia/Yakutsk", "Asia/Khandyga",
    "Asia/Vladivostok", "Asia/Ust-Nera", "Asia/Magadan", "Asia/Sakhalin", "Asia/Srednekolymsk",
    "Asia/Kamchatka", "Asia/Anadyr"})


def utc_offset(offset: timedelta) -> str:
    """'UTC+7', 'UTC+5:30', 'UTC−3', 'UTC'."""
    if not offset:
        return "UTC"
    sign = "+" if offset > timedelta(0) else "−"
    minutes = abs(offset) // timedelta(minutes=1)
    h, m = divmod(minutes, 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def differs(t: datetime, zone: tzinfo | None) -> bool:
    """Whether the agent reads ``t`` at another offset than ``zone`` (the calendar's) does."""
    if zone is None:
        return False
    return t.astimezone(zone).utcoffset() != local(t).utcoffset()


def dual(t: datetime, zone: tzinfo | None, lang: str = "en", with_date: bool = True) -> str:
    """A time as the agent reads it, and the calendar's time first where the zones differ:
    '07.12.2026 18:00 МСК — 20:00 у вас' / '07.12.2026 18:00 MSK — 20:00 your time';
    where they agree, just '07.12.2026 18:00'."""
    lt = local(t)
    if not differs(t, zone):
        return f"{dmy(lt)} {hm(lt)}" if with_date else hm(lt)
    assert zone is not None
    ct = t.astimezone(zone)
    head = f"{dmy(ct)} {hm(ct)}" if with_date else hm(ct)
    mine = hm(lt) if lt.date() == ct.date() or not with_date else f"{dm(lt)} {hm(lt)}"
    yours = "у вас" if _lang(lang) == "ru" else "your time"
    return f"{head} {zone_label(ct, lang)} — {mine} {yours}"


def in_zone(t: datetime, zone: tzinfo, lang: str = "ru", with_date: bool = True) -> str:
    """A time for a client (an act, a mail) in the calendar's zone, which it names:
    '07.12.2026 18:00 (МСК)'."""
    ct = t.astimezone(zone)
    text = f"{dmy(ct)} {hm(ct)}" if with_date else hm(ct)
    return f"{text} ({zone_label(ct, lang)})"


def iso(t: datetime | None) -> str | None:
    """ISO 8601 with the offset, to the second, for the CLI and ``--json``; None stays None."""
    return None if t is None else t.isoformat(timespec="seconds")
