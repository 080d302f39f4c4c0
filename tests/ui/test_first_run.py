"""The first-run page on an empty workspace, through the real window: shown in the queue's place,
a keyring problem said on it, ``?`` for the shortcuts, gone once there is a ticket (and back when
the workspace is empty again), never shown on a workspace with tickets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import save_screenshot, settle


@pytest.fixture
def empty_window(qtbot, ws, memory_keyring) -> Iterator[object]:
    from ui.app import create_window

    win = create_window(ws, language="en")
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.first_run.state is not None, timeout=10_000)
    settle(qtbot, win)
    yield win
    win.runner.wait()


def test_an_empty_workspace_opens_on_the_first_run_page(qtbot, empty_window) -> None:
    win = empty_window
    page = win.first_run.page
    assert win.first_run.is_shown() and page.isVisible()
    assert not win.table.isVisible() and not win.detail.isVisible()  # the page is in their place
    assert win.views.isVisible()
    assert page.connect_button.hasFocus()
    for button in (page.connect_button, page.demo_button, page.clients_button):
        assert button.isVisible() and button.text() and button.description()
    qtbot.waitUntil(lambda: win.runner.pending() == 0)
    assert page.keyring_note.isHidden()  # a keyring that works is not mentioned

    # "?" opens the shortcuts, once: pressed again it brings the same list forward.
    qtbot.keyClick(page.connect_button, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    dialog = win.menus.help_entries.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(page.connect_button, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    assert win.menus.help_entries.dialog is dialog
    dialog.close()

    # "Connect a mailbox" opens the accounts dialog, with its connection test before saving.
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    accounts = win.sync.last_dialog
    assert accounts.isVisible() and accounts.signin.check_first.isChecked()
    accounts.close()
    settle(qtbot, win)


def test_the_page_goes_once_an_account_exists_and_comes_back_when_empty_again(qtbot, empty_window, ws) -> None:
    from desktop.services import accounts

    win = empty_window
    accounts.add_account(ws, name="support", email="support@example.ru", imap_host="127.0.0.1",
                         imap_port=1, smtp_port=1, security="none", password="Пароль")
    win.sync.synced.emit()  # what closing the accounts dialog announces
    qtbot.waitUntil(lambda: not win.first_run.is_shown(), timeout=10_000)
    assert win.table.isVisible() and not win.first_run.page.isVisible()

    accounts.remove_account(ws, "support")  # the workspace is empty again
    win.refresh_timer.timeout.emit()  # the periodic pass asks again
    qtbot.waitUntil(win.first_run.is_shown, timeout=10_000)
    win.sync.stop()
    settle(qtbot, win)


def test_a_workspace_with_tickets_never_shows_the_page(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.first_run.state is not None, timeout=10_000)
    assert not window.first_run.is_shown() and window.table.isVisible()


def test_a_missing_keyring_is_said_on_the_page(qtbot, ws, monkeypatch, tmp_path) -> None:
    """A headless Linux's keyring backend (keyring's ``fail.Keyring``): the page says that
    passwords cannot be kept, and what to install, before anyone types one."""
    import keyring
    from keyring.backends import fail

    from ui.app import create_window

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    win = create_window(ws, language="en")
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    note = win.first_run.page.keyring_note
    qtbot.waitUntil(lambda: not note.isHidden(), timeout=10_000)
    text = note.text()
    assert text.startswith("⚠ Passwords cannot be kept yet. No system keyring is available")
    assert "gnome-keyring" in text and "dbus" in text
    settle(qtbot, win)
    save_screenshot(win, "first-run-no-keyring-en-1280x720.png", tmp_path)
    win.runner.wait()


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)], ids=["1400x900", "1280x720"])
def test_first_run_screenshots(qtbot, ws, memory_keyring, tmp_path, lang, size) -> None:
    from ui.app import create_window

    win = create_window(ws, language=lang)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(win.first_run.is_shown, timeout=10_000)
    settle(qtbot, win)
    page = win.first_run.page
    # Every text whole: the buttons' descriptions and the hint wrap inside the window.
    for button in (page.connect_button, page.demo_button, page.clients_button):
        assert button.geometry().right() <= page.width()
        assert button.height() >= button.heightForWidth(button.width()) - 1
    assert page.hint.geometry().bottom() < page.height()
    save_screenshot(win, f"first-run-{lang}-{size[0]}x{size[1]}.png", tmp_path)
    win.runner.wait()
    QApplication.processEvents()
