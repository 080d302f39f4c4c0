"""The Settings window's pages of workspace settings: the executor's details and prices, and
the numbering of tickets and acts (R-UI-6, R-TICKET-1, R-ACT-1).

Each page edits a group of declared settings (:mod:`desktop.settings`). A value is checked
exactly as ``reglament settings set`` checks it — the declaration, then the rules of the floor
that owns it (an act number must come out of its pattern) — so the window and the command
line refuse the same value with the same words. A group is saved all or nothing, checked
against what the page read, so two administrators never overwrite each other unknowingly.
The numbering page previews the next ticket and act numbers from the counters as they stand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop import settings
from desktop.acts.model import format_act_number
from desktop.domain.tickets import TidFormat
from desktop.errors import ConflictError, ReglamentError
from desktop.services import regulation
from desktop.services.workspace import Workspace
from desktop.store.sequences import current_value

#: The pages' groups, by the page's key.
GROUPS: dict[str, tuple[settings.Setting[Any], ...]] = {
    "requisites": (settings.EXECUTOR, settings.VAT_RATE, settings.HOUR_RATE),
    "numbering": (settings.TID_PREFIX, settings.TID_WIDTH, settings.ACT_NUMBER_PATTERN),
}


def read_group(ws: Workspace, group: str) -> dict[str, Any]:
    """The group's current values in their declared types."""
    with ws.db.session() as s:
        return {item.key: ws.setting(item, s) for item in GROUPS[group]}


def check_value(key: str, value: Any) -> Any:
    """``value`` in its declared type, or the SettingRefused ``settings set`` would give. No
    I/O: the window checks as the administrator types."""
    return regulation.checked_value(settings.declared(key), value)


def check_group(group: str, values: dict[str, Any]) -> dict[str, Any]:
    return {item.key: check_value(item.key, values[item.key]) for item in GROUPS[group] if item.key in values}


def save_group(ws: Workspace, group: str, values: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Store the changed values of ``group``, each checked first; refused (ConflictError) when
    someone changed one of them since ``expected`` was read. Returns the keys stored."""
    typed = check_group(group, values)
    changed = [key for key, value in typed.items() if value != expected.get(key)]
    with ws.db.session() as s:
        current = {key: ws.setting(key, s) for key in changed}
        for key in changed:
            if current[key] != expected.get(key):
                raise ConflictError("the setting {key} was changed meanwhile (it is now {value!r}); "
                                    "check it and save again", key=key, value=current[key])
        for key in changed:
            ws.set_setting(key, typed[key], s)
    return changed


@dataclass(frozen=True)
class Counters:
    """How far the counters have gone: tickets, acts without and with the year in the number."""

    tid: int
    act: int
    act_year: int
    today: date


def counters(ws: Workspace) -> Counters:
    today = ws.now().date()
    with ws.db.reading() as s:
        return Counters(current_value(s, "tid"), current_value(s, "act"),
                        current_value(s, f"act-{today.year}"), today)


def next_tid(c: Counters, prefix: str, width: int) -> str:
    """The number the next ticket gets under this prefix and width (the ticket counter goes on:
    a number is never given twice)."""
    return TidFormat(prefix=prefix, width=width).format(c.tid + 1)


def next_act(c: Counters, pattern: str) -> str:
    """The number the next act gets under ``pattern``; with ``{year}`` the count starts again
    each year."""
    seq = (c.act_year if "{year" in pattern else c.act) + 1
    return format_act_number(pattern, seq, c.today)


def preview(c: Counters, values: dict[str, Any]) -> dict[str, str | ReglamentError]:
    """The next ticket and act numbers for the typed values, or why they cannot be made."""
    out: dict[str, str | ReglamentError] = {}
    try:
        out["tid"] = next_tid(c, check_value("tid.prefix", values["tid.prefix"]),
                              check_value("tid.width", values["tid.width"]))
    except ReglamentError as exc:
        out["tid"] = exc
    try:
        out["act"] = next_act(c, check_value("act.number_pattern", values["act.number_pattern"]))
    except ReglamentError as exc:
        out["act"] = exc
    return out
