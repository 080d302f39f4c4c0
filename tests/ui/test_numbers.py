"""Numbers, percentages and sizes as the window's language writes them (issue 19, point 6)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.services.reads.queue_page import percent as share_text
from ui import numbers
from ui.thread_html import human_size

NBSP = "\u00a0"


def test_percentages_and_numbers_follow_the_language() -> None:
    assert numbers.percent(86.5, lang="ru") == f"86,5{NBSP}%"
    assert numbers.percent(86.5, lang="en") == "86.5%"
    assert numbers.percent(100, 0, lang="ru") == f"100{NBSP}%"
    assert numbers.number(1234567, lang="en") == "1,234,567"
    assert numbers.number(1234567, lang="ru").replace(NBSP, " ") == "1 234 567"
    assert numbers.number(2.25, 1, lang="ru") in ("2,2", "2,3")
    assert numbers.percent_suffix("ru") == f"{NBSP}%" and numbers.percent_suffix("en") == "%"
    # The queue's share of the target, written by the engine without Qt, agrees with QLocale.
    assert share_text(0.4, "ru") == numbers.percent(40, 0, lang="ru")
    assert share_text(0.4, "en") == numbers.percent(40, 0, lang="en")


def test_sizes_in_the_thread(qtbot) -> None:
    from ui import i18n

    assert i18n.current() == "en"
    assert human_size(512) == "512 B"
    assert human_size(2 * 1024 * 1024 + 300 * 1024) == "2.3 MB"
    assert numbers.size(2 * 1024 * 1024 + 300 * 1024, "ru") == ("2,3", "MB")


def test_no_number_is_formatted_by_hand_in_the_window() -> None:
    """``f"{x:.1f} %"`` wrote "86.5 %" in a Russian window: numbers go through ui.numbers."""
    by_hand = re.compile(r"\{[^{}]*:[,.]?\d*[f%]\}")
    root = Path(__file__).resolve().parents[2] / "ui"
    found = [f"{p.name}:{n}" for p in sorted(root.rglob("*.py")) if p.name != "numbers.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if by_hand.search(line)]
    assert found == []
