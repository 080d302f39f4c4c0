"""Keyring backends for tests only — never for real passwords.

* :class:`MemoryKeyring` keeps secrets in a dict: for unit tests in one process. Install it with
  :func:`install_memory_keyring` (``keyring.set_keyring``) or
  ``PYTHON_KEYRING_BACKEND=tests.unit.memory_keyring.MemoryKeyring``.
* :class:`PlaintextFileKeyring` (alias ``FileKeyring``) keeps secrets as JSON in the file named by
  ``REGLAMENT_TEST_KEYRING_FILE``, so several processes (CLI tests run ``reglament`` as a
  subprocess) share them. It is a *plaintext* store, so ``desktop.secrets`` refuses it unless it is
  chosen explicitly: ``PYTHON_KEYRING_BACKEND=tests.unit.memory_keyring.FileKeyring``. Its name
  says "Plaintext" so that the product's rule recognises it like ``keyrings.alt``'s.

The real Secret Service backend is tested in ``tests/integration/test_secrets_keyring.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the atomic rename still keeps the file whole
    fcntl = None  # type: ignore[assignment]

FILE_VARIABLE = "REGLAMENT_TEST_KEYRING_FILE"


class MemoryKeyring(KeyringBackend):
    """A dict per instance; ``entries`` is open for assertions ((service, user) → secret)."""

    @properties.classproperty
    def priority(cls) -> float:
        # Viable but below every real backend (Secret Service is 5, macOS/Windows are 5):
        # importing this module must never make it win keyring's automatic choice.
        return 0.2

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError("no such password") from None


def install_memory_keyring() -> MemoryKeyring:
    """Make a fresh MemoryKeyring the process's keyring and return it."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


class PlaintextFileKeyring(KeyringBackend):
    """JSON file store shared between processes; for CLI subprocess tests only."""

    @properties.classproperty
    def priority(cls) -> float:
        if not os.environ.get(FILE_VARIABLE):
            raise RuntimeError(f"{FILE_VARIABLE} is not set")
        return 0.1

    @property
    def path(self) -> Path:
        value = os.environ.get(FILE_VARIABLE)
        if not value:
            raise RuntimeError(f"{FILE_VARIABLE} is not set")
        return Path(value)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, dict[str, str]]]:
        """Read-modify-write under an exclusive lock; written atomically by rename."""
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".lock"), "a") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            except json.JSONDecodeError:
                data = {}
            before = json.dumps(data, sort_keys=True)
            yield data
            if json.dumps(data, sort_keys=True) != before:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False)
                os.replace(tmp, path)

    def get_password(self, service: str, username: str) -> str | None:
        with self._locked() as data:
            return data.get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._locked() as data:
            data.setdefault(service, {})[username] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._locked() as data:
            if username not in data.get(service, {}):
                raise PasswordDeleteError("no such password")
            del data[service][username]


FileKeyring = PlaintextFileKeyring
