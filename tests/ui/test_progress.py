"""Long work in the status bar through one progress model: the dashboard's build step by step, a
bulk reassign with Cancel between two tickets, what the bar says (n of N, the time left once it
can tell) and screenshots of it in both languages at 1400×900 and 1280×720."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.services.reads import listing
from desktop.services.reads.dashboard import BUILD_STEPS
from tests.ui.conftest import save_screenshot, settle


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _recorder(model, key: str) -> list[tuple[int, int] | None]:
    seen: list[tuple[int, int] | None] = []

    def changed() -> None:
        task = model.get(key)
        seen.append((task.done, task.total) if task is not None else None)

    model.changed.connect(changed)
    return seen


def test_the_dashboard_build_reports_its_steps(qtbot, window) -> None:
    seen = _recorder(window.progress, "dashboard")
    dash = window.dashboard_entry.open()
    qtbot.waitUntil(lambda: dash.loaded_count >= 1, timeout=10_000)
    settle(qtbot, window)
    steps = [s for s in seen if s is not None]
    assert steps == [(n, BUILD_STEPS) for n in range(BUILD_STEPS + 1)]
    assert seen[-1] is None and window.progress.get("dashboard") is None  # finished: gone
    dash.close()


def test_a_bulk_reassign_reports_progress_and_cancels_between_tickets(qtbot, window, demo_ws) -> None:
    from desktop.services.reads.queue import QueueSpec, fetch_ids, fetch_rows

    dash = window.dashboard_entry.open()
    qtbot.waitUntil(lambda: dash.loaded_count >= 1, timeout=10_000)
    settle(qtbot, window)
    rows = fetch_rows(demo_ws, fetch_ids(demo_ws, QueueSpec(view="all")))
    everyone = {r.tid: listing.ticket_detail(demo_ws, r.tid)["assignee"] for r in rows.values()}
    chosen = [tid for tid, who in everyone.items() if who != "olga"][:24]
    before = {tid: everyone[tid] for tid in chosen}
    seen = _recorder(window.progress, "reassign")

    def cancel_at_the_first_step() -> None:
        task = window.progress.get("reassign")
        if task is not None and task.done >= 1 and not task.cancelling:
            assert task.cancel is not None  # offered: stopping between tickets is safe
            window.progress.cancel("reassign")

    window.progress.changed.connect(cancel_at_the_first_step)
    dash.lists.reassign(chosen, "olga")
    qtbot.waitUntil(lambda: "Reassigned" in dash.lists.status.text(), timeout=30_000)
    window.progress.changed.disconnect(cancel_at_the_first_step)
    settle(qtbot, window)
    steps = [s for s in seen if s is not None]
    assert steps[0] == (0, len(chosen)) and all(total == len(chosen) for _d, total in steps)
    after = {tid: listing.ticket_detail(demo_ws, tid)["assignee"] for tid in chosen}
    done = [tid for tid in chosen if after[tid] == "olga"]
    # Stopped between two tickets: the first ones are reassigned, the rest are as they were.
    assert 1 <= len(done) < len(chosen)
    assert done == chosen[: len(done)]
    assert all(after[t] == before[t] for t in chosen[len(done):])
    assert f"the other {len(chosen) - len(done)} are as they were" in dash.lists.status.text()
    assert window.progress.get("reassign") is None
    dash.close()


def test_the_bar_says_n_of_n_and_the_time_left_once_it_can_tell(qtbot, window) -> None:
    clock = Clock()
    model, status = window.progress, window.progress_status
    model.clock = clock
    stopped: list[bool] = []
    model.update("sync:support", "Mail: support", 0, 20_000, cancel=lambda: stopped.append(True))
    assert status.isHidden()  # nothing shows for work that may be over in a moment
    clock.t += 2
    model.update("sync:support", "Mail: support", 0, 20_000)
    assert status.isVisible()
    assert status.label.text() == "Mail: support — 0 of 20,000 · estimating the time left…"
    clock.t += 30
    model.update("sync:support", "Mail: support", 2_500, 20_000)
    # 2,500 in 32 s: 17,500 left at ~78 a second, a little under 4 minutes, said as 4.
    assert status.label.text() == "Mail: support — 2,500 of 20,000 · about 4 min left"
    assert status.bar.value() == 2_500 and status.bar.maximum() == 20_000
    qtbot.mouseClick(status.cancel_button, Qt.MouseButton.LeftButton)
    assert stopped == [True] and not status.cancel_button.isEnabled()
    assert status.label.text().endswith("stopping after the current step…")
    model.finish("sync:support")
    assert status.isHidden()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)], ids=["1400x900", "1280x720"])
def test_status_bar_progress_screenshots(qtbot, window, tmp_path, lang, size) -> None:
    window.set_language(lang)
    window.resize(*size)
    settle(qtbot, window)
    clock = Clock()
    model = window.progress
    model.clock = clock
    model.update("sync:support", ("Почта: support" if lang == "ru" else "Mail: support"), 0, 20_000,
                 cancel=lambda: None)
    clock.t += 45
    model.update("sync:support", ("Почта: support" if lang == "ru" else "Mail: support"), 3_750, 20_000)
    status = window.progress_status
    assert status.isVisible()
    text = status.label.text()
    assert ("3 750 из 20 000" in text.replace("\u00a0", " ")) if lang == "ru" else ("3,750 of 20,000" in text)
    # The whole line fits in the status bar beside the mail state, nothing cut.
    bar = window.statusBar()
    right = status.mapTo(bar, status.rect().topRight()).x()
    assert right <= bar.width() and status.label.width() >= status.label.sizeHint().width()
    save_screenshot(window, f"status-progress-{lang}-{size[0]}x{size[1]}.png", tmp_path)
    model.finish("sync:support")
    window.set_language("en")
