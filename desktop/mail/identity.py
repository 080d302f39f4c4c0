"""Which stored message a fetched one *is* (R-MAIL-11): its identity beyond IMAP's numbering.

IMAP names a message by (account, UIDVALIDITY, UID), and that name is lost whenever a mailbox is
restored from a backup, re-uploaded, or copied to another folder. A careful mail client then
recognises the message by what its author wrote: the same Message-ID with the same From, Date,
Subject and body. Transport and delivery headers (Received, Return-Path, X-… added by servers,
filters and backup tools) are not the message and are left out, so a restored copy with a header
of its own is still the same message; a *different* message that reuses a Message-ID (broken
mailers do) differs in its content and keeps its own identity.

A message without a Message-ID has no identity (see :func:`message_identity`). Everything is
taken from the raw bytes as the author's mail program wrote them — header values
with their folding undone and whitespace runs collapsed, the body with its line ends and its
end normalised — not from decoded text, so an identity does not change when the parser learns
to decode something better, and a message stored before identities existed can be recognised by
re-reading its raw file (see ``ingest_identity``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from desktop.mail.header_block import header_end, repair_header_block
from desktop.mail.headers import first_value, parse_date, raw_headers, single_msgid


def _collapsed(values: list[str]) -> bytes:
    text = "\n".join(" ".join(v.split()) for v in values)
    return text.encode("utf-8", "surrogateescape")


_CHUNK = 1 << 20


def body_digest(raw: bytes, start: int) -> bytes:
    """SHA-256 of the body from ``start``, line ends (CRLF, LF, lone CR) and the blank end normalised.

    A megabyte at a time, cut after a line end, so a 30 MB message costs no copy of itself.
    """
    digest = hashlib.sha256()
    pending = b""  # normalised blanks not yet known to be followed by more text
    pos, size = start, len(raw)
    while pos < size:
        stop = raw.find(b"\n", pos + _CHUNK) if pos + _CHUNK < size else -1
        stop = size if stop < 0 else stop + 1
        piece = raw[pos:stop]
        if b"\r" in piece:  # bytes.replace: ~50x a regular expression
            piece = piece.replace(b"\r\n", b"\n")
            if b"\r" in piece:
                piece = piece.replace(b"\r", b"\n")
        text = piece.rstrip(b" \t\r\n")
        if text:
            digest.update(pending)
            digest.update(text)
            pending = piece[len(text) :]
        else:
            pending += piece
        pos = stop
    return digest.digest()


def identity_of_raw(raw: bytes) -> str | None:
    """The identity of a stored raw message, read the way ``parse_message`` reads it."""
    repaired, _ = repair_header_block(raw)
    return message_identity(repaired)


def message_identity(raw: bytes, headers: dict[str, list[str]] | None = None) -> str | None:
    """The hex identity of a raw message (its header block already repaired, see
    ``header_block``); ``headers`` when the caller already has them.

    Message-ID (as read for threading), every From value, the Date (as an instant, when it
    parses), the Subject, and the body digest — each as the author's program wrote it.

    None without a Message-ID: then nothing but the IMAP numbering and the raw bytes can say
    two messages are one, and a wrong "seen again" would lose a client's mail.
    """
    if headers is None:
        headers = raw_headers(raw)
    return identity_from(raw, headers, parse_date(first_value(headers, "date")))


def identity_from(raw: bytes, headers: dict[str, list[str]], date: datetime | None) -> str | None:
    """:func:`message_identity` with the Date already parsed (the parser has it anyway)."""
    message_id = single_msgid(first_value(headers, "message-id"))
    if message_id is None:
        return None
    digest = hashlib.sha256()
    for part in (
        message_id.encode("utf-8", "surrogateescape"),
        _collapsed(headers.get("from", [])),
        date.astimezone(UTC).isoformat().encode() if date else _collapsed(headers.get("date", [])),
        _collapsed(headers.get("subject", [])),
        body_digest(raw, header_end(raw)),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()
