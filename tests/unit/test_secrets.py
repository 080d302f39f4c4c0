"""desktop.secrets: round trips, refusals with helpful messages, and no secret in any error."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from desktop import secrets
from desktop.errors import NotFound
from desktop.secrets import KeyringUnavailable, SecretMissing
from tests.unit.memory_keyring import (
    FILE_VARIABLE,
    FileKeyring,
    MemoryKeyring,
    PlaintextFileKeyring,
    install_memory_keyring,
)

SECRET = "Пароль-Ёж №42 🔑"


@pytest.fixture(autouse=True)
def clean_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No outside choice leaks in: no env backend, an empty keyring config dir — and none leaks
    out: the process's backend is taken before the environment changes (keyring picks it lazily)."""
    previous = keyring.get_keyring()
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(FILE_VARIABLE, str(tmp_path / "keyring.json"))
    yield
    keyring.set_keyring(previous)


def test_round_trip_with_non_ascii_secret() -> None:
    backend = install_memory_keyring()
    secrets.set_secret("imap", "3", SECRET)
    assert secrets.get_secret("imap", "3") == SECRET
    assert backend.entries == {("reglament", "imap:3"): SECRET}
    secrets.set_secret("imap", "3", "new")  # replacing is allowed
    assert secrets.get_secret("imap", "3") == "new"
    assert secrets.delete_secret("imap", "3") is True
    assert secrets.delete_secret("imap", "3") is False
    assert backend.entries == {}


def test_kinds_and_accounts_do_not_collide() -> None:
    install_memory_keyring()
    secrets.set_secret("imap", "support@example.com", "a")
    secrets.set_secret("smtp", "support@example.com", "b")
    secrets.set_secret("imap", "sales@example.com", "c")
    assert secrets.get_secret("imap", "support@example.com") == "a"
    assert secrets.get_secret("smtp", "support@example.com") == "b"
    assert secrets.get_secret("imap", "sales@example.com") == "c"


def test_missing_secret_is_a_plain_not_found() -> None:
    install_memory_keyring()
    with pytest.raises(SecretMissing) as caught:
        secrets.get_secret("smtp", "7")
    assert isinstance(caught.value, NotFound)
    assert str(caught.value).startswith(
        "no smtp password is stored in the keyring for account 7"
    )


def test_bad_arguments_are_refused() -> None:
    install_memory_keyring()
    with pytest.raises(ValueError):
        secrets.set_secret("IMAP password", "1", "x")
    with pytest.raises(ValueError):
        secrets.set_secret("imap", " ", "x")
    with pytest.raises(ValueError):
        secrets.set_secret("imap", "1", "")


def test_backend_name_is_short_for_keyrings_own_backends() -> None:
    assert secrets.backend_name(fail.Keyring()) == "fail.Keyring"
    assert secrets.backend_name(MemoryKeyring()) == "tests.unit.memory_keyring.MemoryKeyring"
    install_memory_keyring()
    assert secrets.check_backend() == "tests.unit.memory_keyring.MemoryKeyring"


# --------------------------------------------------------------------------- no usable keyring


@pytest.mark.parametrize(
    ("platform", "advice"),
    [
        ("linux", "gnome-keyring"),
        ("darwin", "Keychain"),
        ("win32", "Windows Credential Manager"),
    ],
)
def test_fail_backend_is_unavailable_with_advice_per_os(platform: str, advice: str) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable) as caught:
        secrets.check_backend(platform)
    message = str(caught.value)
    assert message.startswith("no system keyring is available (keyring backend: fail.Keyring)")
    assert advice in message
    if platform == "linux":
        assert "D-Bus" in message and "dbus-user-session" in message


def test_operations_on_the_fail_backend_raise_keyring_unavailable_not_keyring_errors() -> None:
    keyring.set_keyring(fail.Keyring())
    for call in (
        lambda: secrets.set_secret("imap", "1", SECRET),
        lambda: secrets.get_secret("imap", "1"),
        lambda: secrets.delete_secret("imap", "1"),
    ):
        with pytest.raises(KeyringUnavailable) as caught:
            call()
        assert SECRET not in str(caught.value)


def test_null_backend_is_unavailable_even_when_chosen() -> None:
    keyring.set_keyring(null.Keyring())
    with pytest.raises(KeyringUnavailable, match="switched off"):
        secrets.set_secret("imap", "1", SECRET)


def test_empty_chainer_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    with pytest.raises(KeyringUnavailable, match="no system keyring"):
        secrets.check_backend("linux")


def test_chainer_uses_its_first_member(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = MemoryKeyring(), MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [first, second])
    keyring.set_keyring(chainer.ChainerBackend())
    assert secrets.check_backend() == "tests.unit.memory_keyring.MemoryKeyring"
    secrets.set_secret("imap", "1", SECRET)
    assert first.entries and not second.entries


def test_chainer_led_by_a_plaintext_store_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextFileKeyring()])
    keyring.set_keyring(chainer.ChainerBackend())
    with pytest.raises(KeyringUnavailable, match="plain file"):
        secrets.check_backend()


# --------------------------------------------------------------------------- plaintext stores


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt.file.PlaintextKeyring (same module and class name)."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_keyrings_alt_plaintext_backend_is_refused_unless_chosen() -> None:
    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(KeyringUnavailable) as caught:
        secrets.set_secret("imap", "1", SECRET)
    message = str(caught.value)
    assert "keyrings.alt.file.PlaintextKeyring" in message
    assert "plain file" in message
    assert "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring" in message


def test_test_file_backend_is_refused_when_not_chosen() -> None:
    keyring.set_keyring(FileKeyring())
    with pytest.raises(KeyringUnavailable) as caught:
        secrets.check_backend()
    assert "PYTHON_KEYRING_BACKEND=tests.unit.memory_keyring.PlaintextFileKeyring" in str(
        caught.value
    )


@pytest.mark.parametrize(
    "chosen",
    [
        "tests.unit.memory_keyring.FileKeyring",
        "tests.unit.memory_keyring.PlaintextFileKeyring",
    ],
)
def test_plaintext_backend_chosen_by_environment_is_accepted(
    monkeypatch: pytest.MonkeyPatch, chosen: str
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", chosen)
    keyring.set_keyring(FileKeyring())
    assert secrets.check_backend() == "tests.unit.memory_keyring.PlaintextFileKeyring"
    secrets.set_secret("database", "team", SECRET)
    # A second instance reads the same file: what a second process would see.
    assert FileKeyring().get_password("reglament", "database:team") == SECRET
    assert secrets.get_secret("database", "team") == SECRET


def test_plaintext_backend_chosen_in_keyringrc_is_accepted(tmp_path: Path) -> None:
    config_dir = tmp_path / "config" / "python_keyring"
    config_dir.mkdir(parents=True)
    (config_dir / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring = tests.unit.memory_keyring.FileKeyring\n", encoding="utf-8"
    )
    keyring.set_keyring(FileKeyring())
    assert secrets.check_backend() == "tests.unit.memory_keyring.PlaintextFileKeyring"


def test_choosing_another_backend_does_not_bless_a_plaintext_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.unit.memory_keyring.MemoryKeyring")
    keyring.set_keyring(FileKeyring())
    with pytest.raises(KeyringUnavailable):
        secrets.check_backend()


# --------------------------------------------------------------------------- backend failures


class BrokenKeyring(MemoryKeyring):
    """A backend whose errors quote what it was given — the worst case for leaking."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"cannot store {password!s} for {username}")

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("D-Bus said: org.freedesktop.DBus.Error.ServiceUnknown")


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


def test_backend_error_never_carries_the_secret() -> None:
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(KeyringUnavailable) as caught:
        secrets.set_secret("imap", "1", SECRET)
    error = caught.value
    assert str(error).startswith("the system keyring (tests.unit.test_secrets.BrokenKeyring)")
    assert "cannot store *** for imap:1" in str(error)
    assert error.__cause__ is None and error.__suppress_context__
    assert SECRET not in "".join(traceback.format_exception(error))


def test_backend_read_error_is_reported_plainly() -> None:
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(KeyringUnavailable, match="could not read the imap password: D-Bus said"):
        secrets.get_secret("imap", "1")


def test_locked_keyring_says_unlock() -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(KeyringUnavailable, match="is locked; unlock it"):
        secrets.set_secret("imap", "1", SECRET)


def test_secrets_handed_down_to_a_child_are_exactly_the_ones_asked_for_and_read_only() -> None:
    install_memory_keyring()
    secrets.set_secret("imap", "support@mail.example.ru:993", SECRET)
    secrets.set_secret("smtp", "other@mail.example.ru:465", "not asked for")
    handed = secrets.export_secrets([("imap", "support@mail.example.ru:993"),
                                     ("smtp", "support@mail.example.ru:465")])  # no such entry
    assert handed == {"imap:support@mail.example.ru:993": SECRET}

    secrets.adopt_secrets(handed)  # what the window's sync process does first
    assert secrets.check_backend().endswith("_HandedDown")
    assert secrets.get_secret("imap", "support@mail.example.ru:993") == SECRET
    with pytest.raises(SecretMissing):
        secrets.get_secret("smtp", "other@mail.example.ru:465")
    with pytest.raises(KeyringUnavailable) as stored:
        secrets.set_secret("imap", "x", "new secret")
    assert "new secret" not in str(stored.value)
    assert secrets.delete_secret("imap", "support@mail.example.ru:993") is False
    assert secrets.get_secret("imap", "support@mail.example.ru:993") == SECRET
