"""Screenshots of the real window on demo data at a pinned clock (reproducible).

They land in the test's temp folder; with ``REGLAMENT_SCREENSHOTS=DIR`` they are written there
too (``resources/screenshots`` for the README's picture).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QImage

from tests.ui.conftest import settle


def _save(widget, name: str, tmp_path: Path) -> Path:
    out = tmp_path / name
    assert widget.grab().save(str(out))
    extra = os.environ.get("REGLAMENT_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(extra) / name))
    img = QImage(str(out))
    assert img.width() > 300 and img.height() > 200
    # Not a blank picture: many distinct colours (text, countdown tints, selection).
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(colours) > 20
    return out


def test_screenshots(qtbot, window, tmp_path):
    window.resize(1500, 950)
    window.views.select("all")
    settle(qtbot, window)
    assert window.select_tid("TID-000002")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000002")
    settle(qtbot, window)
    window.table.scrollToTop()
    _save(window, "main-window.png", tmp_path)

    window.set_language("ru")
    settle(qtbot, window)
    assert window.select_tid("TID-000008")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000008")
    settle(qtbot, window)
    _save(window, "ticket-detail-ru.png", tmp_path)

    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.ticket_actions.actions["reply"].trigger()
    settle(qtbot, window)
    dlg = opened[-1]
    combo = dlg.templates
    combo.setCurrentIndex(1)
    dlg.insert_template()
    settle(qtbot, window)
    _save(dlg, "reply-editor-ru.png", tmp_path)
    dlg.close_keep()
    settle(qtbot, window)

    window.ticket_actions.actions["refuse"].trigger()
    settle(qtbot, window)
    refuse = opened[-1]
    reason = refuse.fields["reason"]
    reason.setCurrentIndex(reason.findData("no_contract"))
    qtbot.waitUntil(lambda: bool(refuse.fields["reply"].toPlainText()))
    settle(qtbot, window)
    _save(refuse, "refuse-dialog-ru.png", tmp_path)
    refuse.reject()

    window.sync.open_accounts()
    settle(qtbot, window)
    _save(window.sync.last_dialog, "accounts-dialog-ru.png", tmp_path)
    window.sync.last_dialog.reject()
    window.set_language("en")
    settle(qtbot, window)
