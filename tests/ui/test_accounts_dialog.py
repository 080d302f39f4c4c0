"""The mail accounts dialog round-trips an account; the password lands in the keyring only."""

from __future__ import annotations

from desktop.services import accounts
from tests.ui.conftest import settle

SECRET = "Пароль-Ёж №42"


def test_add_account_through_the_dialog(qtbot, window, demo_ws, memory_keyring):
    window.sync.open_accounts()
    dlg = window.sync.last_dialog
    settle(qtbot, window)
    assert dlg.listing.count() == 0
    assert dlg.keyring_note.isHidden()
    dlg.name.setText("support")
    dlg.email.setText("support@example.ru")
    dlg.imap_host.setText("127.0.0.1")
    dlg.security.setCurrentIndex(dlg.security.findData("none"))
    dlg.password.setText(SECRET)
    dlg.save()
    settle(qtbot, window)
    assert dlg.password.text() == ""
    [info] = accounts.list_accounts(demo_ws)
    assert (info.name, info.email, info.imap_host, info.security, info.imap_port) == (
        "support", "support@example.ru", "127.0.0.1", "none", 143)
    stored = [v for v in memory_keyring.__dict__.values() if isinstance(v, dict)]
    assert any(SECRET in str(d) for d in stored), "the password went to the keyring"
    db_file = demo_ws.paths.database.read_bytes()
    assert SECRET.encode() not in db_file and SECRET.encode("utf-8") not in (demo_ws.paths.home / "window.ini").read_bytes()
    assert dlg.listing.count() == 1 and dlg.current_name() == "support"
    assert dlg.name.isReadOnly()

    # Test connection against a port nobody listens on: a plain verdict, no traceback.
    dlg.test_connection()
    qtbot.waitUntil(lambda: dlg.test_button.isEnabled(), timeout=30_000)
    assert "IMAP" in dlg.verdict.text()

    dlg.remove_account()
    settle(qtbot, window)
    assert accounts.list_accounts(demo_ws) == []
    dlg.close()
