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
    # Nobody listens there: the check before saving says so, and nothing is stored.
    assert dlg.verdict.text().startswith("The account was not saved: IMAP: cannot reach 127.0.0.1:143")
    assert accounts.list_accounts(demo_ws) == [] and not memory_keyring.entries

    dlg.signin.check_first.setChecked(False)  # saved as it is, e.g. while the server is down
    dlg.password.setText(SECRET)
    dlg.save()
    settle(qtbot, window)
    assert dlg.password.text() == ""
    [info] = accounts.list_accounts(demo_ws)
    assert (info.name, info.email, info.imap_host, info.security, info.imap_port) == (
        "support", "support@example.ru", "127.0.0.1", "none", 143)
    assert (info.sent_copies, info.sent_folder) == (True, None)  # copies in Sent by default
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


def test_smtp_login_and_company_ca_through_the_dialog(qtbot, window, demo_ws, memory_keyring, tmp_path):
    """A separate SMTP login with its own password, and a company CA file; a file that is not a
    certificate is refused in plain words and nothing is stored."""
    from tests.servers.tls import make_tls_files

    tls = make_tls_files(tmp_path / "ca")
    window.sync.open_accounts()
    dlg = window.sync.last_dialog
    settle(qtbot, window)
    dlg.name.setText("company")
    dlg.email.setText("support@example.ru")
    dlg.imap_host.setText("127.0.0.1")
    dlg.signin.check_first.setChecked(False)
    dlg.password.setText(SECRET)
    dlg.smtp_user.setText("mailer")
    dlg.smtp_password.setText("Отправка-7")
    dlg.ca_file.setText(str(tmp_path / "missing.pem"))
    dlg.save()
    settle(qtbot, window)
    assert "cannot be used" in dlg.verdict.text() and accounts.list_accounts(demo_ws) == []

    dlg.password.setText(SECRET)
    dlg.smtp_password.setText("Отправка-7")
    dlg.ca_file.setText(str(tls.ca_file))
    dlg.sent_folder.setText("Ответы клиентам")
    dlg.save()
    settle(qtbot, window)
    [info] = accounts.list_accounts(demo_ws)
    assert (info.smtp_user, info.ca_file, info.user) == ("mailer", str(tls.ca_file), "support@example.ru")
    assert (info.sent_copies, info.sent_folder) == (True, "Ответы клиентам")
    assert dlg.sent_folder.text() == "Ответы клиентам" and dlg.sent_folder.isReadOnly()
    assert dlg.smtp_password.text() == ""
    with demo_ws.db.session() as s:
        acc = accounts.find_account(s, "company")
        assert accounts.smtp_password(acc) == "Отправка-7" and accounts.imap_password(acc) == SECRET
        assert accounts.smtp_settings(acc).ca_file == accounts.imap_settings(acc).ca_file == str(tls.ca_file)
    assert dlg.ca_file.text() == str(tls.ca_file) and dlg.ca_file.isReadOnly()
    dlg.close()


def test_the_form_has_room_for_every_row_when_the_keyring_note_shows(qtbot, window, monkeypatch):
    """With the keyring note's paragraph on top, the dialog grows instead of pressing the
    form's last rows into each other (they overlapped in the Russian screenshot)."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())  # a headless Linux's
    window.sync.open_accounts()
    dlg = window.sync.last_dialog
    settle(qtbot, window)
    assert not dlg.keyring_note.isHidden()
    assert dlg.keyring_note.text()[:1].isupper()
    rows = [dlg.name, dlg.email, dlg.password, dlg.imap_host, dlg.smtp_password, dlg.ca_file,
            dlg.allow_insecure, dlg.save_button]
    tops = [w.mapTo(dlg, w.rect().topLeft()).y() for w in rows]
    bottoms = [w.mapTo(dlg, w.rect().bottomLeft()).y() for w in rows]
    for upper, lower in zip(range(len(rows)), range(1, len(rows)), strict=False):
        assert bottoms[upper] < tops[lower], f"{rows[upper].objectName() or upper} overlaps the next row"
    assert bottoms[-1] < dlg.height()
    dlg.close()
