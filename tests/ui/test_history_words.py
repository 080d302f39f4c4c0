"""The history speaks the reader's language: every action the engine records reads as words,
never as its stored name (``act_issued``, ``Paid: True``)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.services.reads.ticket_page import HistoryLine
from ui import i18n
from ui.detail_side import history_text

ROOT = Path(__file__).resolve().parents[2]


def _recorded_actions() -> set[str]:
    """Every action name passed to the history helpers anywhere in the engine."""
    found: set[str] = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                    "record", "history_values", "history"):
                strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if strings:
                    found.add(strings[0])
    return found


def _line(action: str, field: str | None = None, old: str | None = None, new: str | None = None,
          **details: object) -> HistoryLine:
    return HistoryLine(datetime(2026, 12, 7, 9, tzinfo=UTC), "anna", action, field, old, new, details)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_recorded_action_reads_as_words(qapp, lang):
    actions = _recorded_actions()
    assert {"act_issued", "paid", "flag", "change", "reminder", "act_refused"} <= actions
    i18n.install(qapp, lang)
    try:
        for action in actions:
            old, new = ("new", "in_progress") if action == "status" else ("normal", "high")
            text = history_text(_line(action, "priority", old, new, minutes=5, reason="вне часов"), lang)
            assert "_" not in text and text.strip().lower() != action, (action, text)
            assert text not in ("Changed", "Изменено"), (action, "reads as the fallback for unknown actions")
            assert "True" not in text and "False" not in text
    finally:
        i18n.install(qapp, "en")


def test_russian_words_for_acts_and_paid_work(qapp):
    i18n.install(qapp, "ru")
    try:
        assert history_text(_line("act_issued", new="АКТ-2026-0001"), "ru") == "Акт АКТ-2026-0001 выставлен"
        assert history_text(_line("paid", "paid", "False", "True", reason="работа вне часов тарифа"), "ru") == \
            "Отмечено платным: работа вне часов тарифа"
        assert history_text(_line("change", "priority", "normal", "high"), "ru") == "Приоритет: обычный → высокий"
    finally:
        i18n.install(qapp, "en")
