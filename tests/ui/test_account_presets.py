"""Provider presets fill the account dialog; an OAuth 2.0 account is signed in and saved from it
against the local authorisation server (the test plays the browser), checked before it is saved."""

from __future__ import annotations

import threading
import urllib.request

import pytest

from desktop.services import accounts
from tests.ui.conftest import settle

PRESETS = {
    # key: imap host, imap port, IMAP security, smtp host, smtp port, SMTP security, sign-in, note
    "yandex": ("imap.yandex.ru", 993, "ssl", "smtp.yandex.ru", 465, "ssl", "password",
               "app password"),
    "mailru": ("imap.mail.ru", 993, "ssl", "smtp.mail.ru", 465, "ssl", "password",
               "app password"),
    "google": ("imap.gmail.com", 993, "ssl", "smtp.gmail.com", 465, "ssl", "oauth2", "OAuth 2.0"),
    "microsoft": ("outlook.office365.com", 993, "ssl", "smtp.office365.com", 587, "starttls",
                  "oauth2", "refuses passwords"),
}


def open_dialog(qtbot, window):
    window.sync.open_accounts()
    dlg = window.sync.last_dialog
    settle(qtbot, window)
    return dlg


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_a_provider_fills_the_dialog(qtbot, window, memory_keyring, key):
    dlg = open_dialog(qtbot, window)
    signin = dlg.signin
    signin.provider.setCurrentIndex(signin.provider.findData(key))
    imap_host, imap_port, security, smtp_host, smtp_port, smtp_security, auth, note = PRESETS[key]
    assert (dlg.imap_host.text(), dlg.imap_port.value(), dlg.security.currentData()) == (
        imap_host, imap_port, security)
    assert (dlg.smtp_host.text(), dlg.smtp_port.value(), signin.smtp_security.currentData()) == (
        smtp_host, smtp_port, smtp_security)
    assert signin.auth.currentData() == auth
    assert note in signin.note.text()
    assert dlg.password.isEnabled() == (auth == "password")
    assert signin.sign_in_button.isEnabled() == (auth == "oauth2")
    if key in ("yandex", "mailru"):
        assert "<a href=\"https://" in signin.note.text()  # where to create the app password
    dlg.close()


def test_own_server_clears_nothing_and_asks_for_a_password(qtbot, window, memory_keyring):
    dlg = open_dialog(qtbot, window)
    dlg.imap_host.setText("mail.company.ru")
    dlg.signin.provider.setCurrentIndex(dlg.signin.provider.findData("own"))
    assert dlg.imap_host.text() == "mail.company.ru" and dlg.signin.auth.currentData() == "password"
    dlg.close()


@pytest.mark.integration
def test_oauth_account_signed_in_and_saved_from_the_window(qtbot, window, demo_ws, memory_keyring):
    from tests.integration.conftest import _need
    from tests.servers.dovecot import DovecotServer
    from tests.servers.oauth import OAuthServer
    from tests.servers.smtp import SmtpServer

    with OAuthServer() as oauth:
        dovecot = _need(lambda: DovecotServer({"agent": "x"}, oauth2_introspection_url=oauth.introspection_url))
        smtp = SmtpServer(require_auth=True, oauth2_introspection_url=oauth.introspection_url)
        try:
            dovecot.start()
            smtp.start()
            dlg = open_dialog(qtbot, window)
            signin = dlg.signin
            signin.provider.setCurrentIndex(signin.provider.findData("custom"))
            dlg.name.setText("support")
            dlg.email.setText("support@example.ru")
            dlg.user.setText("agent")
            dlg.security.setCurrentIndex(dlg.security.findData("none"))
            dlg.imap_host.setText(dovecot.host)
            dlg.imap_port.setValue(dovecot.port)
            dlg.smtp_host.setText(smtp.host)
            dlg.smtp_port.setValue(smtp.port)
            signin.issuer.setText(oauth.issuer)
            signin.client_id.setText("reglament-test")

            # Saving before signing in says what to do and stores nothing.
            dlg.save()
            assert "sign in first" in dlg.verdict.text().lower()

            def browser(url: str) -> None:
                def visit() -> None:
                    with urllib.request.urlopen(url, timeout=10) as page:
                        page.read()
                threading.Thread(target=visit, daemon=True).start()

            signin.open_url = browser
            signin.sign_in()
            qtbot.waitUntil(lambda: signin.sign_in_button.isEnabled(), timeout=30_000)
            assert signin.grant is not None, signin.status.text()
            dlg.save()
            settle(qtbot, window, timeout=30_000)
            [info] = accounts.list_accounts(demo_ws)
            assert (info.name, info.auth_method, info.oauth_provider) == ("support", "oauth2", "custom")
            [(key, token)] = [(k, v) for k, v in memory_keyring.entries.items() if k[1].startswith("oauth:")]
            assert token in oauth.refresh

            # Revoked at the provider: the saved account is signed in again from the dialog, this
            # time with a code entered on another device (no browser here).
            oauth.revoke("agent")
            assert dlg.current_name() == "support" and signin.sign_in_button.isEnabled()
            signin.use_device.setChecked(True)
            signin.sign_in()
            qtbot.waitUntil(lambda: "enter the code" in signin.status.text(), timeout=30_000)
            code = signin.status.text().split("enter the code ")[1].split(";")[0]
            with urllib.request.urlopen(f"{oauth.issuer}/device/verify?user_code={code}") as page:
                page.read()
            qtbot.waitUntil(lambda: signin.sign_in_button.isEnabled(), timeout=30_000)
            assert signin.status.text() == "Signed in again."
            assert memory_keyring.entries[key] in oauth.refresh
            dlg.close()
        finally:
            smtp.close()
            dovecot.close()
