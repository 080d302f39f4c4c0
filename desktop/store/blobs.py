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
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` under its SHA-256; a blob already there is not written again.

        No fsync per file: the database transaction that refers to a blob commits after the
        blob is written, and a blob lost to a power cut before that commit is referred to by
        nothing (the sync fetches the message again). The rename keeps a half-written file from
        ever carrying a valid name.
        """
        digest = hashlib.sha256(data).hexdigest()
        folder = os.path.join(self.root, digest[:2], digest[2:4])
        target = os.path.join(folder, digest)
        if os.path.exists(target):
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
        parent = os.path.dirname(folder)
        if parent not in self._folders:
            os.makedirs(parent, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder)
        with self._lock:
            self._folders.update((parent, folder))

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFound(
                "the stored file {name}… is missing from {folder}", name=sha256[:12], folder=self.root
            ) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()
