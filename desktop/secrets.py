"""Passwords live in the operating system's keyring, and only there (R-CRED-1, R-CRED-2).

This is the only module that imports ``keyring``. It adds what keyring leaves to the application:

* a refusal, in plain words with what to install, when there is no real keyring — instead of
  keyring's silent fallbacks: the "fail" backend on a headless Linux, the "null" backend, or a
  plaintext file (``keyrings.alt``) that becomes the default merely by being installed;
* an explicit choice is respected: a backend named in ``PYTHON_KEYRING_BACKEND`` or in keyring's
  own ``keyringrc.cfg`` is the user's decision, even a plaintext one;
* no secret ever reaches an exception text: backend errors are re-raised without their chain and
  with the secret blotted out of their message.

Entries are stored under the service ``reglament`` with the user name ``<kind>:<account>``, e.g.
``imap:3`` or ``smtp:support@example.com``; what ``account`` means is the caller's choice (an
account id is stable; an address is readable in the OS keyring manager).
"""

from __future__ import annotations

import configparser
import importlib
import os
import re
import sys

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.util import platform_ as keyring_platform

from desktop.errors import NotFound, Phrase, ReglamentError

__all__ = [
    "SERVICE",
    "KeyringUnavailable",
    "SecretMissing",
    "adopt_secrets",
    "backend_name",
    "check_backend",
    "check_ready",
    "check_unlocked",
    "delete_secret",
    "export_secrets",
    "get_secret",
    "set_secret",
    "stores_in_plain_file",
    "where_stored",
]

SERVICE = "reglament"
_KIND = re.compile(r"[a-z][a-z0-9_-]*")


class KeyringUnavailable(ReglamentError):
    """No keyring the product may use, or the keyring refused the operation; says what to do."""


class SecretMissing(NotFound):
    """The keyring works but holds no secret for this kind and account."""

    def __init__(self, kind: str, account: str) -> None:
        super().__init__(
            "no {kind} password is stored in the keyring for account {account}; "
            "enter it again in the account settings",
            kind=kind,
            account=account,
        )
        self.kind = kind
        self.account = account


# --------------------------------------------------------------------------- which backend


def backend_name(backend: KeyringBackend | None = None) -> str:
    """``SecretService.Keyring``, ``Windows.WinVaultKeyring``… (keyring's own backends shortened);
    other backends by their full dotted name, which is also what PYTHON_KEYRING_BACKEND takes."""
    backend = backend if backend is not None else keyring.get_keyring()
    cls = type(backend)
    module = cls.__module__
    prefix = "keyring.backends."
    if module.startswith(prefix):
        return f"{module[len(prefix) :]}.{cls.__qualname__}"
    return f"{module}.{cls.__qualname__}"


def _full_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _load_class(dotted: str) -> type | None:
    module_name, _, class_name = dotted.strip().rpartition(".")
    if not module_name:
        return None
    try:
        found = getattr(importlib.import_module(module_name), class_name, None)
    except Exception:  # a broken name is not a choice; keyring itself will complain about it
        return None
    return found if isinstance(found, type) else None


def _configured_names() -> list[str]:
    """Backends the user named: the environment variable and keyring's ``keyringrc.cfg``."""
    names = []
    from_env = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if from_env:
        names.append(from_env)
    config = configparser.RawConfigParser()
    try:
        config.read(keyring_platform.config_root() / "keyringrc.cfg", encoding="utf-8")
        configured = config.get("backend", "default-keyring", fallback="").strip()
    except (OSError, configparser.Error, UnicodeDecodeError):
        configured = ""
    if configured:
        names.append(configured)
    return names


def _explicitly_chosen(backend: KeyringBackend) -> bool:
    return any(
        (cls := _load_class(name)) is not None and isinstance(backend, cls)
        for name in _configured_names()
    )


def _effective(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend that really stores: a chainer writes to its highest-priority member."""
    if isinstance(backend, chainer.ChainerBackend):
        members = list(backend.backends)
        return members[0] if members else None
    return backend


def _is_plaintext(backend: KeyringBackend) -> bool:
    cls = type(backend)
    return cls.__module__.startswith("keyrings.alt") or "plaintext" in cls.__qualname__.lower()


def _setup_advice(platform: str) -> Phrase:
    if platform.startswith("win"):
        return Phrase(
            "On Windows, Reglament uses the Windows Credential Manager: run it in a normal user "
            "session (not as a service account without a profile); if that does not help, "
            "reinstall Reglament, as its keyring support files are missing"
        )
    if platform == "darwin":
        return Phrase(
            "On macOS, Reglament uses the login Keychain: run it in your logged-in desktop "
            "session with the Keychain unlocked (over SSH: security unlock-keychain)"
        )
    return Phrase(
        "On Linux, Reglament needs a Secret Service keyring in your session: install GNOME "
        "Keyring (package gnome-keyring) or KDE Wallet (kwalletmanager), make sure the D-Bus "
        "session bus runs (packages dbus and dbus-user-session; a desktop login starts both), "
        "and unlock the keyring. Without a desktop: dbus-run-session -- sh -c "
        "'gnome-keyring-daemon --unlock --components=secrets; reglament …'"
    )


def check_backend(platform: str | None = None) -> str:
    """Return the usable backend's name, or raise :class:`KeyringUnavailable` saying what to do.

    ``platform`` (``sys.platform`` by default) only chooses the advice in the message.
    """
    platform = platform or sys.platform
    active = keyring.get_keyring()
    effective = _effective(active)
    name = backend_name(active)
    if effective is None or isinstance(effective, fail.Keyring):
        raise KeyringUnavailable(
            "no system keyring is available (keyring backend: {name}), and Reglament keeps "
            "passwords only there, never in files. {advice}.", name=name, advice=_setup_advice(platform)
        )
    if isinstance(effective, null.Keyring):
        raise KeyringUnavailable(
            "the keyring is switched off (backend {name}, set by PYTHON_KEYRING_BACKEND or "
            "keyringrc.cfg); remove that setting. {advice}.", name=name, advice=_setup_advice(platform)
        )
    if _is_plaintext(effective) and not (
        _explicitly_chosen(active) or _explicitly_chosen(effective)
    ):
        raise KeyringUnavailable(
            "the only keyring available is {backend}, which keeps passwords "
            "in a plain file; Reglament will not use it on its own. {advice}. "
            "To accept the risk anyway, choose it explicitly: "
            "PYTHON_KEYRING_BACKEND={backend_path}", backend=backend_name(effective), advice=_setup_advice(platform), backend_path=_full_name(effective)
        )
    return backend_name(effective)


def check_unlocked() -> None:
    """Raise :class:`KeyringUnavailable` when the Secret Service's collection is locked.

    Asked without unlocking: merely opening the window (its first-run page) must not pop up a
    password prompt; the prompt comes when a password is stored or read. Other backends (the
    macOS Keychain, the Windows Credential Manager) have no lock to ask about here.
    """
    effective = _effective(keyring.get_keyring())
    if effective is None or type(effective).__module__ != "keyring.backends.SecretService":
        return
    try:
        import secretstorage
        from secretstorage.collection import DEFAULT_COLLECTION
        from secretstorage.exceptions import SecretStorageException

        path = getattr(effective, "preferred_collection", DEFAULT_COLLECTION)
        connection = secretstorage.dbus_init()
    except Exception:  # no bus after all: check_backend and the first real use will say so
        return
    try:
        locked = secretstorage.Collection(connection, path).is_locked()
    except SecretStorageException:  # no default keyring yet: the first store creates one
        return
    finally:
        connection.close()
    if locked:
        raise KeyringUnavailable(
            "{store} is locked; unlock it — your desktop asks for its password when Reglament "
            "first stores or reads one, or open your keyring manager (Passwords and Keys, KDE "
            "Wallet) and unlock it there", store=where_stored(effective),
        )


def check_ready(platform: str | None = None) -> str:
    """:func:`check_backend` and :func:`check_unlocked` together: the backend's name when
    passwords can be stored now, else :class:`KeyringUnavailable` saying what to do."""
    name = check_backend(platform)
    check_unlocked()
    return name


def stores_in_plain_file() -> bool:
    """True when passwords go to a file-backed keyring (chosen explicitly, or it is refused)."""
    chosen = _effective(keyring.get_keyring())
    return chosen is not None and _is_plaintext(chosen)


def where_stored(backend: KeyringBackend | None = None) -> Phrase:
    """Where passwords go, in plain words: "the system keyring (SecretService.Keyring)", or —
    for a file-backed keyring such as keyrings.alt's, chosen explicitly — "a plain file …,
    not a system keyring", with the file's path. Never calls a file a system keyring."""
    chosen = backend if backend is not None else _effective(keyring.get_keyring())
    if chosen is None:
        return Phrase("no keyring")
    name = backend_name(chosen)
    if _is_plaintext(chosen):
        path = getattr(chosen, "file_path", None) or getattr(chosen, "path", None)
        if path:
            return Phrase(
                "a plain file ({path}, keyring backend {name}), not a system keyring: anyone who "
                "can read your files can read the passwords", path=str(path), name=name,
            )
        return Phrase(
            "a plain file (keyring backend {name}), not a system keyring: anyone who can read "
            "your files can read the passwords", name=name,
        )
    return Phrase("the system keyring ({name})", name=name)


def _backend() -> KeyringBackend:
    check_backend()
    effective = _effective(keyring.get_keyring())
    assert effective is not None
    return effective


# --------------------------------------------------------------------------- secrets


def _username(kind: str, account: str) -> str:
    if not _KIND.fullmatch(kind):
        raise ValueError(f"secret kind must be a lower-case word, not {kind!r}")
    if not account or not account.strip():
        raise ValueError("the account of a secret cannot be empty")
    return f"{kind}:{account}"


def _failure(
    error: BaseException, action: str, backend: KeyringBackend, secret: str | None
) -> KeyringUnavailable:
    """A backend error as a plain message, with the secret (if any) blotted out."""
    if isinstance(error, keyring.errors.KeyringLocked):
        return KeyringUnavailable(
            "{store} is locked; unlock it and try again", store=where_stored(backend)
        )
    reason = str(error).strip() or type(error).__name__
    if secret:
        reason = reason.replace(secret, "***")
    return KeyringUnavailable(
        "{store} could not {action}: {reason}", store=where_stored(backend), action=action, reason=reason
    )


def set_secret(kind: str, account: str, secret: str) -> None:
    """Store (or replace) a secret. An empty secret is refused: it is always a mistake."""
    user = _username(kind, account)
    if not secret:
        raise ValueError("refusing to store an empty secret")
    backend = _backend()
    try:
        backend.set_password(SERVICE, user, secret)
    except Exception as error:  # the OS service's failure, not ours: report it plainly
        raise _failure(
            error, Phrase("store the {kind} password", kind=kind), backend, secret
        ) from None


def get_secret(kind: str, account: str) -> str:
    """The stored secret, or :class:`SecretMissing`."""
    user = _username(kind, account)
    backend = _backend()
    try:
        secret = backend.get_password(SERVICE, user)
    except Exception as error:
        raise _failure(
            error, Phrase("read the {kind} password", kind=kind), backend, None
        ) from None
    if secret is None:
        raise SecretMissing(kind, account)
    return secret


def delete_secret(kind: str, account: str) -> bool:
    """Remove a secret; False if there was none (deleting twice is not an error)."""
    user = _username(kind, account)
    backend = _backend()
    try:
        if backend.get_password(SERVICE, user) is None:
            return False
        backend.delete_password(SERVICE, user)
    except keyring.errors.PasswordDeleteError:
        return False
    except Exception as error:
        raise _failure(
            error, Phrase("delete the {kind} password", kind=kind), backend, None
        ) from None
    return True


# --------------------------------------------------------------------------- handing secrets down


class _HandedDown(KeyringBackend):
    """The secrets a parent process read from the keyring and passed down a pipe, for a child
    that works on its behalf (the window's sync process, desktop/services/background/sync_process.py).

    They stay in this process's memory and nowhere else; the child never opens the OS keyring
    itself (no second unlock prompt, and whatever keyring the parent was given — a test's, a
    locked desktop's — is the one that counts). Read-only: a child has nothing to store.
    """

    priority = 1.0

    def __init__(self, entries: dict[str, str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's base is untyped
        self._entries = dict(entries)

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get(username) if service == SERVICE else None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("secrets handed down to this process are read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("secrets handed down to this process are read-only")


def export_secrets(wanted: list[tuple[str, str]]) -> dict[str, str]:
    """The stored secrets among ``wanted`` (kind, account) pairs, for :func:`adopt_secrets` in
    a child process; missing ones are left out (the child then reports them missing)."""
    out: dict[str, str] = {}
    for kind, account in wanted:
        try:
            out[_username(kind, account)] = get_secret(kind, account)
        except SecretMissing:
            continue
    return out


def adopt_secrets(entries: dict[str, str]) -> None:
    """Use the secrets a parent handed down (see :func:`export_secrets`) instead of a keyring."""
    keyring.set_keyring(_HandedDown(entries))
