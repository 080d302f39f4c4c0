"""Draining the outbox over SMTP: everything queued goes out once, and nothing is lost (R-MAIL-7).

:mod:`desktop.services.upkeep.outgoing` queues each message as an ``OutboxItem`` (raw bytes in the
blob store, or — for the automatic text-only mail a sync queues by the thousand — built from the
stored message when it is first sent) in the transaction that caused it. This module sends it.

Life of an item::

    pending ──claimed "sending" (a chunk, one commit)──▶ SMTP ──▶ sent (committed at once)
       ▲                                                    ├──▶ pending + back-off (4xx, lost)
       │                                                    └──▶ failed (5xx: the server's words)
       └──── outbox retry (by hand) ◀── failed;   dropped ◀── outbox drop (by hand, kept in ticket)

**Sent when asked.** ``reglament outbox``, ``sync --once`` and the window's "Send now" drain with
``force``: every waiting item goes, back-off or not. Only the background loop respects back-off.

**One connection per server.** All items of one mail account go through one
:class:`~desktop.mail.smtp_session.SmtpSession` — one connection and one AUTH per drain, reopened if the
server drops it between messages.

**A circuit breaker.** When the connection cannot be opened or logged into, every message waiting
for that server shares the fate: after a few consecutive failures (at once for a wrong password)
the drain stops trying that server and gives one verdict — "cannot reach host:465: connection
refused; 2,000 messages wait; next try 14:05" — instead of 2,000 identical failures. The messages
stay waiting (not failed: nothing is wrong with them). Message-level refusals (a 5xx for one
recipient) fail that message only, with the server's words; a 4xx backs that message off.

**Never sent twice.** A chunk of items is marked ``sending`` in one commit, then sent one by one
in id order, each recorded ``sent`` (or settled otherwise) in its own commit the moment the
server answers. A crash leaves ``sending`` rows; only the lowest of them can have been on the
wire, so at the next drain it becomes ``failed`` with a plain note ("it may have been delivered
— check, then retry by hand") and the others simply go back to waiting. Re-sending the one in
doubt could deliver twice; dropping it could lose it; the agent decides.

Only one process drains at a time (a database lease), so ``sending`` rows found by the lease
holder at start-up can only have been left by a process that died.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update

from desktop.errors import Phrase, ReglamentError
from desktop.mail import smtp_session
from desktop.mail.transport_errors import MailTransportError, backoff_delay
from desktop.services.background.mail_jobs import MailWorker, SharedWorker, compose_many
from desktop.services.background.outbox_routes import (
    Connect,
    NoRoute,
    Recorder,
    Route,
    Routes,
    settle,
)
from desktop.services.upkeep.outgoing import (
    COMPOSE_WHEN_SENT,
    compose_stored,
    compose_stored_many,
    record_composed,
    stored_texts,
)
from desktop.services.workspace import Workspace
from desktop.store.leases import holder_id, release, try_acquire
from desktop.store.models import OutboxItem

__all__ = [
    "BREAKER_FAILURES",
    "INTERRUPTED",
    "DrainReport",
    "drain_outbox",
    "reconcile_interrupted",
    "retry_delay",
]

log = logging.getLogger("reglament.outbox")

LEASE = "outbox"
LEASE_TTL = timedelta(minutes=5)
#: Consecutive failures to open or log in to one server before the drain stops trying it.
BREAKER_FAILURES = 3
#: Pauses between those attempts (seconds): a blip passes, a dead server is known in seconds.
BREAKER_PAUSES = (0.5, 1.0)
#: When the background loop tries a server again after the breaker opened.
BREAKER_COOL_DOWN = timedelta(minutes=5)
#: Items claimed per commit (see the module doc for why that is safe).
CHUNK = 200
FIRST_CHUNK = 20
INTERRUPTED = (
    "the program stopped while this message was being sent, so it may or may not have reached "
    "the mail server; check with the recipient (or the server's log) and retry it by hand only "
    "if it did not arrive"
)

def retry_delay(attempts: int) -> timedelta:
    """Back-off after a temporary failure of one message: 1, 2, 4… minutes, at most an hour."""
    return timedelta(seconds=backoff_delay(max(1, attempts), base=60.0, cap=3600.0))


@dataclass
class DrainReport:
    """What one drain did. ``verdict``: the breaker's one sentence per server it gave up on."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    skipped_lease: bool = False
    #: Not tried: their server was out of reach (see ``verdicts``); they wait as they were.
    waiting: list[int] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    #: Connections opened (one AUTH each): one per server unless a server dropped us.
    connections: int = 0

    @property
    def verdict(self) -> str | None:
        return "; ".join(self.verdicts) if self.verdicts else None

    def summary(self) -> str:
        if self.skipped_lease:
            return Phrase("outbox: another workstation is sending right now")
        text = Phrase(
            "outbox: {sent} sent, {retrying} to retry later, {failed} failed",
            sent=len(self.sent), retrying=len(self.retrying), failed=len(self.failed),
        )
        if self.waiting:
            text = Phrase("{text}, {count} waiting for their server", text=text, count=len(self.waiting))
        if self.interrupted:
            text = Phrase(
                "{text}, {count} interrupted sends need checking", text=text, count=len(self.interrupted)
            )
        return text


# --------------------------------------------------------------------------- states


def reconcile_interrupted(ws: Workspace) -> list[int]:
    """Settle ``sending`` rows left by a drain that died (see the module doc): the lowest one
    may have been on the wire and is failed for a person to check; the rest go back to waiting.

    Call only while holding the outbox lease (``drain_outbox`` does).
    """
    with ws.db.session() as s:
        ids = sorted(s.scalars(select(OutboxItem.id).where(OutboxItem.status == "sending")))
        if not ids:
            return []
        doubt, rest = ids[0], ids[1:]
        s.execute(
            update(OutboxItem).where(OutboxItem.id == doubt, OutboxItem.status == "sending")
            .values(status="failed", last_error=INTERRUPTED)
            .execution_options(synchronize_session=False)
        )
        if rest:
            s.execute(
                update(OutboxItem).where(OutboxItem.id.in_(rest), OutboxItem.status == "sending")
                .values(status="pending")
                .execution_options(synchronize_session=False)
            )
    log.warning("outbox item %s was interrupted while sending; marked failed", doubt)
    return [doubt]


def _due(ws: Workspace, now: datetime, force: bool) -> list[tuple[int, bool]]:
    """The items to send now, in id order, each with whether its bytes are still to be built."""
    query = select(OutboxItem.id, OutboxItem.raw_sha256 == COMPOSE_WHEN_SENT).where(
        OutboxItem.status == "pending",
        or_(OutboxItem.not_before.is_(None), OutboxItem.not_before <= now),
    )
    if not force:
        query = query.where(or_(OutboxItem.next_attempt_at.is_(None), OutboxItem.next_attempt_at <= now))
    with ws.db.session() as s:
        return [(int(i), bool(build)) for i, build in s.execute(query.order_by(OutboxItem.id))]


def _claim(ws: Workspace, ids: Sequence[int]) -> list[OutboxItem]:
    """pending → sending for a chunk, committed before any byte of it goes to a server."""
    with ws.db.session() as s:
        s.execute(
            update(OutboxItem).where(OutboxItem.id.in_(list(ids)), OutboxItem.status == "pending")
            .values(status="sending")
            .execution_options(synchronize_session=False)
        )
        rows = list(s.scalars(
            select(OutboxItem).where(OutboxItem.id.in_(list(ids)), OutboxItem.status == "sending")
            .order_by(OutboxItem.id)
        ))
        for row in rows:
            s.expunge(row)
    return rows


def _compose_ahead(ws: Workspace, ids: Sequence[int], worker: MailWorker | None) -> dict[int, bytes]:
    """The next chunk's messages built while this one is being sent (a thread of the drain):
    building is Python work, sending and recording are mostly waiting for the server and the
    disk, so the two overlap — on the helper process's core once it is up, so that building
    never holds up this process's reading of the server's replies."""
    with ws.db.reading() as s:
        items = list(s.scalars(select(OutboxItem).where(
            OutboxItem.id.in_(list(ids)), OutboxItem.status == "pending",
            OutboxItem.raw_sha256 == COMPOSE_WHEN_SENT,
        )))
        for item in items:
            s.expunge(item)
    return _composed(ws, items, worker if worker is not None and worker.started() else None)


def _composed(ws: Workspace, items: Sequence[OutboxItem], worker: MailWorker | None = None) -> dict[int, bytes]:
    """The bytes of the chunk's messages still to be built, in one go (see
    ``compose_stored_many``); one by one if one of them cannot be, so the rest still go."""
    todo = [i for i in items if i.raw_sha256 == COMPOSE_WHEN_SENT]
    if not todo:
        return {}
    try:
        texts = stored_texts(ws, todo)
    except ReglamentError:
        out: dict[int, bytes] = {}
        for item in todo:
            with contextlib.suppress(ReglamentError):  # _message says why, for that one
                out.update(compose_stored_many(ws, [item]))
        return out
    order = list(texts)
    wanted = [texts[i][1] for i in order]
    results = worker.compose(wanted)() if worker is not None else compose_many(str(ws.paths.blobs), wanted)
    ready: dict[int, bytes] = {}
    built: dict[int, tuple[str, int]] = {}
    for item_id, result in zip(order, results, strict=True):
        if isinstance(result, str):
            continue  # built alone when its turn comes (_message), and failed with the reason
        sha, size, raw = result
        built[item_id], ready[item_id] = (sha, size), raw
    record_composed(ws, todo, texts, built)
    return ready


def _message(ws: Workspace, item: OutboxItem, ready: dict[int, bytes]) -> bytes:
    if item.id in ready:
        return ready[item.id]
    if item.raw_sha256 == COMPOSE_WHEN_SENT:
        return compose_stored(ws, item)
    return ws.blobs.get(item.raw_sha256)


# --------------------------------------------------------------------------- the drain


@dataclass
class _Drain:
    ws: Workspace
    now: datetime
    routes: Routes
    report: DrainReport
    pause: Callable[[float], object]
    parked: list[int] = field(default_factory=list)
    ready: dict[int, bytes] = field(default_factory=dict)
    recorder: Recorder | None = None
    #: Records "sent" on a thread of its own, so the commit overlaps the next message's
    #: transfer; that message's final dot waits for it (see :meth:`wait_record`).
    writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-record"))
    recording: Future[None] | None = None

    def record_sent(self, ids: Sequence[int], **values: object) -> None:
        self.wait_record()
        if self.recorder is None:
            self.recorder = Recorder(self.ws)
        self.recording = self.writer.submit(self.recorder.settle, ids, **values)

    def wait_record(self) -> None:
        """Wait until the last accepted message is recorded: called before the next message's
        final dot (so no server holds two messages not yet recorded — a crash leaves at most the
        lowest "sending" one in doubt) and before any other write."""
        if self.recording is not None:
            recording, self.recording = self.recording, None
            recording.result()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.wait_record()
        if self.recorder is not None:
            with contextlib.suppress(Exception):
                self.writer.submit(self.recorder.close).result()
        self.writer.shutdown(wait=True)

    def flush(self) -> None:
        """Settle the items of servers out of reach in one commit (see :meth:`_wait`)."""
        if self.parked:
            self.wait_record()
            reasons = {}
            for route in self.routes.routes():
                if route.down is not None:
                    reasons[route.account.id] = str(route.down)
            reason = "; ".join(reasons.values())
            settle(self.ws, self.parked, status="pending", last_error=reason,
                    next_attempt_at=self.now + BREAKER_COOL_DOWN)
            self.report.waiting.extend(self.parked)
            self.parked = []

    def one(self, item: OutboxItem) -> None:
        """Send one claimed item and settle it, whatever happens (but a breaker trip)."""
        report, item_id = self.report, item.id
        try:
            route = self.routes.for_item(item)
        except NoRoute as error:
            self._later(item, error)
            return
        if route.down is not None:
            self._wait(item, route)
            return
        self.flush()  # so the lowest "sending" row is always the one on the wire
        try:
            if item.id not in self.ready:
                self.wait_record()  # building it may write
            msg = _message(self.ws, item, self.ready)
        except ReglamentError as error:  # the stored message itself is missing or unusable
            self._fail(item, error)
            return
        while True:
            try:
                session = self.routes.open(route)
                result = session.send(msg, item.envelope_from or route.account.email, list(item.recipients),
                                      before_dot=self.wait_record)
                break
            except smtp_session.SessionDown as down:
                route.failures += 1
                if not down.retryable or route.failures >= BREAKER_FAILURES:
                    route.down = down.cause
                    self._wait(item, route)
                    return
                self.pause(BREAKER_PAUSES[min(route.failures, len(BREAKER_PAUSES)) - 1])
            except MailTransportError as error:
                route.failures = 0
                if error.retryable:
                    self._later(item, error, attempted=True)
                else:
                    self._fail(item, error)
                return
            except ReglamentError as error:  # e.g. no recipients: nothing can make it sendable
                self._fail(item, error)
                return
        route.failures = 0
        note = None
        if result.refused:
            note = Phrase("not delivered to: {listing}", listing="; ".join(
                f"{addr} ({code} {reply})" for addr, (code, reply) in result.refused.items()
            ))
        self.record_sent([item_id], status="sent", sent_at=self.now, last_error=note,
                         next_attempt_at=None, attempts=item.attempts + 1)
        report.sent.append(item_id)

    def _later(self, item: OutboxItem, error: ReglamentError, attempted: bool = False) -> None:
        attempts = item.attempts + (1 if attempted else 0)
        self.wait_record()
        settle(self.ws, [item.id], status="pending", last_error=str(error), attempts=attempts,
                next_attempt_at=self.now + retry_delay(max(1, attempts)))
        self.report.retrying.append(item.id)
        self.report.errors[item.id] = str(error)

    def _fail(self, item: OutboxItem, error: ReglamentError) -> None:
        self.wait_record()
        settle(self.ws, [item.id], status="failed", last_error=str(error),
                next_attempt_at=None, attempts=item.attempts + 1)
        self.report.failed.append(item.id)
        self.report.errors[item.id] = str(error)

    def _wait(self, item: OutboxItem, route: Route) -> None:
        """The server is out of reach: the item waits, not attempted, until the next try —
        settled with the others like it in one commit, not one each."""
        assert route.down is not None
        self.parked.append(item.id)


def _verdict(ws: Workspace, route: Route, now: datetime) -> str:
    assert route.down is not None
    with ws.db.reading() as s:
        waiting = int(s.scalar(select(func.count(OutboxItem.id)).where(
            OutboxItem.status == "pending",
            or_(OutboxItem.account_id == route.account.id, OutboxItem.account_id.is_(None)),
        )) or 0)
    at = (now + BREAKER_COOL_DOWN).astimezone()
    return Phrase(
        "{reason}; {count} messages wait; next try {at}",
        reason=route.down, count=f"{waiting:,}", at=at.isoformat(timespec="minutes"),
    )


def _chunks(due: Sequence[int]) -> list[list[int]]:
    """A small first chunk, so the first message leaves while the next ones are being built."""
    first = min(len(due), FIRST_CHUNK)
    head = [list(due[:first])] if first else []
    return head + [list(due[i : i + CHUNK]) for i in range(first, len(due), CHUNK)]


def drain_outbox(
    ws: Workspace,
    now: datetime | None = None,
    *,
    force: bool = False,
    connect: Connect | None = None,
    limit: int | None = None,
    pause: Callable[[float], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
    shared: SharedWorker | None = None,
) -> DrainReport:
    """Send the waiting items (all of them with ``force``; else those whose back-off is over).

    ``connect`` makes the SMTP session for an account's settings and password
    (:class:`desktop.mail.smtp_session.SmtpSession` unless a caller wraps it). ``pause`` waits between
    connection attempts (``time.sleep`` by default; the GUI passes an interruptible wait).
    ``shared``: a helper process already up (a ``sync --once``'s) to build the messages with.
    """
    import time

    report = DrainReport()
    moment = now or ws.now()
    me = holder_id()
    with ws.db.session() as s:
        if not try_acquire(s, LEASE, me, ws.now(), LEASE_TTL):
            report.skipped_lease = True
            return report
    routes = Routes(ws, connect or smtp_session.SmtpSession)
    drain = _Drain(ws, moment, routes, report, pause or time.sleep)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-compose")
    worker: MailWorker | None = None
    try:
        report.interrupted = reconcile_interrupted(ws)
        report.failed.extend(report.interrupted)
        listed = _due(ws, moment, force)
        if limit is not None:
            listed = listed[:limit]
        due = [i for i, _build in listed]
        to_build = sum(1 for _i, build in listed if build)
        if shared is not None:
            built_by = shared.get(to_build)
        elif MailWorker.usable(to_build):
            # Thousands to build (a large sync's acknowledgements): a helper process builds them
            # on the other core, started now so it is up by the second chunk.
            worker = built_by = MailWorker(ws.paths.blobs)
            worker.start()
        else:
            built_by = None
        chunks = _chunks(due)
        ahead = pool.submit(_compose_ahead, ws, chunks[0], built_by) if chunks else None
        for number, ids in enumerate(chunks):
            assert ahead is not None
            try:
                ready = ahead.result()
            except ReglamentError:
                ready = {}  # built one by one below, each failing alone if it must
            if number + 1 < len(chunks):
                ahead = pool.submit(_compose_ahead, ws, chunks[number + 1], built_by)
            claimed = _claim(ws, ids)
            missing = [i for i in claimed if i.raw_sha256 == COMPOSE_WHEN_SENT and i.id not in ready]
            drain.ready = {**ready, **_composed(ws, missing)}
            for n, item in enumerate(claimed):
                if should_stop is not None and should_stop():
                    drain.flush()
                    settle(ws, [i.id for i in claimed[n:]], status="pending")
                    return report
                drain.one(item)
            drain.flush()
            drain.wait_record()
            with ws.db.session() as s:  # renew: a long queue must not let the lease lapse
                try_acquire(s, LEASE, me, ws.now(), LEASE_TTL)
        report.verdicts = [_verdict(ws, r, moment) for r in routes.routes() if r.down is not None]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if worker is not None:
            worker.close()
        drain.close()
        report.connections = routes.close()
        with ws.db.session() as s:
            release(s, LEASE, me)
    return report
