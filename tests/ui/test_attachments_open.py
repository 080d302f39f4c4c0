"""Opening an attachment: a read-only copy under the data folder goes to the system's viewer;
a program is never opened; no viewer → the agent is offered Save as…; old copies go at start.

The desktop's handler for ``file:`` URLs is replaced by a recorder (``QDesktopServices
.setUrlHandler``), the one seam Qt offers; everything of ours runs for real.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from desktop.services import attachments as attachment_files
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from tests.ui.conftest import settle


class _Viewer(QObject):
    """Stands in for the desktop's file viewer: records what it was asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def viewer() -> Iterator[_Viewer]:
    v = _Viewer()
    QDesktopServices.setUrlHandler("file", v, "show")
    yield v
    QDesktopServices.unsetUrlHandler("file")


def _mail_with_attachments(ws) -> str:
    """A client's message with a PDF, a text file and an .exe, through the real ingest."""
    msg = EmailMessage()
    msg["From"] = "Мария <m.ivanova@romashka.ru>"
    msg["To"] = "support@reglament.test"
    msg["Subject"] = "Акт сверки и программа"
    msg["Message-ID"] = "<open-test-1@romashka.ru>"
    msg["Date"] = "Fri, 20 Nov 2026 11:00:00 +0300"
    msg.set_content("Здравствуйте! Файлы во вложении.")
    msg.add_attachment(b"%PDF-1.4 test", maintype="application", subtype="pdf", filename="Акт сверки.pdf")
    msg.add_attachment("строка\n".encode(), maintype="text", subtype="plain", filename="заметки.txt")
    msg.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="счёт.pdf.exe")
    report = ingest_batch(ws, None, "INBOX", None, [
        IncomingMail(uid=None, internaldate=datetime(2026, 11, 20, 8, 0, tzinfo=UTC), raw=msg.as_bytes())])
    [tid] = report.new_tickets
    return tid


def _open_ticket(qtbot, window, tid: str) -> None:
    window.refresh()
    settle(qtbot, window)
    assert window.select_tid(tid)
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == tid)
    settle(qtbot, window)


def _index(window, suffix: str) -> int:
    return next(i for i, r in enumerate(window.detail.attachments()) if r.filename.endswith(suffix))


def test_double_click_opens_a_read_only_copy(qtbot, window, demo_ws, viewer):
    tid = _mail_with_attachments(demo_ws)
    _open_ticket(qtbot, window, tid)
    detail = window.detail
    assert detail.attachment_bar.isVisible() and detail.attachment_list.count() == 3

    n = _index(window, ".pdf")
    item = detail.attachment_list.item(n)
    rect = detail.attachment_list.visualItemRect(item)
    assert rect.isValid()
    # A real double-click: press/release, then the second press arrives as a double-click.
    qtbot.mouseClick(detail.attachment_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(detail.attachment_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(viewer.opened) == 1)
    path = Path(viewer.opened[0].toLocalFile())
    ref = detail.attachments()[n]
    assert path == demo_ws.paths.home / "tmp" / "open" / ref.sha256 / "Акт сверки.pdf"
    assert path.read_bytes() == attachment_files.attachment_data(demo_ws, ref.sha256) == b"%PDF-1.4 test"
    mode = stat.S_IMODE(path.stat().st_mode)
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert not mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    assert detail.notice is None

    # The button opens the selected one (a second time: the copy is reused).
    detail.attachment_list.setCurrentRow(n)
    assert detail.open_button.isEnabled()
    qtbot.mouseClick(detail.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(viewer.opened) == 2)
    assert Path(viewer.opened[1].toLocalFile()) == path


def test_a_program_is_never_opened(qtbot, window, demo_ws, viewer):
    tid = _mail_with_attachments(demo_ws)
    _open_ticket(qtbot, window, tid)
    detail = window.detail
    n = _index(window, ".exe")
    detail.open_attachment(n)
    settle(qtbot, window)
    assert viewer.opened == []
    assert detail.notice is not None and detail.notice.icon() == QMessageBox.Icon.Warning
    assert "счёт.pdf.exe" in detail.notice.text()
    assert any(b.text() == "Save as…" for b in detail.notice.buttons())
    assert not (demo_ws.paths.home / "tmp" / "open").exists() or not any(
        (demo_ws.paths.home / "tmp" / "open").rglob("*.exe"))
    detail.notice.close()


@pytest.mark.qt_log_ignore("does not support QPlatformServices::openDocument")
def test_no_viewer_for_the_type_offers_save_as(qtbot, window, demo_ws):
    # Offscreen, with no handler for file: URLs, the desktop has no application to open anything.
    tid = _mail_with_attachments(demo_ws)
    _open_ticket(qtbot, window, tid)
    detail = window.detail
    detail.open_attachment(_index(window, ".txt"))
    qtbot.waitUntil(lambda: detail.notice is not None)
    assert detail.notice.icon() == QMessageBox.Icon.Information
    assert "заметки.txt" in detail.notice.text() and "No application" in detail.notice.text()
    assert any(b.text() == "Save as…" for b in detail.notice.buttons())
    window.detail.grab().save(str(Path(os.environ.get("REGLAMENT_SHOTS", "/tmp")) / "attachment-no-viewer.png"))
    detail.notice.close()


def test_the_link_in_the_thread_offers_open_and_save(qtbot, window, demo_ws, viewer):
    tid = _mail_with_attachments(demo_ws)
    _open_ticket(qtbot, window, tid)
    detail = window.detail
    n = _index(window, ".pdf")
    detail.thread_view.anchorClicked.emit(QUrl(f"attachment:{n}"))
    menu = detail.attachment_menu
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["Open", "Save as…"]
    menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: len(viewer.opened) == 1)
    assert viewer.opened[0].toLocalFile().endswith("Акт сверки.pdf")
    menu.close()


def test_copies_from_an_earlier_session_are_removed_at_start(qtbot, demo_ws):
    from ui.workers import Runner

    tid = _mail_with_attachments(demo_ws)
    from desktop.services.reads import listing

    att = listing.ticket_detail(demo_ws, tid)["messages"][0]["attachments"][0]
    copy = attachment_files.copy_for_opening(demo_ws, att["sha256"], att["filename"], att.get("content_type") or "")
    assert copy.exists()
    from ui.ticket_detail import TicketDetail

    runner = Runner()
    detail = TicketDetail(runner, demo_ws)
    qtbot.addWidget(detail)
    qtbot.waitUntil(lambda: runner.pending() == 0)
    assert not (demo_ws.paths.home / "tmp" / "open").exists()


@pytest.mark.parametrize(("name", "content_type", "runnable"), [
    ("setup.EXE", "", True), ("invoice.pdf.exe", "application/pdf", True), ("run.sh", "", True),
    ("x.desktop", "", True), ("tool.jar", "", True), ("script.ps1", "", True), ("a.js", "", True),
    ("install.msi", "", True), ("evil.exe.", "", True), ("noext", "application/x-msdownload", True),
    ("\u202eexe.pdf", "", False), ("report.pdf", "application/pdf", False),
    ("photo.JPG", "image/jpeg", False), ("table.xlsx", "", False), ("notes.txt", "text/plain", False),
])
def test_runnable_types(name, content_type, runnable):
    assert attachment_files.is_runnable(name, content_type) is runnable
