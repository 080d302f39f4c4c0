"""Times in the agent's zone, chosen in Settings ▸ Workstation (issue 19, point 1), through the
real widgets: the ticket header then says the calendar's time and the agent's ("due 18:00 MSK —
22:00 your time"), the queue's times move with the zone, and the choice is kept."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from desktop import times
from desktop.services.reads.queue import COLUMNS
from tests.ui.conftest import save_screenshot, settle


@pytest.fixture(autouse=True)
def _computer_zone_after() -> Iterator[None]:
    yield
    times.set_viewer_zone("")


def _choose_zone(qtbot, window, name: str) -> None:
    dlg = window.settings_entry.open("workstation")
    page = dlg.workstation
    page.zone.setCurrentIndex(page.zone.findData(name))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: times.viewer_zone_name() == name)
    settle(qtbot, window)
    assert page.status.text()
    dlg.accept()
    settle(qtbot, window)


def _show(qtbot, window, tid: str) -> None:
    window.views.select("all")
    settle(qtbot, window)
    for shown in ("TID-000002", tid):  # another ticket first: the page is read and painted anew
        assert window.select_tid(shown)
        qtbot.waitUntil(lambda t=shown: window.detail.data is not None and window.detail.data.tid == t)
        settle(qtbot, window)


def test_the_header_says_the_calendars_time_and_the_agents(qtbot, window, demo_ws, tmp_path):
    _show(qtbot, window, "TID-000008")
    same = window.detail.deadlines.text()
    assert "your time" not in same and "MSK" not in same  # the computer is in Moscow time here
    received_col = COLUMNS.index("received")
    _choose_zone(qtbot, window, "Asia/Novosibirsk")
    _show(qtbot, window, "TID-000008")
    text = window.detail.deadlines.text()
    assert "20.11.2026 13:00 MSK — 17:00 your time" in text
    assert "Received: 20.11.2026 10:00 MSK — 14:00 your time" in window.detail.meta.text()
    save_screenshot(window, "zone-header-en.png", tmp_path)
    window.set_language("ru")
    try:
        _show(qtbot, window, "TID-000008")
        assert "20.11.2026 13:00 МСК — 17:00 у вас" in window.detail.deadlines.text()
        save_screenshot(window, "zone-header-ru.png", tmp_path)
    finally:
        window.set_language("en")
    # The queue's own times moved with the zone: the received column reads the agent's clock.
    line = next(window.model.line(r) for r in range(window.model.rowCount())
                if window.model.line(r) is not None and window.model.line(r).row.tid == "TID-000008")
    assert line.texts[received_col] == times.when(line.row.received_at, demo_ws.now())
    assert line.texts[received_col].endswith("14:00")
    settings_file = demo_ws.paths.local_settings
    assert json.loads(settings_file.read_text(encoding="utf-8"))["display.timezone"] == "Asia/Novosibirsk"
    _choose_zone(qtbot, window, "")  # back to the computer's zone
    assert "display.timezone" not in json.loads(settings_file.read_text(encoding="utf-8"))
