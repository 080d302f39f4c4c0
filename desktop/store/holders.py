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
from typing import IO

FOLDER = ".holders"
#: Held by a restore while it replaces the database: nobody opens the workspace meanwhile.
RESTORING = "restoring.lock"


def _lock(fh: IO[bytes]) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fh: IO[bytes]) -> None:
    with contextlib.suppress(OSError):
        if os.name == "nt":
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@dataclass
class Hold:
    """This process's hold on a data folder; :meth:`release` when the workspace closes."""

    path: Path
    fh: IO[bytes] | None

    def release(self) -> None:
        if self.fh is None:
            return
        _unlock(self.fh)
        self.fh.close()
        self.fh = None
        with contextlib.suppress(OSError):
            self.path.unlink()


def hold(home: Path, what: str = "") -> Hold:
    """Mark the data folder as open by this process (its id and ``what`` in the file)."""
    folder = home / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / f"{os.getpid()}-{secrets.token_hex(4)}.hold"
    fh = path.open("w+b")
    fh.write(f"{os.getpid()} {what}\n".encode())
    fh.flush()
    if not _lock(fh):  # a fresh file of our own: only a system without locks refuses
        fh.close()
        return Hold(path, None)
    return Hold(path, fh)


def others(home: Path, mine: Hold | None = None) -> list[str]:
    """The other processes holding the folder, as "pid what"; stale files are removed."""
    folder = home / FOLDER
    found: list[str] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.hold")):
        if mine is not None and path == mine.path:
            continue
        try:
            fh = path.open("r+b")
        except OSError:
            continue
        with fh:
            if _lock(fh):  # nobody holds it: a crashed process's file
                _unlock(fh)
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            found.append(fh.read(200).decode(errors="replace").strip() or path.stem)
    return found


def restoring(home: Path) -> bool:
    """Whether a restore is replacing the database right now."""
    path = home / FOLDER / RESTORING
    if not path.exists():
        return False
    try:
        fh = path.open("r+b")
    except OSError:
        return False
    with fh:
        if _lock(fh):
            _unlock(fh)
            return False
        return True


def hold_for_restore(home: Path) -> Hold | None:
    """The restore's exclusive mark; None when another restore has it."""
    folder = home / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / RESTORING
    fh = path.open("a+b")
    if not _lock(fh):
        fh.close()
        return None
    return Hold(path, fh)
