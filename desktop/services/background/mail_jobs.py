"""The CPU-heavy half of mail intake — parsing and storing the files — and of sending —
building the outgoing messages — as plain picklable jobs.

Parsing what arrives and writing the raw messages to the blob store need no
database, so for a large sync (thousands of messages) :class:`MailWorker` runs them in one
helper process while the main process correlates and stores, which uses the second core of an
ordinary workstation. Small syncs — the everyday case of a few new messages — run the same
functions in-process.

Durability is unchanged: the main process waits for a batch's files before the transaction that
refers to them commits.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from desktop.mail.compose import StoredText, build_stored
from desktop.mail.parse import MessageParseError, ParsedMessage, parse_message
from desktop.mail.subjects import looks_like_several_questions
from desktop.processes import children_supported, exit_with_parent
from desktop.store.blobs import BlobStore

log = logging.getLogger("reglament.ingest")

T = TypeVar("T")

#: Below this many messages a sync does everything in-process: starting the helper (~0.3 s)
#: costs more than it saves.
WORKER_THRESHOLD = 300


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Why a message is quarantined; ``details`` is a traceback for the log when the parser
    itself failed (a bug), empty when the mail is just malformed."""

    error: str
    details: str = ""


ParseResult = ParsedMessage | ParseFailure


def parse_one(raw: bytes) -> ParseResult:
    try:
        return parse_message(raw)
    except MessageParseError as exc:
        return ParseFailure(str(exc))
    except Exception as exc:  # a parser bug must not lose the message or stop the sync
        return ParseFailure(f"unexpected parser failure ({type(exc).__name__})", traceback.format_exc())


def parse_many(raws: Sequence[bytes]) -> list[ParseResult]:
    return [parse_one(raw) for raw in raws]


@dataclass(frozen=True, slots=True)
class Intake:
    """A fetched message parsed, with it and its attachments already in the blob store.

    ``attachments`` are (sha256, size) in the order of ``parsed.attachments``. Their bytes stay
    in the raw message, the one file written per message (desktop/services/attachments.py
    reads them back from it); when this comes from the helper process they are dropped here,
    which spares copying them between the processes.
    """

    parsed: ParseResult
    raw_sha256: str
    attachments: tuple[tuple[str, int], ...]
    #: The text reads as several questions (R-TICKET-5's one question per ticket). Judged here,
    #: beside the parsing, because it needs nothing but the text: in a large sync this process
    #: is the one with time to spare.
    several_questions: bool = False


def intake_one(blobs: BlobStore, raw: bytes, keep_data: bool = True) -> Intake:
    """Parse and store one message, its file not yet made durable: the caller calls
    ``blobs.sync()`` once for the batch before the transaction that refers to it commits."""
    parsed = parse_one(raw)
    stored: tuple[tuple[str, int], ...] = ()
    several = False
    if isinstance(parsed, ParsedMessage):
        stored = tuple((hashlib.sha256(a.data).hexdigest(), len(a.data)) for a in parsed.attachments)
        several = looks_like_several_questions(parsed.text)
        if not keep_data:
            for a in parsed.attachments:
                a.data = b""
    return Intake(parsed, blobs.put(raw, durable=False), stored, several)


def intake_many(blob_root: str, raws: Sequence[bytes]) -> list[Intake]:
    blobs = _store(blob_root)
    out = [intake_one(blobs, raw, keep_data=False) for raw in raws]
    blobs.sync()  # on the disk before the main process commits the rows referring to them
    return out


def compose_many(blob_root: str, texts: Sequence[StoredText]) -> list[tuple[str, int, bytes] | str]:
    """Build stored text-only messages (the outbox's acknowledgements) and put their bytes in
    the blob store, on the disk before this returns: (sha256, size, bytes) for each, or the
    plain reason one could not be built (that message alone fails)."""
    blobs = _store(blob_root)
    out: list[tuple[str, int, bytes] | str] = []
    for text in texts:
        try:
            raw = build_stored(text)
        except Exception as exc:  # a bad stored row fails its own message, not the chunk
            out.append(str(exc) or type(exc).__name__)
            continue
        out.append((blobs.put(raw, durable=False), len(raw), raw))
    blobs.sync()
    return out


_stores: dict[str, BlobStore] = {}


def _store(blob_root: str) -> BlobStore:
    if blob_root not in _stores:
        _stores[blob_root] = BlobStore(Path(blob_root))
    return _stores[blob_root]


class MailWorker:
    """One helper process for parsing, for the length of one large sync.

    Results come back as getters (call to wait). If the helper dies, a getter does the work
    in-process instead, so a broken helper slows the sync down but never loses mail.
    """

    def __init__(self, blob_root: Path) -> None:
        self.blob_root = str(blob_root)
        # "spawn": the GUI calls this from a thread of a Qt process, which must not be forked.
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent
        )
        self._up: Future[int] | None = None

    def start(self) -> None:
        """Start the helper now rather than with the first job: it takes a few tenths of a
        second to come up, which the caller spends on work of its own meanwhile."""
        if self._pool is not None and self._up is None:
            try:
                self._up = self._pool.submit(int)
            except (BrokenProcessPool, RuntimeError):
                self._broken()

    def started(self) -> bool:
        """Up and taking jobs (see :meth:`start`)."""
        return self._pool is not None and self._up is not None and self._up.done()

    @staticmethod
    def usable(count: int) -> bool:
        """Worth starting for ``count`` messages, and possible (see desktop/processes.py)."""
        return count >= WORKER_THRESHOLD and children_supported()

    def intake(self, raws: Sequence[bytes]) -> Callable[[], list[Intake]]:
        """Parse and store a batch (the raw messages and their attachments)."""
        raws = list(raws)
        return self._submit(intake_many, lambda: intake_many(self.blob_root, raws), self.blob_root, raws)

    def compose(self, texts: Sequence[StoredText]) -> Callable[[], list[tuple[str, int, bytes] | str]]:
        """Build and store outgoing messages (see :func:`compose_many`)."""
        texts = list(texts)
        return self._submit(compose_many, lambda: compose_many(self.blob_root, texts), self.blob_root, texts)

    def _submit(self, fn: Callable[..., T], local: Callable[[], T], *args: object) -> Callable[[], T]:
        future: Future[T] | None = None
        if self._pool is not None:
            try:
                future = self._pool.submit(fn, *args)
            except (BrokenProcessPool, RuntimeError):
                self._broken()

        def result() -> T:
            if future is not None:
                try:
                    return future.result()
                except BrokenProcessPool:
                    self._broken()
            return local()

        return result

    def _broken(self) -> None:
        if self._pool is not None:
            log.warning("the mail helper process stopped; continuing in this process")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class SharedWorker:
    """One helper process for a ``sync --once``: its sync parses with it, then its outbox
    drain builds the acknowledgements with it — the second start (a few tenths of a second of
    importing, and the drain's first chunks built in-process meanwhile) is saved. Made on the
    first large request, closed by whoever made the holder."""

    def __init__(self, blob_root: Path) -> None:
        self.blob_root = blob_root
        self._worker: MailWorker | None = None

    def get(self, count: int) -> MailWorker | None:
        """The helper for ``count`` messages of work, started if it is worth it (else None)."""
        if self._worker is None and MailWorker.usable(count):
            self._worker = MailWorker(self.blob_root)
            self._worker.start()
        return self._worker

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
