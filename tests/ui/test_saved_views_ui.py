"""Saved views in the window (R-UI-1), driven through the real widgets: the filter bar saved as
a view with a name, listed with its count, chosen (its filter comes back), renamed, shared,
moved by the menu and by dragging, deleted; a colleague's shared view appears at the next
pass; the panel photographed in both languages at 1280×720."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDropEvent

from desktop.services import saved_views
from desktop.services.reads.queue_spec import QueueSpec, fetch_ids
from desktop.services.workspace import open_workspace
from tests.conftest import DEMO_NOW, FixedClock
from tests.ui.conftest import save_screenshot, settle
from ui.views_panel import BADGE_ROLE


def _save(qtbot, window, name: str, shared: bool = False):
    window.saved_views.save_action.trigger()
    dlg = window.saved_views.last_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.fields["name"].setText(name)
    dlg.fields["shared"].setChecked(shared)
    dlg.accept()
    settle(qtbot, window)


def _row_of(panel, key: str) -> int:
    return next(i for i in range(panel.count()) if panel.item(i).data(Qt.ItemDataRole.UserRole) == key)


def test_the_filter_is_saved_chosen_and_counted(qtbot, window, demo_ws) -> None:
    bar = window.filters
    bar.set_filter("status", "new")
    bar.search.setText("сайт")
    settle(qtbot, window)
    shown = window.model.rowCount()
    _save(qtbot, window, "Сайт: новые", shared=True)
    [view] = saved_views.views(demo_ws)
    assert (view.name, view.shared, view.spec["status"], view.spec["search"]) == ("Сайт: новые", True, "new", "сайт")
    assert window.views.current_view() == view.key  # the new view is chosen
    window.refresh()
    settle(qtbot, window)
    expected = fetch_ids(demo_ws, QueueSpec(status="new", search="сайт"))
    assert window.views.count_of(view.key) == len(expected) == shown

    # A fixed view starts from an empty filter; choosing the saved view brings its filter back.
    window.views.select("all")
    settle(qtbot, window)
    assert bar.search.text() == "" and bar.status.currentData() is None
    window.views.select(view.key)
    settle(qtbot, window)
    assert bar.search.text() == "сайт" and bar.status.currentData() == "new"
    assert window.model.rowCount() == len(expected)

    # Clicking "+ Save filter as view…" opens the dialog and keeps the choice.
    window.views.setCurrentRow(_row_of(window.views, "add"))
    assert window.views.current_view() == view.key and window.saved_views.last_dialog.isVisible()
    window.saved_views.last_dialog.reject()


def test_rename_share_move_drag_and_delete(qtbot, window, demo_ws) -> None:
    keeper, panel = window.saved_views, window.views
    for name, status in (("Первый", "new"), ("Второй", "in_progress"), ("Третий", "resolved")):
        window.views.select("all")
        window.filters.set_filter("status", status)
        settle(qtbot, window)
        _save(qtbot, window, name)
    keys = panel.saved_keys()
    assert [keeper.views[k].name for k in keys] == ["Первый", "Второй", "Третий"]

    menu = keeper._menu(keys[2], None)
    texts = {a.text(): a for a in menu.actions() if a.text()}
    texts["Move up"].trigger()
    settle(qtbot, window)
    assert [v.name for v in saved_views.views(demo_ws)] == ["Первый", "Третий", "Второй"]

    # Dragging the first below the last.
    panel.setCurrentRow(_row_of(panel, keys[0]))
    settle(qtbot, window)
    target = panel.visualItemRect(panel.item(_row_of(panel, keys[1]))).center()
    drop = QDropEvent(target.toPointF(), Qt.DropAction.MoveAction, QMimeData(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(drop)
    settle(qtbot, window)
    assert [v.name for v in saved_views.views(demo_ws)] == ["Третий", "Второй", "Первый"]

    menu = keeper._menu(keys[1], None)
    texts = {a.text(): a for a in menu.actions() if a.text()}
    texts["Shared with the team"].trigger()
    settle(qtbot, window)
    assert saved_views.find_view(demo_ws, "Второй").shared
    keeper.ask_rename(keys[1])
    keeper.last_dialog.fields["name"].setText("Второй, общий")
    keeper.last_dialog.accept()
    settle(qtbot, window)
    assert panel.item(_row_of(panel, keys[1])).text() == "Второй, общий"
    menu = keeper._menu(keys[1], None)
    {a.text(): a for a in menu.actions() if a.text()}["Delete"].trigger()
    settle(qtbot, window)
    assert keys[1] not in panel.saved_keys() and len(saved_views.views(demo_ws)) == 2


def test_a_colleagues_shared_view_appears_and_is_not_theirs_to_change(qtbot, window, demo_ws) -> None:
    boris = open_workspace(home=demo_ws.paths.home, clock=FixedClock(DEMO_NOW), actor="boris")
    try:
        theirs = saved_views.save_view(boris, "Просрочено", {"sla": "breached"}, shared=True)
        saved_views.save_view(boris, "Личное", {"status": "new"})
    finally:
        boris.close()
    window.refresh()
    settle(qtbot, window)
    settle(qtbot, window)
    assert window.views.saved_keys() == [theirs.key]
    assert "Shared by boris" in window.views.item(_row_of(window.views, theirs.key)).toolTip()
    menu = window.saved_views._menu(theirs.key, None)
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled["Rename…"] is False and enabled["Delete"] is False and enabled["Shared by boris"] is False
    window.views.select(theirs.key)
    settle(qtbot, window)
    assert window.filters.sla.currentData() == "breached"
    assert window.model.rowCount() == window.views.count_of(theirs.key)


def test_screenshots_of_the_views_panel(qtbot, window, demo_ws, tmp_path) -> None:
    saved_views.save_view(demo_ws, "Сайт: новые", {"status": "new", "search": "сайт"}, shared=True)
    saved_views.save_view(demo_ws, "Мои просроченные", {"view": "mine", "sla": "breached"})
    window.saved_views.load()
    window.resize(1280, 720)
    window.refresh()
    settle(qtbot, window)
    for lang in ("en", "ru"):
        window.set_language(lang)
        settle(qtbot, window)
        first = window.views.saved_keys()[0]
        window.views.select(first)
        settle(qtbot, window)
        badge = window.views.item(_row_of(window.views, first)).data(BADGE_ROLE)
        assert badge == {"en": "team", "ru": "команда"}[lang]
        save_screenshot(window, f"views-panel-{lang}.png", tmp_path)
        window.saved_views.save_action.trigger()
        settle(qtbot, window)
        save_screenshot(window.saved_views.last_dialog, f"save-view-dialog-{lang}.png", tmp_path, (200, 100))
        window.saved_views.last_dialog.reject()
    window.set_language("en")


def test_the_window_opens_on_the_saved_view_it_was_closed_on(qtbot, demo_ws) -> None:
    from ui.app import create_window, settings_for

    view = saved_views.save_view(demo_ws, "Ждут приёмки, тех", {"view": "acceptance", "department": "technical"})
    stored = settings_for(demo_ws)
    stored.setValue("queue/view", view.key)
    stored.sync()
    win = create_window(demo_ws, demo=True, language="en")
    qtbot.addWidget(win)
    win.show()
    settle(qtbot, win)
    qtbot.waitUntil(lambda: win.views.current_view() == view.key)
    settle(qtbot, win)
    assert win.filters.department.currentData() == "technical"
    assert win.model.rowCount() == len(fetch_ids(demo_ws, QueueSpec(view="acceptance", department="technical")))
    win.close()
    saved_views.delete_view(demo_ws, view.id)
    again = create_window(demo_ws, demo=True, language="en")
    qtbot.addWidget(again)
    # Chosen from the start, so the list's first focus cannot pick the first row (My tickets).
    assert again.views.currentItem() is not None and again.views.current_view() == "all"
    again.views.setFocus()
    again.show()
    settle(qtbot, again)
    qtbot.waitUntil(lambda: again.views.currentItem() is not None)
    assert again.views.current_view() == "all"
    again.close()
