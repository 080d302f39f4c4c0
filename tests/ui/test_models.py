"""Every model the workstation shows passes Qt's model tester.

A model that reports a row it cannot answer for, an index with a wrong parent or a change without
its signal shows up as a blank row, a lost selection or a crash in a view, often far from the
model's code. Qt's ``QAbstractItemModelTester`` checks the contract; here it runs over every item
view in the main window, the open ticket, the settings dialog and the dashboard, so a new list
cannot skip it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QWidget

from tests.ui.conftest import settle


def _models(*roots: QWidget) -> list[tuple[str, object]]:
    found: dict[int, tuple[str, object]] = {}
    for root in roots:
        for view in root.findChildren(QAbstractItemView):
            model = view.model()
            if model is not None:
                found.setdefault(id(model), (view.objectName() or type(view).__name__, model))
    return list(found.values())


def test_every_model_of_the_window_passes_the_model_tester(qtbot, qtmodeltester, window, demo_ws):
    window.views.select("all")
    settle(qtbot, window)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.data is not None)
    settle(qtbot, window)

    window.settings_entry.actions["plans"].trigger()
    settings = window.settings_entry.dialog
    settle(qtbot, window)
    dashboard = window.dashboard_entry.open()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.runner.pending() == 0)

    models = _models(window, settings, dashboard)
    names = [name for name, _ in models]
    assert "queue" in names and len(models) >= 5, names
    for _name, model in models:
        qtmodeltester.check(model)
    settings.close()
    dashboard.close()
