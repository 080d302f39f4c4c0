"""Which processes have a data folder open: each holds a locked file of its own there.

Restoring a backup replaces the database under everyone's feet, so it is refused while anyone
else — the window, a ``reglament sync``, its sync child — has the workspace open. A process
that dies loses its lock with it (the system releases it), so a crash leaves a file behind but
never a false "in use": such a file is unlocked, and whoever finds it removes it.
Locks: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows; both exclusive, one per file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

FOLDER = ".holders"
#: Held by a restore while it replaces the database: nobody opens the workspace meanwhile.
RESTORING = "restoring.lock"


# Plain descriptors, not file objects: a workspace nobody closed must not add a warning of its
# own when it is collected; the system drops the lock with the process either way.
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)


def _lock(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def _open(path: Path) -> int | None:
    try:
        return os.open(path, _FLAGS, 0o644)
    except OSError:
        return None


@dataclass
class Hold:
    """This process's hold on a data folder; :meth:`release` when the workspace closes."""

    path: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # first: nobody finds it unlocked and removes it meanwhile
        _unlock(self.fd)
        os.close(self.fd)
        self.fd = None


def hold(home: Path, what: str = "") -> Hold:
    """Mark the data folder as open by this process (its id and ``what`` in the file)."""
    folder = home / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / f"{os.getpid()}-{secrets.token_hex(4)}.hold"
    # Locked under a name nobody looks at, then named: found unlocked, it would count as stale.
    fresh = path.with_suffix(".new") if os.name != "nt" else path
    fd = _open(fresh)
    if fd is None:
        return Hold(path, None)
    # On Windows the locked byte cannot be read by others: the description comes after it.
    os.write(fd, f" {os.getpid()} {what}\n".encode())
    if not _lock(fd):  # a fresh file of our own: only a system without locks refuses
        os.close(fd)
        return Hold(path, None)
    if fresh != path:
        os.replace(fresh, path)
    return Hold(path, fd)


def others(home: Path, mine: Hold | None = None) -> list[str]:
    """The other processes holding the folder, as "pid what"; stale files are removed."""
    folder = home / FOLDER
    found: list[str] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.hold")):
        if mine is not None and path == mine.path:
            continue
        fd = _open(path)
        if fd is None:
            continue
        try:
            if _lock(fd):  # nobody holds it: a crashed process's file
                _unlock(fd)
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            try:
                os.lseek(fd, 1, os.SEEK_SET)
                said = os.read(fd, 200).decode(errors="replace").strip()
            except OSError:
                said = ""
            found.append(said or path.stem)
        finally:
            os.close(fd)
    return found


def restoring(home: Path) -> bool:
    """Whether a restore is replacing the database right now."""
    path = home / FOLDER / RESTORING
    if not path.exists():
        return False
    fd = _open(path)
    if fd is None:
        return False
    try:
        if _lock(fd):
            _unlock(fd)
            return False
        return True
    finally:
        os.close(fd)


def hold_for_restore(home: Path) -> Hold | None:
    """The restore's exclusive mark; None when another restore has it."""
    folder = home / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / RESTORING
    fd = _open(path)
    if fd is None:
        return None
    if not _lock(fd):
        os.close(fd)
        return None
    return Hold(path, fd)
