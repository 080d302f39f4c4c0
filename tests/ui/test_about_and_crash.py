"""Help ▸ About names the version and the two folders a helper asks for; a crash's box names
its report and opens its folder; a native crash of the last run is told at the next start."""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.config import Paths
from ui import crash
from ui.about import AboutDialog, window_icon

ROOT = Path(__file__).resolve().parents[2]


def test_about_shows_the_package_version_and_opens_the_folders(qtbot, tmp_path: Path) -> None:
    opened: list[Path] = []
    dialog = AboutDialog(None, Paths(tmp_path / "data"), opener=opened.append)
    qtbot.addWidget(dialog)
    assert f"Reglament {metadata.version('reglament')}" in dialog.version_label.text()
    assert str(tmp_path / "data") in dialog.data_label.text()
    assert str(tmp_path / "data" / "logs") in dialog.log_label.text()
    for label in (dialog.data_label, dialog.log_label):
        href = label.text().split('href="', 1)[1].split('"', 1)[0]
        label.linkActivated.emit(href)
    assert opened == [tmp_path / "data", tmp_path / "data" / "logs"]


def test_the_window_icon_is_drawn_from_the_svg(qtbot) -> None:
    icon = window_icon()
    assert not icon.isNull() and not icon.pixmap(64, 64).isNull()
    # The application object the program makes (a process of its own: the tests' is pytest-qt's).
    script = ("from ui.app import application; app = application(); "
              "print(app.windowIcon().isNull(), app.applicationVersion(), app.desktopFileName())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    assert done.stdout.split() == ["False", metadata.version("reglament"), "ru.reglament.Workstation"]


def test_a_crash_box_names_the_report_and_opens_its_folder_without_closing(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(crash, "open_folder", opened.append)
    report = tmp_path / "logs" / "reglament.log"
    box = crash.crash_box(None, "Something went wrong", report)
    qtbot.addWidget(box)
    box.show()
    assert str(report) in box.informativeText()
    box.folder_button.click()
    assert opened == [report.parent]
    assert box.isVisible()


@pytest.fixture
def faulthandler_restored():
    """watch_for_crashes points faulthandler at its report file; the test process gets its own
    back afterwards."""
    was_on = faulthandler.is_enabled()
    yield
    if was_on:
        faulthandler.enable(file=sys.__stderr__)


def test_the_next_start_tells_of_a_native_crash_once(qtbot, tmp_path: Path, faulthandler_restored) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    left = logs / "crash-20261207-050000-4242.log"
    left.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    watcher = crash.watch_for_crashes(tmp_path)
    try:
        qtbot.waitUntil(lambda: bool(crash._OPEN))
        box = crash._OPEN[-1]
        reported = logs / "crash-20261207-050000-4242.reported.log"
        assert str(reported) in box.informativeText() and reported.exists() and not left.exists()
        box.done(QMessageBox.StandardButton.Close)
        assert crash._OPEN == []
    finally:
        watcher.close()
    assert not watcher.path.exists()
    again = crash.watch_for_crashes(tmp_path)
    try:
        QApplication.processEvents()
        assert crash._OPEN == [] and again.earlier == []
    finally:
        again.close()


def test_a_bug_in_the_window_gets_a_box_that_names_the_log_and_offers_its_folder(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QTimer

    from ui import errors

    log_file = tmp_path / "logs" / "reglament.log"
    monkeypatch.setitem(errors.QUIET, "on", False)
    monkeypatch.setitem(errors._log_file, "path", log_file)
    seen: dict[str, object] = {}

    def look() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.update(text=box.text(), report=box.informativeText(),
                    folder=getattr(box, "folder_button", None) is not None)
        box.done(QMessageBox.StandardButton.Close)

    QTimer.singleShot(0, look)
    errors.show_error(None, RuntimeError("boom"))
    assert "RuntimeError" in str(seen["text"]) and str(log_file) in str(seen["report"])
    assert seen["folder"] is True


def test_an_unwritable_log_folder_does_not_stop_the_start(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("a file where the folder should be", encoding="utf-8")
    watcher = crash.watch_for_crashes(tmp_path)
    assert watcher.earlier == []
    watcher.close()
    assert faulthandler.is_enabled()  # the test process's own is untouched


def test_help_about_opens_on_the_windows_own_folders(qtbot, window, demo_ws) -> None:
    from PySide6.QtCore import QTimer

    seen: list[tuple[Path, Path]] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AboutDialog)
        seen.append((dialog.data_folder, dialog.log_folder))
        dialog.reject()

    QTimer.singleShot(0, look)
    window.menus.about_action.trigger()
    assert seen == [(demo_ws.paths.home, demo_ws.paths.log_file.parent)]
