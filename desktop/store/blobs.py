"""Content-addressed files in the data folder: raw mail, attachments, rendered acts.

Keeping payloads out of the database keeps it small and fast to back up, and makes the same
attachment received twice cost its bytes once. Writes are atomic (temp file + rename) so a crash
never leaves a half-written blob under a valid name.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import secrets
import threading
from pathlib import Path

from desktop.errors import NotFound, StorageError

#: Temp names unique across processes and machines sharing a data folder: a random token drawn
#: once, the process id (a forked child keeps the token) and a counter — ``mkstemp``'s random
#: name per file costs more than the write of a small blob.
_TOKEN = secrets.token_hex(4)
_counter = itertools.count()
_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: set[str] = set()  # fan-out folders known to exist
        self._lock = threading.Lock()

    def path(self, sha256: str) -> Path:
        """Where the blob is: one folder level, ``ab/abcdef…`` (as git keeps its objects). Blobs
        stored before that sit two levels down, ``ab/cd/abcdef…``, and are found there: with two
        levels (65,536 folders) nearly every blob of a first sync made a folder of its own, which
        cost more than writing the file."""
        path = self._path(sha256)
        if path.exists():
            return path
        legacy = self.root / sha256[:2] / sha256[2:4] / sha256
        return legacy if legacy.exists() else path

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` under its SHA-256; a blob already there is not written again.

        No fsync per file: the database transaction that refers to a blob commits after the
        blob is written, and a blob lost to a power cut before that commit is referred to by
        nothing (the sync fetches the message again). The rename keeps a half-written file from
        ever carrying a valid name.
        """
        digest = hashlib.sha256(data).hexdigest()
        folder = os.path.join(self.root, digest[:2])
        target = os.path.join(folder, digest)
        if os.path.exists(target) or os.path.exists(os.path.join(folder, digest[2:4], digest)):
            return digest
        try:
            if folder not in self._folders:
                self._make_folder(folder)
            tmp = os.path.join(folder, f".tmp-{_TOKEN}-{os.getpid()}-{next(_counter)}")
            fd = os.open(tmp, _TMP_FLAGS, 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise StorageError(
                "cannot store a file in {folder}: {reason}", folder=self.root, reason=exc.strerror or exc
            ) from None
        return digest

    def _make_folder(self, folder: str) -> None:
        os.makedirs(folder, exist_ok=True)
        with self._lock:
            self._folders.add(folder)

    def get(self, sha256: str) -> bytes:
        try:
            try:
                return self._path(sha256).read_bytes()
            except FileNotFoundError:
                return (self.root / sha256[:2] / sha256[2:4] / sha256).read_bytes()  # stored before
        except FileNotFoundError:
            raise NotFound(
                "the stored file {name}… is missing from {folder}", name=sha256[:12], folder=self.root
            ) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()
