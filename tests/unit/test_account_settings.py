"""Mail account settings reach the transports as stored: a company CA for both protocols, an SMTP
login (and keyring entry) of its own; refusals in plain words leave nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import ConfigError, ValidationError
from desktop.services import accounts
from tests.servers.tls import make_tls_files

BASE = dict(name="company", email="support@example.ru", imap_host="127.0.0.1", security="none",
            password="imap-secret")


def test_smtp_login_and_ca_file_reach_both_transports(ws, memory_keyring, tmp_path: Path) -> None:
    ca = make_tls_files(tmp_path / "ca").ca_file
    info = accounts.add_account(ws, **BASE, smtp_user="mailer", smtp_password="smtp-secret", ca_file=str(ca))
    assert (info.user, info.smtp_user, info.ca_file) == ("support@example.ru", "mailer", str(ca))
    with ws.db.session() as s:
        acc = accounts.find_account(s, "company")
        imap, smtp = accounts.imap_settings(acc), accounts.smtp_settings(acc)
        assert (imap.user, smtp.user) == ("support@example.ru", "mailer")
        assert imap.ca_file == smtp.ca_file == str(ca)
        assert (accounts.imap_password(acc), accounts.smtp_password(acc)) == ("imap-secret", "smtp-secret")


def test_without_an_smtp_login_smtp_uses_the_imap_login_and_password(ws, memory_keyring) -> None:
    info = accounts.add_account(ws, **BASE)
    assert (info.smtp_user, info.ca_file) == ("support@example.ru", None)
    with ws.db.session() as s:
        acc = accounts.find_account(s, "company")
        assert accounts.smtp_settings(acc).user == "support@example.ru"
        assert accounts.smtp_password(acc) == "imap-secret"


def test_refusals_store_nothing(ws, memory_keyring, tmp_path: Path) -> None:
    not_a_ca = tmp_path / "notes.txt"
    not_a_ca.write_text("not a certificate", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be used"):
        accounts.add_account(ws, **BASE, ca_file=str(not_a_ca))
    with pytest.raises(ValidationError, match="needs the SMTP login"):
        accounts.add_account(ws, **BASE, smtp_password="smtp-secret")
    assert accounts.list_accounts(ws) == []
    assert not any(v for v in memory_keyring.__dict__.values() if isinstance(v, dict))
