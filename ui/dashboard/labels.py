"""Codes and numbers of the dashboard as people read them: statuses, agents, plans, reasons and
durations in the current language, colours of a countdown state on the current palette."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from desktop import times
from desktop.domain.sla_format import format_duration
from desktop.domain.tickets import status_name
from desktop.services.reads.queue import Choices
from ui.countdown import is_dark, state_foreground


def state_colour(state: str) -> QColor:
    """A countdown state's text colour on the application's palette (lighter on a dark one)."""
    colour = state_foreground(state, is_dark())
    assert colour is not None
    return colour


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


class Labels:
    """Codes (statuses, logins, plans, reasons) as people read them in the current language."""

    def __init__(self, ch: Choices | None, lang: str) -> None:
        self.lang = lang
        self.agents = {c.code: c.label(lang) for c in ch.agents} if ch else {}
        self.plans = {c.code: c.label(lang) for c in ch.plans} if ch else {}
        self.departments = {c.code: c.label(lang) for c in ch.departments} if ch else {}
        self.reasons = {c.code: c.label(lang) for c, _use in ch.reasons} if ch else {}

    def status(self, code: str) -> str:
        try:
            return status_name(code, self.lang)
        except ValueError:
            return code

    def agent(self, login: str | None) -> str:
        if not login or login == "unassigned":
            return tr("Unassigned")
        return self.agents.get(login, login)

    def plan(self, code: str | None) -> str:
        return self.plans.get(code, code) if code else "—"

    def department(self, code: str) -> str:
        return self.departments.get(code, code)

    def reason(self, code: str) -> str:
        return self.reasons.get(code, code) if code and code != "None" else tr("No reason given")

    @staticmethod
    def target(kind: str) -> str:
        return {"reaction": tr("Reaction"), "resolution": tr("Resolution")}.get(kind, kind)

    def remaining(self, minutes: int) -> str:
        text = format_duration(timedelta(minutes=abs(minutes)), self.lang)
        return tr("overdue by {0}").format(text) if minutes < 0 else text


def local_deadline(iso: str) -> str:
    return times.date_time(datetime.fromisoformat(iso))


def largest(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def minutes_text(value: float, lang: str) -> str:
    """Working minutes as hours and minutes; a reply within the first minute is not "0 min"."""
    if 0 < value < 1:
        return tr("under a minute")
    return format_duration(timedelta(minutes=round(value)), lang)
