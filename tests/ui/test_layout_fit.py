"""Every window and dialog fits a 1280×720 screen in both languages (issue 19, point 6).

Each test drives the real widgets in the window's language, sizes them to the small screen,
checks that nothing is pushed past its right or bottom edge (a minimum size bigger than the
screen would do that) and that labels are not cut, and saves a screenshot to look at. The same
tests run at 150 % scaling in ``test_layout_scaled`` (``QT_SCALE_FACTOR`` is read once, when
the application starts, so that run is a process of its own).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabBar, QWidget

from desktop import times
from tests.ui.conftest import save_screenshot, settle
from ui.queue_model import COLUMNS
from ui.queue_table import SUBJECT_MIN

SMALL = (1280, 720)
LANGS = ("ru", "en")


def _visible(root: QWidget) -> Iterator[QWidget]:
    for w in root.findChildren(QWidget):
        if w.isVisibleTo(root) and w.width() > 0 and w.height() > 0:
            yield w


def _inside(root: QWidget, w: QWidget) -> bool:
    """Whether ``w`` lies within ``root``'s right and bottom edges (one pixel of slack)."""
    top_left = w.mapTo(root, QPoint(0, 0))
    rect = QRect(top_left, w.size())
    return rect.right() <= root.width() + 1 and rect.bottom() <= root.height() + 1


def _clipped_labels(root: QWidget) -> list[str]:
    """Texts of visible labels and buttons narrower than their text needs, unless they wrap or
    elide with the whole text in a tooltip (the queue's cells and elided card lines do)."""
    cut = []
    for w in _visible(root):
        if isinstance(w, QLabel) and not w.wordWrap() and w.text():
            if w.width() + 1 < w.minimumSizeHint().width() and not w.toolTip():
                cut.append(w.text()[:60])
        elif isinstance(w, QAbstractButton) and w.text() and w.width() + 1 < w.minimumSizeHint().width():
            cut.append(w.text()[:60])
        elif isinstance(w, QComboBox) and not w.isEditable() and w.currentText() \
                and (w.currentIndex() == 0 or w.toolTip() != w.currentText()) \
                and w.fontMetrics().horizontalAdvance(w.currentText()) + 20 > w.width():
            cut.append(w.currentText()[:60])  # a filter's "any …" is never cut, nor text without a tooltip
    return cut


def check_fits(root: QWidget, size: tuple[int, int] = SMALL) -> None:
    """``root`` shown at ``size`` stays that size, every visible child inside it, no label cut."""
    assert root.minimumSizeHint().width() <= size[0], f"needs {root.minimumSizeHint().width()} px wide"
    assert root.minimumSizeHint().height() <= size[1], f"needs {root.minimumSizeHint().height()} px high"
    assert (root.width(), root.height()) == size
    outside = [f"{type(w).__name__} {w.objectName()}" for w in _visible(root)
               if not isinstance(w, QTabBar) and w.parentWidget() is not None and _inside_parent_scroll(w)
               and not _inside(root, w)]
    assert outside == []
    assert _clipped_labels(root) == []


def _inside_parent_scroll(w: QWidget) -> bool:
    """Widgets inside a scroll area may extend past the window: the area scrolls them in."""
    from PySide6.QtWidgets import QAbstractScrollArea

    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractScrollArea):
            return False
        p = p.parentWidget()
    return True


def fit(qtbot, root: QWidget, window: QWidget, size: tuple[int, int] = SMALL) -> None:
    root.resize(*size)
    settle(qtbot, window)
    for _ in range(3):
        qtbot.wait(10)


@pytest.mark.parametrize("lang", LANGS)
def test_the_main_window_fits_a_small_screen(qtbot, window, tmp_path, lang):
    # The agent in another zone than the plans' calendar: the header's longest form, both times.
    times.set_viewer_zone("Asia/Novosibirsk")
    window.set_language(lang)
    window.views.select("all")
    settle(qtbot, window)
    assert window.select_tid("TID-000008")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000008")
    fit(qtbot, window, window)
    save_screenshot(window, f"main-1280x720-{lang}.png", tmp_path)
    try:
        check_fits(window)
        # The subject keeps its share: the other default columns gave way, and come back wider.
        subject = COLUMNS.index("subject")
        assert window.table.columnWidth(subject) >= SUBJECT_MIN - 1
        client = COLUMNS.index("client")
        narrow = window.table.columnWidth(client)
        window.resize(1900, 900)
        settle(qtbot, window)
        qtbot.waitUntil(lambda: window.table.columnWidth(client) > narrow)
    finally:
        times.set_viewer_zone("")
        window.set_language("en")


@pytest.mark.parametrize("lang", LANGS)
def test_the_dashboard_fits_a_small_screen(qtbot, window, tmp_path, lang):
    window.set_language(lang)
    settle(qtbot, window)
    d = window.dashboard_entry.open()
    qtbot.waitUntil(lambda: d.loaded_count >= 1, timeout=10_000)
    fit(qtbot, d, window)
    save_screenshot(d, f"dashboard-1280x720-{lang}.png", tmp_path)
    try:
        check_fits(d)
    finally:
        d.close()
        window.set_language("en")


@pytest.mark.parametrize("lang", LANGS)
def test_settings_fit_a_small_screen(qtbot, window, tmp_path, lang):
    from ui.dialogs.settings import TABS

    window.set_language(lang)
    settle(qtbot, window)
    dlg = window.settings_entry.open("plans")
    try:
        for tab in TABS:
            dlg.show_tab(tab)
            fit(qtbot, dlg, window, (min(dlg.width(), SMALL[0]), min(dlg.height(), SMALL[1])))
            save_screenshot(dlg, f"settings-{tab}-{lang}.png", tmp_path)
            check_fits(dlg, (dlg.width(), dlg.height()))
    finally:
        dlg.reject()
        window.set_language("en")


@pytest.mark.parametrize("lang", LANGS)
def test_the_ticket_dialogs_fit_a_small_screen(qtbot, window, tmp_path, lang):
    window.set_language(lang)
    settle(qtbot, window)
    assert window.select_tid("TID-000008")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000008")
    settle(qtbot, window)
    opened: list[QWidget] = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    try:
        for key in ("reply", "refuse", "postpone", "escalate", "log_work", "edit"):
            before = len(opened)
            window.ticket_actions.actions[key].trigger()
            settle(qtbot, window)
            if len(opened) == before:
                continue
            dlg = opened[-1]
            fit(qtbot, dlg, window, (min(dlg.width(), SMALL[0]), min(dlg.height(), SMALL[1])))
            save_screenshot(dlg, f"dialog-{key}-{lang}.png", tmp_path, min_size=(200, 100))
            check_fits(dlg, (dlg.width(), dlg.height()))
            if hasattr(dlg, "close_keep"):
                dlg.close_keep()
            else:
                dlg.reject()
            settle(qtbot, window)
        window.explain_deadline("TID-000008", "reaction")
        qtbot.waitUntil(lambda: getattr(window, "last_dialog", None) is not None
                        and window.last_dialog.objectName() == "explain_dialog")
        ex = window.last_dialog
        fit(qtbot, ex, window, (min(ex.width(), SMALL[0]), min(ex.height(), SMALL[1])))
        save_screenshot(ex, f"dialog-explain-{lang}.png", tmp_path)
        check_fits(ex, (ex.width(), ex.height()))
        ex.reject()
        window.sync.open_accounts()
        settle(qtbot, window)
        acc = window.sync.last_dialog
        fit(qtbot, acc, window, (min(acc.width(), SMALL[0]), min(acc.height(), SMALL[1])))
        save_screenshot(acc, f"dialog-accounts-{lang}.png", tmp_path)
        check_fits(acc, (acc.width(), acc.height()))
        acc.reject()
    finally:
        window.set_language("en")


def test_the_window_opens_inside_the_screens_available_area(qtbot, window):
    """A geometry saved on a bigger screen, or the default size on a small one, is clamped into
    the available area (the offscreen screen is 800×800 here) and the window moved inside it."""
    area = window.screen().availableGeometry()
    window.resize(area.width() + 500, area.height() + 300)
    window.move(area.right() - 100, area.top() + 40)
    window.layout_state.save()
    window.resize(300, 300)
    window.layout_state.restore()
    assert area.contains(window.frameGeometry())
    window.settings.remove("window/geometry")
    window.layout_state.restore()  # no saved geometry: the default size, clamped
    assert area.contains(window.frameGeometry())
    assert window.frameGeometry().width() == min(1400, area.width())
