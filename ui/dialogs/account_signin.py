"""The account dialog's provider presets and OAuth 2.0 sign-in (R-MAIL-9), as Thunderbird's set-up.

Choosing "Yandex 360", "Mail.ru", "Gmail / Google Workspace" or "Microsoft 365" fills the server
names, ports, security and sign-in method, and says what the provider wants (an app password and
where to create it, or OAuth 2.0). With OAuth 2.0 the "Sign in…" button opens the provider's
page in the system browser and waits for its answer on a loopback port — in a lane of its own,
because a person may take minutes there and the window's reads and writes must not wait.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton

from ui.countdown import MUTED
from ui.errors import engine_text, user_message
from ui.workers import Runner

if TYPE_CHECKING:
    from desktop.mail.oauth2 import Grant, OAuthClient

#: The presets in the order shown; "custom" is any OpenID issuer (OAuth 2.0).
PROVIDER_KEYS = ("own", "yandex", "mailru", "google", "microsoft", "custom")


class _Relay(QObject):
    """Carries the device code from the sign-in's lane to the GUI thread (a queued signal)."""

    code = Signal(str, str)


class AccountSignIn:
    """Rows of the account form: provider, sign-in method, issuer, client id, "Sign in…"."""

    def __init__(self, dialog: Any, form: QFormLayout) -> None:
        from desktop.mail.presets import PRESETS  # data only, no I/O

        self.d = dialog
        self.runner = Runner(dialog, read_threads=1)
        self.open_url: Callable[[str], object] = webbrowser.open
        self.grant: Grant | None = None
        self._signed_for: tuple[str, ...] | None = None
        self._closing = False
        self.provider = QComboBox(dialog)
        self.provider.setObjectName("account_provider")
        for key in PROVIDER_KEYS:
            title = (engine_text(PRESETS[key].title) if key in PRESETS
                     else QCoreApplication.translate("Accounts", "Other OAuth 2.0 provider (OpenID)"))
            self.provider.addItem(title, key)
        form.insertRow(0, QCoreApplication.translate("Accounts", "Provider:"), self.provider)
        self.note = QLabel(dialog)
        self.note.setObjectName("account_provider_note")
        self.note.setWordWrap(True)
        self.note.setOpenExternalLinks(True)
        self.note.setStyleSheet(MUTED)
        form.insertRow(1, "", self.note)
        self.smtp_security = QComboBox(dialog)
        self.smtp_security.setObjectName("account_smtp_security")
        self.smtp_security.addItem(QCoreApplication.translate("Accounts", "SSL/TLS"), "ssl")
        self.smtp_security.addItem("STARTTLS", "starttls")
        self.smtp_security.addItem(QCoreApplication.translate("Accounts", "None (local test servers only)"), "none")
        form.addRow(QCoreApplication.translate("Accounts", "SMTP security:"), self.smtp_security)
        self.auth = QComboBox(dialog)
        self.auth.setObjectName("account_auth")
        self.auth.addItem(QCoreApplication.translate("Accounts", "Password"), "password")
        self.auth.addItem(QCoreApplication.translate("Accounts", "OAuth 2.0 (sign in in the browser)"), "oauth2")
        form.addRow(QCoreApplication.translate("Accounts", "Sign-in:"), self.auth)
        self.issuer = QLineEdit(dialog)
        self.issuer.setObjectName("account_issuer")
        self.issuer.setPlaceholderText("https://login.example.ru")
        form.addRow(QCoreApplication.translate("Accounts", "Issuer:"), self.issuer)
        self.client_id = QLineEdit(dialog)
        self.client_id.setObjectName("account_client_id")
        self.client_id.setPlaceholderText(QCoreApplication.translate("Accounts", "your organisation's registered app"))
        form.addRow(QCoreApplication.translate("Accounts", "Client id:"), self.client_id)
        self.sign_in_button = QPushButton(QCoreApplication.translate("Accounts", "Sign in…"), dialog)
        self.sign_in_button.setObjectName("account_sign_in")
        self.sign_in_button.clicked.connect(self.sign_in)
        self.status = QLabel(dialog)
        self.status.setObjectName("account_sign_in_status")
        self.status.setWordWrap(True)
        form.addRow(self.sign_in_button, self.status)
        self.use_device = QCheckBox(QCoreApplication.translate(
            "Accounts", "No browser here: sign in with a code on another device"), dialog)
        self.use_device.setObjectName("account_device_code")
        form.addRow("", self.use_device)
        self.relay = _Relay(dialog)
        self.relay.code.connect(self._show_code)
        self.check_first = QCheckBox(QCoreApplication.translate(
            "Accounts", "Log in to IMAP and SMTP before saving (recommended)"), dialog)
        self.check_first.setObjectName("account_check_first")
        self.check_first.setChecked(True)
        form.addRow("", self.check_first)
        self.provider.currentIndexChanged.connect(lambda _i: self.apply_preset(self.key()))
        self.auth.currentIndexChanged.connect(lambda _i: self._auth_changed())
        dialog.security.currentIndexChanged.connect(
            lambda _i: self.smtp_security.setCurrentIndex(dialog.security.currentIndex()))
        dialog.finished.connect(self._closed)
        self.apply_preset("own")

    # --- presets ---------------------------------------------------------------------------

    def key(self) -> str:
        return str(self.provider.currentData())

    def apply_preset(self, key: str) -> None:
        from desktop.mail.presets import PRESETS

        d = self.d
        preset = PRESETS.get(key)
        if preset is not None and preset.imap_host:
            d.imap_host.setText(preset.imap_host)
            d.smtp_host.setText(preset.smtp_host)
            d.security.blockSignals(True)
            d.security.setCurrentIndex(max(d.security.findData(preset.security), 0))
            d.security.blockSignals(False)
            d.imap_port.setValue(preset.imap_port)
            d.smtp_port.setValue(preset.smtp_port)
            self.smtp_security.setCurrentIndex(max(self.smtp_security.findData(preset.smtp_security), 0))
        oauth = key == "custom" or (preset is not None and preset.auth == "oauth2")
        self.auth.setCurrentIndex(self.auth.findData("oauth2" if oauth else "password"))
        text = engine_text(preset.note) if preset is not None else QCoreApplication.translate(
            "Accounts", "Give the issuer's address; its endpoints are found by OpenID discovery.")
        if preset is not None and preset.app_password_url:
            link = QCoreApplication.translate("Accounts", "Create an app password")
            text += f' <a href="{preset.app_password_url}">{link}</a>'
        self.note.setText(text)
        self.grant = None
        self._auth_changed()

    def _auth_changed(self) -> None:
        oauth = self.auth.currentData() == "oauth2"
        self.d.password.setEnabled(not oauth)
        self.d.smtp_password.setEnabled(not oauth and self.d.current_name() is None)
        for widget in (self.client_id, self.sign_in_button, self.use_device):
            widget.setEnabled(oauth)
        self.issuer.setEnabled(oauth and self.key() == "custom")
        self.status.clear()

    # --- sign-in ---------------------------------------------------------------------------

    def oauth_provider(self) -> str:
        from desktop.mail.presets import PRESETS

        preset = PRESETS.get(self.key())
        return preset.oauth_provider if preset is not None and preset.oauth_provider else "custom"

    def _identity(self) -> tuple[str, ...]:
        user = self.d.user.text().strip() or self.d.email.text().strip()
        return (self.oauth_provider(), self.client_id.text().strip(), self.issuer.text().strip(), user)

    def client(self) -> OAuthClient:
        from desktop.mail.oauth2 import OAuthClient

        provider, client_id, issuer, _user = self._identity()
        return OAuthClient.make(provider, client_id or None, issuer or None)

    def sign_in(self) -> None:
        """Open the provider's page in the browser and wait for its answer off the GUI thread."""
        existing = self.d.current_name()
        if existing is not None:
            self._sign_in_again(existing)
            return
        identity = self._identity()
        how = self._how()

        def run() -> Grant:
            from desktop.mail.oauth2 import OAuthClient
            from desktop.services import account_checks

            provider, client_id, issuer, user = identity
            client = OAuthClient.make(provider, client_id or None, issuer or None)
            return account_checks.sign_in(client, user, **how)

        self.grant = None
        self.sign_in_button.setEnabled(False)
        self.status.setText(QCoreApplication.translate("Accounts", "Waiting for the sign-in in the browser…"))
        self.runner.read(run, lambda grant: self._signed_in(grant, identity), self._failed)

    def _how(self) -> dict[str, Any]:
        """How to sign in, read on the GUI thread: the browser here, or a code on another device."""
        relay, closing = self.relay, lambda: self._closing
        if self.use_device.isChecked():
            return {"device": True, "cancelled": closing,
                    "show_code": lambda c: relay.code.emit(c.verification_uri, c.user_code)}
        return {"open_url": self.open_url, "cancelled": closing}

    def _show_code(self, uri: str, code: str) -> None:
        self.status.setText(QCoreApplication.translate(
            "Accounts", "Open {0} on any device and enter the code {1}; waiting…").format(uri, code))

    def _sign_in_again(self, name: str) -> None:
        """An existing OAuth 2.0 account whose grant was revoked or expired: "sign in again"."""
        ws, how = self.d.ws, self._how()

        def run() -> None:
            from desktop.services import account_checks, account_secrets, accounts

            with ws.db.session() as s:
                acc = accounts.find_account(s, name)
                client, user = account_secrets.oauth_client(acc), acc.username
            if client is None:
                return
            grant = account_checks.sign_in(client, user, **how)
            account_checks.store_sign_in(ws, name, grant)

        self.sign_in_button.setEnabled(False)
        self.status.setText(QCoreApplication.translate("Accounts", "Waiting for the sign-in in the browser…"))
        self.runner.read(run, lambda _r: self._signed_in_again(), self._failed)

    def _signed_in_again(self) -> None:
        self.sign_in_button.setEnabled(True)
        self.status.setText(QCoreApplication.translate("Accounts", "Signed in again."))

    def _signed_in(self, grant: Grant, identity: tuple[str, ...]) -> None:
        self.grant, self._signed_for = grant, identity
        self.sign_in_button.setEnabled(True)
        self.status.setText(QCoreApplication.translate("Accounts", "Signed in. Save to check the connection and keep the account."))

    def _failed(self, exc: BaseException) -> None:
        self.sign_in_button.setEnabled(True)
        self.status.setText(user_message(exc))

    def fields(self) -> dict[str, Any]:
        """What the accounts service needs beyond the form's plain fields (read on the GUI thread)."""
        out: dict[str, Any] = {"smtp_security": str(self.smtp_security.currentData()),
                               "check": self.check_first.isChecked()}
        if self.auth.currentData() != "oauth2":
            return out
        if self.grant is None or self._signed_for != self._identity():
            from desktop.errors import ValidationError

            raise ValidationError("sign in first (the Sign in button), then save")
        out.update(auth="oauth2", oauth=self.client(), grant=self.grant, password="")
        return out

    def _closed(self, _result: int) -> None:
        self._closing = True

    def show_account(self, info: Any) -> None:
        """An existing account: its sign-in method, read-only."""
        self.auth.blockSignals(True)
        self.auth.setCurrentIndex(max(self.auth.findData(info.auth_method), 0))
        self.auth.blockSignals(False)
        self.smtp_security.setCurrentIndex(max(self.smtp_security.findData(info.smtp_security), 0))
        for widget in (self.provider, self.auth, self.smtp_security, self.issuer, self.client_id,
                       self.check_first):
            widget.setEnabled(False)
        self.sign_in_button.setEnabled(info.auth_method == "oauth2")  # "sign in again"
        self.use_device.setEnabled(info.auth_method == "oauth2")
        self.status.clear()
        self.note.clear()

    def new_account(self) -> None:
        for widget in (self.provider, self.auth, self.smtp_security, self.check_first):
            widget.setEnabled(True)
        self.provider.setCurrentIndex(0)
        self.apply_preset("own")
