"""Stored files are on the disk before the rows that refer to them commit (never lose a message).

A power cut after a sync's transaction reached the disk but before the kernel wrote the new
raw files out would leave messages whose checkpoint has moved past them and whose file is
empty or gone. The store flushes each file it is given one by one, or a sync's whole batch at
once before that batch commits; these tests watch the flushes happen, by inode.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from desktop.errors import StorageError
from desktop.services.background import mail_jobs
from desktop.services.background.ingest import ingest_batch
from desktop.store import blobs as blobs_module
from desktop.store.blobs import BlobStore
from tests.unit.test_ingest import mail
from tests.unit.test_ingest_speed import _batch


class _Flushes:
    """Records the inode of every file or folder fsync'ed, and of every syncfs'ed root."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, syncfs: bool | None = None) -> None:
        self.fsynced: list[int] = []
        self.syncfs: list[int] = []
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            self.fsynced.append(os.fstat(fd).st_ino)
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        real_syncfs = blobs_module._syncfs
        if syncfs is False:
            monkeypatch.setattr(blobs_module, "_syncfs", None)
        elif real_syncfs is not None:
            def spy(fd: int) -> int:
                self.syncfs.append(os.fstat(fd).st_ino)
                return real_syncfs(fd)

            monkeypatch.setattr(blobs_module, "_syncfs", spy)


def _ino(path: Path) -> int:
    return path.stat().st_ino


def test_a_single_put_is_flushed_with_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path / "blobs")
    seen = _Flushes(monkeypatch)
    sha = store.put(b"an act's PDF")
    path = store.path(sha)
    assert _ino(path) in seen.fsynced  # the temp file, renamed: same inode
    if os.name != "nt":
        assert _ino(path.parent) in seen.fsynced
    assert not store._unsynced


@pytest.mark.skipif(blobs_module._syncfs is None, reason="syncfs is Linux's")
def test_a_batch_is_flushed_by_one_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path / "blobs")
    seen = _Flushes(monkeypatch)
    shas = [store.put(f"message {i}".encode(), durable=False) for i in range(5)]
    assert seen.fsynced == [] and len(store._unsynced) == 5
    store.sync()
    assert seen.syncfs == [_ino(tmp_path / "blobs")] and seen.fsynced == []
    store.sync()  # nothing new: no second flush
    assert len(seen.syncfs) == 1
    assert all(store.get(s) == f"message {i}".encode() for i, s in enumerate(shas))


def test_without_syncfs_each_file_and_folder_is_flushed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path / "blobs")
    seen = _Flushes(monkeypatch, syncfs=False)
    paths = [store.path(store.put(f"message {i}".encode(), durable=False)) for i in range(5)]
    store.sync()
    assert {_ino(p) for p in paths} <= set(seen.fsynced)
    if os.name != "nt":
        assert {_ino(p.parent) for p in paths} <= set(seen.fsynced)
    assert not store._unsynced


def test_a_failed_flush_is_reported_in_words_and_owed_to_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(tmp_path / "blobs")
    store.put(b"one", durable=False)
    monkeypatch.setattr(blobs_module, "_syncfs", None)
    real_fsync = os.fsync

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(StorageError, match="to the disk: Input/output error"):
        store.sync()
    assert len(store._unsynced) == 1
    monkeypatch.setattr(os, "fsync", real_fsync)
    store.sync()
    assert not store._unsynced


def test_the_helpers_batch_is_on_the_disk_before_its_results_go_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_sync = BlobStore.sync

    def sync(self: BlobStore) -> None:
        calls.append(f"sync {len(self._unsynced)}")
        real_sync(self)

    monkeypatch.setattr(BlobStore, "sync", sync)
    results = mail_jobs.intake_many(str(tmp_path / "blobs"), [mail(f"q {i}") for i in range(3)])
    assert len(results) == 3 and calls == ["sync 3"]


def test_an_in_process_batch_syncs_its_files_before_the_commit(ws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.orm import Session

    order: list[str] = []
    real_sync, real_commit = BlobStore.sync, Session.commit

    def sync(self: BlobStore) -> None:
        order.append(f"sync {len(self._unsynced)}")
        real_sync(self)

    def commit(self: Session) -> None:
        order.append("commit")
        real_commit(self)

    monkeypatch.setattr(BlobStore, "sync", sync)
    monkeypatch.setattr(Session, "commit", commit)
    report = ingest_batch(ws, None, "INBOX", None, _batch([mail(f"вопрос {i}") for i in range(3)]))
    assert len(report.new_tickets) == 3
    assert order[:2] == ["sync 3", "commit"]
