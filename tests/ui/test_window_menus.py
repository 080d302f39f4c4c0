"""The window's menus: what each holds, in order, and the language choice they keep."""

from __future__ import annotations

import pytest

from tests.ui.conftest import settle
from ui.app import settings_for

pytestmark = pytest.mark.ui


def _texts(menu) -> list[str]:
    return [a.text() for a in menu.actions()]


def test_the_menu_bar_and_what_each_menu_holds(window) -> None:
    menus = window.menus
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&View", "&Ticket", "&Help"]
    assert _texts(menus.file_menu) == [window.ticket_actions.actions["log_contact"].text(), "Mail accounts…",
                                       "Settings", "Check mail now", "Outbox…", "", "Quit"]
    view = _texts(menus.view_menu)
    assert view[:3] == ["Refresh", "Search", window.dashboard_entry.action.text()]
    assert view[-1] == "Language"
    assert view[view.index("All tickets") + 1] == "Save filter as view…"
    assert [a.shortcut().toString() for a in menus.view_actions] == [
        f"Alt+{n + 1}" for n in range(len(menus.view_actions))]
    ticket = [a for a in menus.ticket_menu.actions() if not a.isSeparator()]
    assert ticket[0] is window.ticket_actions.actions["take"]
    assert ticket[-1] is window.ticket_actions.actions["explain"]
    assert _texts(menus.help_menu) == ["Keyboard shortcuts", "Open log folder", "", "About Reglament"]
    assert [a.objectName() for a in window.table.actions()] == [
        window.ticket_actions.actions[k].objectName() for k in ("take", "reply", "assign", "resolve")]


def test_the_language_choice_is_checked_and_kept_in_the_data_folder(qtbot, window, demo_ws) -> None:
    language = window.menus.language_menu
    assert _texts(language) == ["As the system", "English", "Русский"]
    try:
        language.actions_by_code["ru"].trigger()
        settle(qtbot, window)
        assert window.menuBar().actions()[0].text() == "&Файл"
        assert [c for c, a in language.actions_by_code.items() if a.isChecked()] == ["ru"]
        assert settings_for(demo_ws).value("ui/language") == "ru"
    finally:
        window.set_language("en")
    settle(qtbot, window)
    assert [c for c, a in language.actions_by_code.items() if a.isChecked()] == ["en"]
    assert window.menuBar().actions()[0].text() == "&File"


def test_the_thread_and_duplicate_entries_sit_with_merge_and_split(window) -> None:
    entries = [a for a in window.menus.ticket_menu.actions() if not a.isSeparator()]
    keys = [a.objectName().removeprefix("action_") for a in entries]
    at = keys.index("confirm_thread")
    assert keys[at:at + 6] == ["confirm_thread", "move_message", "split_message", "compare_duplicate", "merge", "split"]
    shortcuts = [a.shortcut().toString() for a in entries if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), "two entries share a shortcut"
