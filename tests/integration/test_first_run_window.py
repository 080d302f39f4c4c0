"""The first-run page end to end: a mailbox connected through the real accounts dialog against a
real Dovecot and SMTP server (tested before saving) makes the page give way to the queue; "Open
the demo" starts a real ``reglament --demo`` of its own that leaves the real workspace — even one
named by ``REGLAMENT_DB_URL`` — untouched and removes its folder when it ends."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from tests import leftovers
from tests.integration.conftest import Mailbox
from tests.servers.smtp import SmtpServer

pytestmark = [pytest.mark.integration, pytest.mark.ui]


def _open(qtbot, ws):
    from ui.app import create_window

    window = create_window(ws, language="en")
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(window.first_run.is_shown, timeout=10_000)
    return window


def test_connecting_a_mailbox_from_the_page_puts_the_queue_in_its_place(
    qtbot, ws, mailbox: Mailbox, smtp_server_factory, memory_keyring
) -> None:
    smtp: SmtpServer = smtp_server_factory(users={mailbox.user: mailbox.password}, require_auth=True)
    window = _open(qtbot, ws)
    page = window.first_run.page
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    dlg = window.sync.last_dialog
    qtbot.waitUntil(lambda: window.runner.pending() == 0, timeout=10_000)
    assert dlg.isVisible() and dlg.signin.check_first.isChecked()
    dlg.name.setText("support")
    dlg.email.setText("support@reglament.test")
    dlg.user.setText(mailbox.user)
    dlg.security.setCurrentIndex(dlg.security.findData("none"))
    dlg.imap_host.setText(mailbox.server.host)
    dlg.imap_port.setValue(mailbox.server.port)
    dlg.smtp_host.setText(smtp.host)
    dlg.smtp_port.setValue(smtp.port)
    dlg.password.setText(mailbox.password)
    dlg.save()
    qtbot.waitUntil(lambda: dlg.verdict.text() == "Saved.", timeout=30_000)  # logged in first
    assert window.first_run.is_shown()  # still the page until the dialog is closed
    dlg.close()
    qtbot.waitUntil(lambda: not window.first_run.is_shown(), timeout=30_000)
    assert window.table.isVisible() and not page.isVisible()
    qtbot.waitUntil(lambda: "connected" in window.sync.last_text, timeout=60_000)
    window.close()
    assert window.sync.worker is None


def _demo_folders(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("reglament-demo-*"))


def _tickets(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("select count(*) from tickets").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_the_demo_opens_in_a_program_of_its_own_and_leaves_the_workspace_alone(
    qtbot, ws, memory_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # where the demo makes its throw-away folder
    # The real workspace's database named in the environment, as a team's would be.
    monkeypatch.setenv("REGLAMENT_DB_URL", ws.db.url)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    window = _open(qtbot, ws)
    qtbot.mouseClick(window.first_run.page.demo_button, Qt.MouseButton.LeftButton)
    note = window.first_run.page.demo_note
    assert note.isVisible() and note.text() == "The demo is opening in a window of its own."
    demo = None
    try:
        qtbot.waitUntil(lambda: len(_demo_folders(tmp)) == 1, timeout=30_000)
        [folder] = _demo_folders(tmp)
        qtbot.waitUntil(lambda: _tickets(folder / "reglament.db") >= 40, timeout=120_000)
        demo = next(p for p in psutil.Process().children(recursive=True)
                    if "--demo" in leftovers.command(p))
        # This window's workspace is as it was: still empty, still on the first-run page.
        with ws.db.session() as s:
            assert s.execute(text("select count(*) from tickets")).scalar() == 0
        window.refresh_timer.timeout.emit()
        qtbot.waitUntil(lambda: window.runner.pending() == 0, timeout=10_000)
        assert window.first_run.is_shown()
        # The demo ends like any window asked to quit (a session logging out): its folder goes.
        os.kill(demo.pid, signal.SIGTERM)
        end = time.monotonic() + 60
        while time.monotonic() < end and (demo.is_running() and demo.status() != psutil.STATUS_ZOMBIE):
            leftovers.reap_zombies()
            time.sleep(0.1)
        leftovers.reap_zombies()
        assert not folder.exists()
    finally:
        if demo is not None and demo.is_running():
            demo.kill()
        leftovers.reap_zombies()
    window.close()
