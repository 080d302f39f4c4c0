"""Screenshots of the real window on demo data at a pinned clock (reproducible).

They land in the test's temp folder; with ``REGLAMENT_SCREENSHOTS=DIR`` they are written there
too (``resources/screenshots`` for the README's picture).
"""

from __future__ import annotations

from tests.ui.conftest import save_screenshot, settle


def test_screenshots(qtbot, window, tmp_path):
    window.resize(1500, 950)
    window.views.select("all")
    settle(qtbot, window)
    assert window.select_tid("TID-000002")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000002")
    settle(qtbot, window)
    window.table.scrollToTop()
    save_screenshot(window, "main-window.png", tmp_path)

    window.set_language("ru")
    settle(qtbot, window)
    assert window.select_tid("TID-000008")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000008")
    settle(qtbot, window)
    save_screenshot(window, "ticket-detail-ru.png", tmp_path)

    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.ticket_actions.actions["reply"].trigger()
    settle(qtbot, window)
    dlg = opened[-1]
    combo = dlg.templates
    combo.setCurrentIndex(1)
    dlg.insert_template()
    settle(qtbot, window)
    save_screenshot(dlg, "reply-editor-ru.png", tmp_path)
    dlg.close_keep()
    settle(qtbot, window)

    window.ticket_actions.actions["refuse"].trigger()
    settle(qtbot, window)
    refuse = opened[-1]
    reason = refuse.fields["reason"]
    reason.setCurrentIndex(reason.findData("no_contract"))
    qtbot.waitUntil(lambda: bool(refuse.fields["reply"].toPlainText()))
    settle(qtbot, window)
    save_screenshot(refuse, "refuse-dialog-ru.png", tmp_path)
    refuse.reject()

    window.sync.open_accounts()
    settle(qtbot, window)
    save_screenshot(window.sync.last_dialog, "accounts-dialog-ru.png", tmp_path)
    window.sync.last_dialog.reject()
    window.set_language("en")
    settle(qtbot, window)
