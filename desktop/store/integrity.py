"""Refusing a damaged SQLite file before anything is written to it (R-DATA-1).

SQLite opens almost anything: a zero-length file is "an empty database" (the schema would be
created anew beside the old attachments), and a file with a damaged page in the middle serves
every query that does not touch that page. So before the workspace's engine connects — its
first statement already sets pragmas — the file is looked at through a *read-only* connection:

* every start (about a millisecond): the file is not empty, its header is SQLite's, its size
  is whole pages, its schema can be read, its revision and the release that wrote it;
* when the file changed since Reglament last closed it whole (its size, change time or inode
  differ from the seal written at that close — a crash, a copy, someone else's bytes), and
  nobody else has it open: SQLite's ``quick_check`` of every page (0.2–1 s at 100k tickets,
  tests/bench/bench_open_check.py), after which the file counts as seen whole again.

A file that fails is refused with its name and what to do, and left exactly as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import StorageError

MAGIC = b"SQLite format 3\x00"
#: Beside the database: what the file looked like when the last connection closed it cleanly.
SEAL_SUFFIX = ".seal"


@dataclass(frozen=True)
class FileLook:
    """What a read-only look at the file found."""

    revision: str | None  # alembic's, None for a database without our schema yet
    user_version: int  # the release that last upgraded it (schema_version.encode_release)
    checked_whole: bool  # quick_check ran (the seal did not match)


class DamagedDatabase(StorageError):
    """A database file that cannot be trusted; nothing was written to it."""


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///…`` URL names; None for PostgreSQL or an in-memory database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _what_to_do(path: Path) -> dict[str, object]:
    return {"file": path, "backups": path.parent / "backups"}


def _refuse(path: Path, what: str) -> DamagedDatabase:
    return DamagedDatabase(
        "the database file {file} is damaged ({what}); nothing was written to it. Restore a backup "
        "with `reglament restore FILE` (automatic ones are in {backups}), or ask the administrator",
        what=what, **_what_to_do(path))


def look_at(path: Path, *, others_have_it_open: bool = False) -> FileLook | None:
    """Check ``path`` before use; None when there is no file yet (a new workspace).

    ``others_have_it_open``: another process of this workspace is running on the file and
    checked it when it opened it; the page-by-page check is then left to that one."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if st.st_size == 0:
        raise DamagedDatabase(
            "the database file {file} is empty (0 bytes): the workspace's tickets are not in it, and "
            "nothing was written to it. Restore a backup with `reglament restore FILE` (automatic "
            "ones are in {backups}), or move the empty file away to start a new workspace",
            **_what_to_do(path))
    _check_header(path, st.st_size)
    whole = not others_have_it_open and not seal_matches(path)
    # Without a write-ahead log nobody has the file open: read it as it lies (``immutable``),
    # which leaves no -shm/-wal files behind. Damage found so is confirmed the careful way
    # (with locks), in case someone opened it in between.
    wal = path.with_name(path.name + "-wal")
    quiet = not wal.exists()
    try:
        return _read(path, whole, immutable=quiet)
    except DamagedDatabase:
        if not quiet or not wal.exists():
            raise
    return _read(path, whole, immutable=False)


def _read(path: Path, whole: bool, immutable: bool) -> FileLook:
    mode = "immutable=1" if immutable else "mode=ro"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=15)
    except sqlite3.Error as exc:
        raise _refuse(path, str(exc)) from None
    try:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        user_version = int(con.execute("PRAGMA user_version").fetchone()[0])
        if whole:
            problems = [line for row in con.execute("PRAGMA quick_check(4)") for line in str(row[0]).splitlines()
                        if line.strip() and not line.startswith("***")]
            if problems != ["ok"]:
                raise _refuse(path, "; ".join(problems[:2]))
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, str(exc).splitlines()[0]) from None
    finally:
        con.close()
    return FileLook(revision, user_version, whole)


def _check_header(path: Path, size: int) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise StorageError("the database file {file} cannot be read: {reason}",
                           file=path, reason=exc.strerror or exc) from None
    if len(header) < 100 or not header.startswith(MAGIC):
        raise _refuse(path, "it does not start as an SQLite database")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _refuse(path, f"its header gives a page size of {page_size}")
    if size % page_size:
        raise _refuse(path, f"its size, {size} bytes, is not a whole number of {page_size}-byte pages")
    (counter,), (pages,), (valid_for,) = (struct.unpack(">I", header[a:a + 4]) for a in (24, 28, 92))
    wal = path.with_name(path.name + "-wal")
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if wal_empty and counter == valid_for and pages and pages * page_size > size:
        raise _refuse(path, f"it is cut short: {size} of {pages * page_size} bytes")


# --- the seal: "this is the file as Reglament last closed it" ---------------------------------


def _fingerprint(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "inode": st.st_ino}


def seal_path(path: Path) -> Path:
    return path.with_name(path.name + SEAL_SUFFIX)


def seal_matches(path: Path) -> bool:
    try:
        stored = json.loads(seal_path(path).read_text(encoding="utf-8"))
        return bool(stored == _fingerprint(path))
    except (OSError, ValueError):
        return False


def write_seal(path: Path) -> None:
    """After the last connection closed: SQLite has moved the log into the file and removed
    it, so the file alone is the database. With another process still on it the log stays,
    and that process seals it when it closes."""
    if path.with_name(path.name + "-wal").exists() or not path.exists():
        return
    with contextlib.suppress(OSError):
        tmp = seal_path(path).with_suffix(".tmp")
        tmp.write_text(json.dumps(_fingerprint(path)), encoding="utf-8")
        os.replace(tmp, seal_path(path))


def forget_seal(path: Path) -> None:
    with contextlib.suppress(OSError):
        seal_path(path).unlink()
