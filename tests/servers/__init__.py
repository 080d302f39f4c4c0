"""Real servers for tests, started on 127.0.0.1 on free ports from throw-away directories.

The helpers here know nothing about pytest: they raise :class:`ServerBinaryMissing` when a server
program is not installed, and ``tests/integration/conftest.py`` turns that into a skip on a
developer's machine or a loud failure in CI (where the packages must be installed).
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

LOOPBACK = "127.0.0.1"


class ServerBinaryMissing(RuntimeError):
    """A server program is not installed; the message says which package provides it."""


class ServerStartError(RuntimeError):
    """A server was installed but did not come up; the message carries the tail of its log."""


def free_port() -> int:
    """Ask the kernel for an unused TCP port on the loopback interface.

    There is a small race (someone else may take the port before the server binds it), which is
    acceptable for tests on one machine; servers that cannot bind report it in their log.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def require_binary(path: str, package: str) -> Path:
    """Return ``path`` (an absolute path or a command name) if it exists, else raise."""
    found = Path(path) if os.path.isabs(path) else None
    if found is not None and found.exists():
        return found
    which = shutil.which(path)
    if which:
        return Path(which)
    raise ServerBinaryMissing(f"{path} is not installed (Debian/Ubuntu: apt-get install {package})")


def in_ci() -> bool:
    """CI sets ``CI``; there a missing server is a broken setup, not a reason to skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, log: Callable[[], str] | None = None
) -> None:
    """Poll ``condition`` until it holds: used only to wait for a server to come up or go down.

    This waits for a real event (a socket opening), it does not make time pass, so it is not the
    forbidden "sleep in a test".
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        if condition():
            return
        if time.monotonic() > deadline:
            tail = log() if log is not None else ""
            raise ServerStartError(f"timed out after {timeout:.0f}s waiting for {what}\n{tail}")
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def port_accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"
