"""Copies in Sent (R-MAIL-10): what the workstation sends is also in the mailbox itself.

A colleague who opens the support mailbox in a mail client sees the answers beside the letters
they answer, as with any client that saves sent mail. The copy is appended to the Sent folder
found the way mail clients find it — the folder the server marks ``\\Sent`` (RFC 6154
SPECIAL-USE), else one of the usual names, else a new ``Sent`` — or to the folder the account
names. It is marked ``\\Seen``.

Once each: before appending, the folder is searched for the message's Message-ID, so a message
sent again (an outbox retry after a lost reply, a crash between sending and recording it) never
leaves a second copy. A failed copy never fails the sending: the message went out; the copy's
failure is logged.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from desktop.errors import ReglamentError
from desktop.mail import imap

__all__ = ["USUAL_NAMES", "SentCopies", "append_copy", "find_sent_folder", "keep_copies", "keep_copy"]

log = logging.getLogger("reglament.mail.sent")

#: Names mail clients and servers use for Sent, tried in this order when nothing is marked.
USUAL_NAMES = (
    "Sent", "Sent Items", "Sent Messages", "Sent Mail", "INBOX.Sent", "INBOX/Sent",
    "Отправленные",
)


def _name(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def find_sent_folder(client: IMAPClient, create: bool = True) -> str:
    """The Sent folder: SPECIAL-USE ``\\Sent``, else a usual name (any case), else a new ``Sent``."""
    folders = client.list_folders()
    for flags, _delimiter, name in folders:
        if any(_name(flag).lower() == "\\sent" for flag in flags):
            return _name(name)
    by_lower = {_name(name).lower(): _name(name) for _flags, _delimiter, name in folders}
    for usual in USUAL_NAMES:
        if usual.lower() in by_lower:
            return by_lower[usual.lower()]
    if create:
        client.create_folder("Sent")
    return "Sent"


def _already_there(client: IMAPClient, folder: str, message_id: str) -> bool:
    client.select_folder(folder, readonly=True)
    try:
        return bool(client.search(["HEADER", "Message-ID", message_id]))
    finally:
        with contextlib.suppress(IMAPClientError):
            client.unselect_folder()


def _ids_there(client: IMAPClient, folder: str, wanted: set[str] | None) -> set[str]:
    """Which of ``wanted`` (Message-IDs) the folder holds — all it holds with ``None``: its
    recent messages' Message-ID headers fetched in one command (a copy is made within minutes
    of its sending; a week back covers an outbox that waited out a long outage)."""
    if wanted is not None and not wanted:
        return set()
    from datetime import date, timedelta

    client.select_folder(folder, readonly=True)
    try:
        uids = client.search(["SINCE", date.today() - timedelta(days=7)])
        if not uids:
            return set()
        found = set()
        for data in client.fetch(uids, [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).values():
            raw = data.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]") or b""
            value = BytesHeaderParser(policy=policy.SMTP).parsebytes(raw).get("Message-ID")
            if value:
                found.add(str(value).strip())
        return found if wanted is None else found & wanted
    finally:
        with contextlib.suppress(IMAPClientError):
            client.unselect_folder()


def _raw_and_id(msg: EmailMessage | bytes) -> tuple[bytes, str]:
    if isinstance(msg, bytes):
        head = BytesHeaderParser(policy=policy.SMTP).parsebytes(msg)
        return msg, str(head.get("Message-ID") or "").strip()
    return msg.as_bytes(policy=policy.SMTP), str(msg.get("Message-ID") or "").strip()


def append_copy(client: IMAPClient, msg: EmailMessage | bytes, folder: str | None = None) -> bool:
    """Append ``msg`` to Sent unless a message with its Message-ID is there; True if appended."""
    target = folder or find_sent_folder(client)
    if folder and not client.folder_exists(folder):
        client.create_folder(folder)
    raw, message_id = _raw_and_id(msg)
    if message_id and _already_there(client, target, message_id):
        return False
    client.append(target, raw, flags=(b"\\Seen",))
    return True


#: Copies per MULTIAPPEND command (RFC 3502): one round trip for many instead of one each.
MULTIAPPEND_BATCH = 100


def _append_all(client: IMAPClient, folder: str, raws: list[bytes]) -> Iterator[int]:
    """Append ``raws`` to ``folder`` marked \\Seen: many per command where the server offers
    MULTIAPPEND (a server takes all of one command or none), else one by one; yields how many
    each command put in."""
    multi = client.has_capability("MULTIAPPEND")
    for start in range(0, len(raws), MULTIAPPEND_BATCH if multi else 1):
        part = raws[start : start + MULTIAPPEND_BATCH] if multi else raws[start : start + 1]
        if len(part) > 1:
            client.multiappend(folder, [{"msg": raw, "flags": (b"\\Seen",)} for raw in part])
        else:
            client.append(folder, part[0], flags=(b"\\Seen",))
        yield len(part)


def keep_copy(
    settings: imap.ImapSettings, password: str, msg: EmailMessage | bytes, folder: str | None = None
) -> bool:
    """Log in, append the copy, log out; never raises (the message is sent either way)."""
    return keep_copies(settings, password, [msg], folder) == 1


class _Keeper:
    """One IMAP login held for many copies: the Sent folder found once, and which Message-IDs
    it holds asked once (a search per message made 2,000 acknowledgements 2,000 searches of a
    growing folder); what is appended here is added to what it holds."""

    def __init__(self, settings: imap.ImapSettings, password: str, folder: str | None) -> None:
        self.session = imap.connect(settings, password)
        try:
            with self.session._guard("to save a copy in Sent"):
                client = self.session._client
                self.target = folder or find_sent_folder(client)
                if folder and not client.folder_exists(folder):
                    client.create_folder(folder)
                self.there = _ids_there(client, self.target, None)
        except BaseException:
            self.close()
            raise

    def keep(self, messages: list[EmailMessage | bytes]) -> Iterator[int]:
        """Append those not there yet; yields how many each command put in."""
        with self.session._guard("to save a copy in Sent"):
            todo: list[bytes] = []
            for raw, message_id in (_raw_and_id(m) for m in messages):
                if message_id and message_id in self.there:
                    continue
                todo.append(raw)
                self.there.add(message_id)
            yield from _append_all(self.session._client, self.target, todo)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.session.logout()


def keep_copies(
    settings: imap.ImapSettings, password: str, messages: list[EmailMessage | bytes], folder: str | None = None
) -> int:
    """The copies of many sent messages over one IMAP login (an outbox drain of 2,000
    acknowledgements must not log in 2,000 times); how many were appended. Never raises."""
    if not messages:
        return 0
    done = 0
    keeper: _Keeper | None = None
    try:
        if len(messages) == 1:
            with imap.connect(settings, password) as session, session._guard("to save a copy in Sent"):
                return int(append_copy(session._client, messages[0], folder))
        keeper = _Keeper(settings, password, folder)
        for appended in keeper.keep(messages):
            done += appended
    except ReglamentError as error:
        log.warning("%d of %d copies were not saved in Sent: %s", len(messages) - done, len(messages), error)
    except Exception:  # a copy must never turn a sent message into a failed one
        log.exception("%d of %d copies were not saved in Sent", len(messages) - done, len(messages))
    finally:
        if keeper is not None:
            keeper.close()
    return done


class SentCopies:
    """Copies waiting to be appended: one per message a server accepted. A drain's copies go
    in while it is still sending — every ``KEEP_EVERY`` of them, over one IMAP login held for
    the drain, by a thread of their own (appending is the IMAP server's work, sending the SMTP
    server's: the two overlap) — and the rest when the SMTP connection closes. A message sent
    alone (``smtp.send``) is flushed at once. Nothing here raises: the message went out
    whatever happens to its copy; a failed copy is logged."""

    KEEP_EVERY = 200

    def __init__(self, settings: imap.ImapSettings, password: Callable[[], str], folder: str | None) -> None:
        self._settings, self._password, self._folder = settings, password, folder
        self._waiting: list[EmailMessage | bytes] = []
        self._lock = threading.Lock()
        self._keeper: _Keeper | None = None
        self._keeping: threading.Thread | None = None
        self._kept = 0

    def __call__(self, msg: EmailMessage | bytes) -> None:
        with self._lock:
            self._waiting.append(msg)
            if len(self._waiting) < self.KEEP_EVERY or (self._keeping is not None and self._keeping.is_alive()):
                return
            batch, self._waiting = self._waiting, []
            self._keeping = threading.Thread(target=self._keep, args=(batch,), name="sent-copies", daemon=True)
            self._keeping.start()

    def _keep(self, batch: list[EmailMessage | bytes]) -> None:
        done = 0
        try:
            if self._keeper is None:
                self._keeper = _Keeper(self._settings, self._password(), self._folder)
            for appended in self._keeper.keep(batch):
                done += appended
        except ReglamentError as error:
            log.warning("%d of %d copies were not saved in Sent: %s", len(batch) - done, len(batch), error)
            self._let_go()
        except Exception:  # a copy must never turn a sent message into a failed one
            log.exception("%d of %d copies were not saved in Sent", len(batch) - done, len(batch))
            self._let_go()
        with self._lock:
            self._kept += done

    def _let_go(self) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def flush(self) -> int:
        """Append what waits, wait for the copies under way, log out; how many were appended
        since the last flush."""
        if self._keeping is not None:
            self._keeping.join()
            self._keeping = None
        with self._lock:
            batch, self._waiting = self._waiting, []
        if len(batch) == 1 and self._keeper is None:
            try:
                password = self._password()
            except ReglamentError as error:
                log.warning("a copy was not saved in Sent: %s", error)
            else:
                self._kept += keep_copies(self._settings, password, batch, self._folder)
        elif batch:
            self._keep(batch)
        self._let_go()
        with self._lock:
            kept, self._kept = self._kept, 0
        return kept
