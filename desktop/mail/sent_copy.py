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


def _ids_there(client: IMAPClient, folder: str, wanted: set[str]) -> set[str]:
    """Which of ``wanted`` (Message-IDs) the folder holds: its recent messages' Message-ID
    headers fetched in one command (a copy is made within minutes of its sending; a week back
    covers an outbox that waited out a long outage)."""
    if not wanted:
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
        return found & wanted
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


def keep_copies(
    settings: imap.ImapSettings, password: str, messages: list[EmailMessage | bytes], folder: str | None = None
) -> int:
    """The copies of many sent messages over one IMAP login (an outbox drain of 2,000
    acknowledgements must not log in 2,000 times); how many were appended. Never raises."""
    if not messages:
        return 0
    done = 0
    try:
        with imap.connect(settings, password) as session, session._guard("to save a copy in Sent"):
            client = session._client
            if len(messages) == 1:
                return int(append_copy(client, messages[0], folder))
            target = folder or find_sent_folder(client)
            if folder and not client.folder_exists(folder):
                client.create_folder(folder)
            # Which of them are there already, asked once for the whole batch (a search per
            # message made 2,000 acknowledgements 2,000 searches of a growing folder).
            batch = [_raw_and_id(m) for m in messages]
            there = _ids_there(client, target, {mid for _raw, mid in batch if mid})
            todo: list[bytes] = []
            for raw, message_id in batch:
                if message_id and message_id in there:
                    continue
                todo.append(raw)
                there.add(message_id)
            for appended in _append_all(client, target, todo):
                done += appended
    except ReglamentError as error:
        log.warning("%d of %d copies were not saved in Sent: %s", len(messages) - done, len(messages), error)
    except Exception:  # a copy must never turn a sent message into a failed one
        log.exception("%d of %d copies were not saved in Sent", len(messages) - done, len(messages))
    return done


class SentCopies:
    """Copies waiting to be appended: one per message a server accepted, kept until the SMTP
    connection they went out on closes, then appended over one IMAP login. A message sent
    alone (``smtp.send``) is flushed at once."""

    def __init__(self, settings: imap.ImapSettings, password: Callable[[], str], folder: str | None) -> None:
        self._settings, self._password, self._folder = settings, password, folder
        self._waiting: list[EmailMessage | bytes] = []

    def __call__(self, msg: EmailMessage | bytes) -> None:
        self._waiting.append(msg)

    def flush(self) -> int:
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return 0
        try:
            password = self._password()
        except ReglamentError as error:
            log.warning("%d copies were not saved in Sent: %s", len(waiting), error)
            return 0
        return keep_copies(self._settings, password, waiting, self._folder)
