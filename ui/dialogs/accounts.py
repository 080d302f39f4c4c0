"""Mail accounts (R-UI-6, R-CRED-1): add an IMAP/SMTP mailbox, test the connection, remove.

The password goes straight to the system keyring through the accounts service; this dialog never
keeps it longer than the call, and nothing else in the window ever sees it. Connection tests run
in the background (a server may take seconds to answer or time out) and come back as the
service's plain verdicts ("authentication failed for user@host").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ReglamentError
from desktop.services.workspace import Workspace
from ui.countdown import MUTED, state_style
from ui.dialogs.account_signin import AccountSignIn
from ui.dialogs.page import select_by_data
from ui.errors import engine_text, show_error, user_message
from ui.screen_fit import fit_to_screen
from ui.workers import Runner

if TYPE_CHECKING:
    from desktop.services.account_checks import ConnectionVerdict
    from desktop.services.accounts import AccountInfo

# The accounts service brings the keyring along (~0.15 s to import): each call below imports
# it in the lane that runs the call, never on the GUI thread (``ui.app`` also preloads it in the
# background after the first paint).


def _list_accounts(ws: Workspace) -> list[AccountInfo]:
    from desktop.services import accounts

    return accounts.list_accounts(ws)


_DEFAULT_PORTS = {"ssl": (993, 465), "starttls": (143, 587), "none": (143, 25)}


class AccountsDialog(QDialog):
    def __init__(self, parent: QWidget | None, runner: Runner, ws: Workspace) -> None:
        super().__init__(parent)
        self.setObjectName("accounts_dialog")
        self.runner, self.ws = runner, ws
        self.setWindowTitle(QCoreApplication.translate("Accounts", "Mail accounts"))
        self.resize(820, 520)
        outer = QVBoxLayout(self)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet(state_style("warning", self))
        self.keyring_note.hide()
        outer.addWidget(self.keyring_note)
        body = QHBoxLayout()
        outer.addLayout(body, 1)

        left = QVBoxLayout()
        self.listing = QListWidget(self)
        self.listing.setObjectName("accounts")
        self.listing.currentItemChanged.connect(self._chosen)
        left.addWidget(self.listing, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton(QCoreApplication.translate("Accounts", "New"), self)
        self.new_button.clicked.connect(self.new_account)
        self.remove_button = QPushButton(QCoreApplication.translate("Accounts", "Remove"), self)
        self.remove_button.clicked.connect(self.remove_account)
        row.addWidget(self.new_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        body.addLayout(left, 1)

        form_box = QWidget(self)
        form = QFormLayout(form_box)
        self.f: dict[str, QWidget] = {}
        self.name = self._line(form, "name", QCoreApplication.translate("Accounts", "Name:"), "support")
        self.email = self._line(form, "email", QCoreApplication.translate("Accounts", "Address:"), "support@example.ru")
        self.display_name = self._line(form, "display_name", QCoreApplication.translate("Accounts", "Shown as:"), QCoreApplication.translate("Accounts", "Support team"))
        self.user = self._line(form, "user", QCoreApplication.translate("Accounts", "Login:"), QCoreApplication.translate("Accounts", "the address, if empty"))
        self.password = self._line(form, "password", QCoreApplication.translate("Accounts", "Password:"), "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.imap_host = self._line(form, "imap_host", QCoreApplication.translate("Accounts", "IMAP server:"), "imap.example.ru")
        self.imap_port = QSpinBox(self)
        self.imap_port.setRange(1, 65535)
        self.imap_port.setValue(993)
        form.addRow(QCoreApplication.translate("Accounts", "IMAP port:"), self.imap_port)
        self.security = QComboBox(self)
        self.security.addItem(QCoreApplication.translate("Accounts", "SSL/TLS"), "ssl")
        self.security.addItem("STARTTLS", "starttls")
        self.security.addItem(QCoreApplication.translate("Accounts", "None (local test servers only)"), "none")
        self.security.currentIndexChanged.connect(self._security_changed)
        form.addRow(QCoreApplication.translate("Accounts", "Security:"), self.security)
        self.smtp_host = self._line(form, "smtp_host", QCoreApplication.translate("Accounts", "SMTP server:"), QCoreApplication.translate("Accounts", "as IMAP, if empty"))
        self.smtp_port = QSpinBox(self)
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setValue(465)
        form.addRow(QCoreApplication.translate("Accounts", "SMTP port:"), self.smtp_port)
        self.smtp_user = self._line(form, "smtp_user", QCoreApplication.translate("Accounts", "SMTP login:"), QCoreApplication.translate("Accounts", "as IMAP, if empty"))
        self.smtp_password = self._line(form, "smtp_password", QCoreApplication.translate("Accounts", "SMTP password:"), QCoreApplication.translate("Accounts", "as IMAP, if empty"))
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.signin = AccountSignIn(self, form)
        ca_row = QHBoxLayout()
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("account_ca_file")
        self.ca_file.setPlaceholderText(QCoreApplication.translate("Accounts", "only for a server with a company certificate"))
        self.f["ca_file"] = self.ca_file
        self.ca_browse = QPushButton(QCoreApplication.translate("Accounts", "Choose…"), self)
        self.ca_browse.clicked.connect(self._choose_ca_file)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)
        form.addRow(QCoreApplication.translate("Accounts", "CA certificate:"), ca_row)
        self.allow_insecure = QCheckBox(QCoreApplication.translate("Accounts", "Allow an unencrypted connection to this host"), self)
        form.addRow("", self.allow_insecure)
        # R-MAIL-10: what is sent is also in the mailbox's Sent folder, for colleagues' mail clients.
        self.sent_copies = QCheckBox(QCoreApplication.translate("Accounts", "Keep a copy of everything sent in the mailbox's Sent folder"), self)
        self.sent_copies.setObjectName("account_sent_copies")
        self.sent_copies.setChecked(True)
        form.addRow("", self.sent_copies)
        self.sent_folder = self._line(form, "sent_folder", QCoreApplication.translate("Accounts", "Sent folder:"), QCoreApplication.translate("Accounts", "the one the server marks as Sent, if empty"))
        note = QLabel(QCoreApplication.translate("Accounts", "The password is kept in the keyring, never in Reglament's own files.")
                      + " " + QCoreApplication.translate(
                          "Accounts", "Mail that was in the mailbox long before it is added (File ▸ Settings ▸ Regulation) "
                          "is imported as its archive: closed tickets, and no client is written to."), self)
        note.setWordWrap(True)
        note.setStyleSheet(MUTED)
        form.addRow("", note)
        actions = QHBoxLayout()
        self.save_button = QPushButton(QCoreApplication.translate("Accounts", "Save"), self)
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(QCoreApplication.translate("Accounts", "Test connection"), self)
        self.test_button.clicked.connect(self.test_connection)
        actions.addWidget(self.save_button)
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        form.addRow("", actions)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.verdict)
        body.addWidget(form_box, 2)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.infos: list[Any] = []
        self._check_keyring()
        # Tall enough for every row at this width: the word-wrapped notes need more height the
        # narrower they are, which a fixed size ignored (with the keyring note shown, the last
        # rows were pressed into each other).
        self.resize(820, max(520, outer.totalMinimumHeightForWidth(820)))
        fit_to_screen(self)
        self.reload()

    def _line(self, form: QFormLayout, key: str, label: str, placeholder: str) -> QLineEdit:
        w = QLineEdit(self)
        w.setObjectName(f"account_{key}")
        w.setPlaceholderText(placeholder)
        form.addRow(label, w)
        self.f[key] = w
        return w

    def _security_changed(self, _i: int) -> None:
        imap_port, smtp_port = _DEFAULT_PORTS[str(self.security.currentData())]
        self.imap_port.setValue(imap_port)
        self.smtp_port.setValue(smtp_port)

    def _check_keyring(self) -> None:
        """Whether a usable keyring is there, asked in the background: asking may wake a
        Secret Service over D-Bus, and the dialog must not freeze while it answers."""
        from desktop import secrets

        def where() -> str | None:
            secrets.check_backend()
            return secrets.where_stored() if secrets.stores_in_plain_file() else None

        self.runner.read(where, self._keyring_is_a_file, self._keyring_unusable)

    def _keyring_is_a_file(self, where: str | None) -> None:
        """A file-backed keyring chosen on purpose is named for what it is, never "the system
        keyring" (R-CRED-2)."""
        if where is None:
            return
        self.keyring_note.setText(
            QCoreApplication.translate("Accounts", "Passwords go to {0}.").format(engine_text(where)))
        self.keyring_note.show()

    def _keyring_unusable(self, exc: BaseException) -> None:
        from desktop.errors import ReglamentError

        if not isinstance(exc, ReglamentError):  # a bug, not the user's keyring: said as one
            self._failed(exc)
            return
        self.keyring_note.setText(user_message(exc))
        self.keyring_note.show()
        # The note's paragraph needs room: grow rather than press the form's rows together.
        layout = self.layout()
        if layout is not None:
            self.resize(self.width(), max(self.height(), layout.totalMinimumHeightForWidth(self.width())))

    # --- listing ---------------------------------------------------------------------------

    def reload(self) -> None:
        ws = self.ws
        self.runner.read(lambda: _list_accounts(ws), self._listed, self._failed)

    def _listed(self, infos: list[Any]) -> None:
        self.infos = list(infos)
        self.listing.clear()
        for info in self.infos:
            item = QListWidgetItem(f"{info.name} — {info.email}")
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            self.listing.addItem(item)
        if not self.infos:
            self.new_account()

    def _chosen(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        info = next((i for i in self.infos if item is not None and i.name == item.data(Qt.ItemDataRole.UserRole)), None)
        editable = info is None
        for w in (self.name, self.email, self.display_name, self.user, self.imap_host, self.smtp_host,
                  self.smtp_user, self.ca_file, self.sent_folder):
            w.setReadOnly(not editable)
        self.sent_copies.setEnabled(editable)
        self.smtp_password.setEnabled(editable)
        self.ca_browse.setEnabled(editable)
        for spin in (self.imap_port, self.smtp_port):
            spin.setEnabled(editable)
        self.security.setEnabled(editable)
        self.allow_insecure.setEnabled(editable)
        self.verdict.clear()
        self.password.clear()
        if info is None:
            return
        self.signin.show_account(info)
        self.password.setEnabled(info.auth_method != "oauth2")
        self.name.setText(info.name)
        self.email.setText(info.email)
        self.display_name.setText(info.display_name)
        self.user.setText(info.user)
        self.imap_host.setText(info.imap_host)
        self.security.blockSignals(True)
        self.security.setCurrentIndex(max(self.security.findData(info.security), 0))
        self.security.blockSignals(False)
        self.imap_port.setValue(info.imap_port)
        self.smtp_host.setText(info.smtp_host)
        self.smtp_port.setValue(info.smtp_port)
        self.smtp_user.setText(info.smtp_user if info.smtp_user != info.user else "")
        self.ca_file.setText(info.ca_file or "")
        self.allow_insecure.setChecked(info.allow_insecure)
        self.sent_copies.setChecked(info.sent_copies)
        self.sent_folder.setText(info.sent_folder or "")
        self.password.setPlaceholderText(
            QCoreApplication.translate("Accounts", "unchanged — type to replace"))

    def _choose_ca_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("Accounts", "The company's CA certificate"), "",
            QCoreApplication.translate("Accounts", "Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_file.setText(path)

    def current_name(self) -> str | None:
        item = self.listing.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def new_account(self) -> None:
        self.listing.setCurrentRow(-1)
        self._chosen(None, None)
        for w in (self.name, self.email, self.display_name, self.user, self.imap_host, self.smtp_host,
                  self.smtp_user, self.smtp_password, self.ca_file, self.sent_folder):
            w.clear()
        self.sent_copies.setChecked(True)
        self.password.setPlaceholderText("")
        self.signin.new_account()
        self.name.setFocus()

    # --- changes ---------------------------------------------------------------------------

    def save(self) -> None:
        ws, existing = self.ws, self.current_name()
        password = self.password.text()
        self.password.clear()
        if existing is not None:
            if not password:
                return
            def store() -> None:
                from desktop.services import accounts

                accounts.set_password(ws, existing, password)

            self.runner.write(store, lambda _r: self._saved(existing), self._failed)
            return
        # Read off the widgets here, on the GUI thread; the write lane only gets plain values.
        name, email = self.name.text().strip(), self.email.text().strip()
        display_name, user = self.display_name.text().strip(), self.user.text().strip() or None
        imap_host, imap_port = self.imap_host.text().strip(), self.imap_port.value()
        smtp_host, smtp_port = self.smtp_host.text().strip() or None, self.smtp_port.value()
        security, allow_insecure = str(self.security.currentData()), self.allow_insecure.isChecked()
        smtp_user, smtp_password = self.smtp_user.text().strip() or None, self.smtp_password.text() or None
        ca_file = self.ca_file.text().strip() or None
        sent_copies, sent_folder = self.sent_copies.isChecked(), self.sent_folder.text().strip() or None
        self.smtp_password.clear()
        try:
            fields: dict[str, Any] = {"password": password, **self.signin.fields()}
        except ReglamentError as exc:
            self.verdict.setText(user_message(exc))
            return

        def add() -> AccountInfo:
            # Logs in to IMAP and SMTP first: an account that cannot connect is not saved.
            from desktop.services import account_checks

            return account_checks.add_checked_account(
                ws, name=name, email=email, imap_host=imap_host, imap_port=imap_port,
                smtp_host=smtp_host, smtp_port=smtp_port, security=security, user=user,
                allow_insecure=allow_insecure, display_name=display_name, smtp_user=smtp_user,
                smtp_password=smtp_password, ca_file=ca_file, sent_copies=sent_copies,
                sent_folder=sent_folder, **fields)

        self.verdict.setText(QCoreApplication.translate("Accounts", "Checking the connection…"))
        self.runner.write(add, lambda info: self._saved(info.name), self._failed)

    def _saved(self, name: str) -> None:
        self.verdict.setText(QCoreApplication.translate("Accounts", "Saved."))

        def select_after(infos: list[Any]) -> None:
            self._listed(infos)
            select_by_data(self.listing, name, quiet=False)  # the form shows the saved account
            self.verdict.setText(QCoreApplication.translate("Accounts", "Saved."))

        ws = self.ws
        self.runner.read(lambda: _list_accounts(ws), select_after, self._failed)

    def remove_account(self) -> None:
        name, ws = self.current_name(), self.ws
        if name is not None:
            def remove() -> None:
                from desktop.services import accounts

                accounts.remove_account(ws, name)

            self.runner.write(remove, lambda _r: self.reload(), self._failed)

    def test_connection(self) -> None:
        name, ws = self.current_name(), self.ws
        if name is None:
            self.verdict.setText(QCoreApplication.translate("Accounts", "Save the account first."))
            return
        self.test_button.setEnabled(False)
        self.verdict.setText(QCoreApplication.translate("Accounts", "Connecting…"))

        def test() -> list[ConnectionVerdict]:
            from desktop.services import account_checks

            return account_checks.test_account(ws, name)

        self.runner.read(test, self._tested, self._test_failed)

    def _tested(self, verdicts: list[Any]) -> None:
        self.test_button.setEnabled(True)
        lines = []
        for v in verdicts:
            mark = "✔" if v.ok else "✘"
            verdict, detail = engine_text(v.verdict), engine_text(v.detail)
            lines.append(f"{mark} {v.protocol}: {verdict}" + (f" ({detail})" if detail else ""))
        self.verdict.setText("\n".join(lines))

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.verdict.setText(user_message(exc))

    def _failed(self, exc: BaseException) -> None:
        # Beside the form as well, so what was refused stays in view after the box is closed.
        self.verdict.setText(user_message(exc))
        show_error(self, exc)
