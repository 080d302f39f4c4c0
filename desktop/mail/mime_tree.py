"""The MIME structure of a message as one neutral tree, from whichever parser read it.

``fast-mail-parser`` (Rust) reads the structure about 25x faster than the standard library;
when it cannot decode a part or loses one, the lenient standard ``email`` parser re-reads the
message. Both feed the same :class:`Node` tree so the body and attachment rules in
:mod:`desktop.mail.parse` apply to either, and the tests hold them to the same results. Apart
because each reader's quirks (RFC 2231 name segments, truncated base64, nesting limits) are
handled here and nowhere else.
"""

from __future__ import annotations

import base64
import email
import email.errors
import email.header
import email.parser
import email.policy
import re
from dataclasses import dataclass
from email.message import Message
from functools import lru_cache

import fast_mail_parser

from desktop.mail.charsets import decode_header_text, has_surrogates, unescape_8bit


@dataclass(slots=True)
class Node:
    """One MIME part, whichever parser read it."""

    content_type: str
    charset: str | None
    disposition: str | None
    filename: str | None
    content_id: str | None
    content: bytes | None
    children: list[Node]


class _NeedsFallback(Exception):
    """The fast parser produced a tree that would lose content; use the stdlib instead."""


@lru_cache(maxsize=512)
def _charset_param(content_type_header: str) -> str | None:
    msg = Message()
    msg["Content-Type"] = content_type_header
    charset = msg.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 encoded parameter
        charset = charset[2]
    return str(charset) if charset else None


def _strip_cid(value: str | None) -> str | None:
    if not value:
        return None
    cid = value.strip().strip("<>").strip()
    return cid or None


MAX_DEPTH = 40


class FastReader:
    """Turns fast-mail-parser's lazy tree into ``Node``s, noting parts it cannot decode.

    Lazy mode matters: a part with broken base64 fails on its own instead of failing the whole
    message, so the caller can choose between re-reading everything leniently (small messages)
    and keeping the rest (huge ones, where the lenient reader would need ~8x the message size).
    """

    def __init__(self) -> None:
        self.broken: list[str] = []

    def node(self, part: fast_mail_parser.PyLazyMimePart, depth: int = 0) -> Node:
        ctype = (part.content_type or "text/plain").lower()
        if ctype.startswith("multipart/") and not part.children:
            raise _NeedsFallback("multipart without parts")
        charset = None
        if ctype.startswith("text/"):
            for name, values in part.headers.items():
                if name.lower() == "content-type" and values:
                    charset = _charset_param(values[0])
                    break
        filename: str | None
        children: list[Node] = []
        if part.is_message:
            inner = part.children[0] if part.children else None
            subject = ""
            if inner is not None:
                subject = next((v[0] for k, v in inner.headers.items() if k.lower() == "subject"), "")
            filename = part.filename or (f"{subject[:80]}.eml" if subject else "message.eml")
        else:
            filename = _fast_filename(part) if part.filename else None
            if depth < MAX_DEPTH:
                children = [self.node(c, depth + 1) for c in part.children]
        try:
            content = part.content
        except fast_mail_parser.DecodeError as exc:
            self.broken.append(f"{ctype} {filename or ''}: {exc}".strip())
            content = b""
        disposition = (part.disposition or "").strip().lower() or None
        return Node(ctype, charset, disposition, filename, _strip_cid(part.content_id), content,
                     children)  # fmt: skip


def _fast_filename(part: fast_mail_parser.PyLazyMimePart) -> str | None:
    """Re-read the name with the standard library from the part's own header values.

    fast-mail-parser decodes each RFC 2231 continuation segment on its own, so a UTF-8 character
    split across ``filename*0*`` and ``filename*1*`` (legal, and what Thunderbird does with long
    Russian names) comes out as U+FFFD; ``email`` joins the segments before decoding.
    """
    holder = Message()
    for name, values in part.headers.items():
        if name.lower() in ("content-disposition", "content-type") and values:
            holder[name] = values[0]
    return _stdlib_filename(holder) or part.filename


def _stdlib_filename(part: Message) -> str | None:
    holder = part
    raw = [(k, v) for k, v in part.raw_items() if k.lower() in ("content-disposition", "content-type")]
    if any(has_surrogates(str(v)) for _, v in raw):
        # compat32 would turn raw 8-bit bytes into U+FFFD before we see them; read them the way
        # fast-mail-parser does (UTF-8, else Latin-1) so repair_latin1 treats both alike
        holder = Message()
        for key, value in raw:
            holder[key] = unescape_8bit(str(value))
    try:
        name = holder.get_filename()
    except (ValueError, LookupError, UnicodeError, IndexError):
        return None
    if not name:
        return None
    return decode_header_text(str(name)) or None


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")


_CRLF = email.policy.compat32.clone(linesep="\r\n")  # mail on the wire and in .eml files


def _stdlib_bytes(part: Message) -> bytes:
    """Bytes of a ``message/*`` part, which compat32 keeps as parsed sub-messages."""
    payload = part.get_payload()
    chunks = payload if isinstance(payload, list) else [payload]
    out: list[bytes] = []
    for chunk in chunks:
        if isinstance(chunk, Message):
            try:
                out.append(chunk.as_bytes(policy=_CRLF))
            except (ValueError, LookupError, UnicodeError, TypeError):
                out.append(chunk.as_string().encode("utf-8", "surrogateescape"))
        elif isinstance(chunk, str):
            out.append(chunk.encode("utf-8", "surrogateescape"))
    return b"\r\n".join(out)


def from_stdlib(part: Message, depth: int = 0) -> Node:
    ctype = part.get_content_type().lower()
    disposition = part.get_content_disposition()
    filename = _stdlib_filename(part)
    cid = _strip_cid(str(part.get("Content-ID", "") or ""))
    charset = None
    if ctype.startswith("text/") or not part.is_multipart():
        try:
            charset = part.get_content_charset()
        except (ValueError, LookupError, UnicodeError):
            charset = None
    if ctype.startswith("message/"):
        if filename is None and ctype == "message/rfc822":
            payload = part.get_payload()
            first = payload[0] if isinstance(payload, list) and payload else None
            inner = first if isinstance(first, Message) else None
            subject = decode_header_text(str(inner.get("Subject", ""))) if inner else ""
            filename = f"{subject[:80]}.eml" if subject else "message.eml"
        return Node(ctype, charset, disposition, filename, cid, _stdlib_bytes(part), [])
    if part.is_multipart():
        if depth >= MAX_DEPTH:  # content None marks the cut for the assembler's problem list
            return Node(ctype, charset, disposition, filename, cid, None, [])
        subparts = part.get_payload()
        children = [from_stdlib(p, depth + 1) for p in subparts if isinstance(p, Message)]
        return Node(ctype, charset, disposition, filename, cid, b"", children)
    payload = part.get_payload(decode=True)
    content = payload if isinstance(payload, bytes) else b""
    if any(isinstance(d, email.errors.InvalidBase64LengthDefect) for d in part.defects):
        content = _truncated_base64(content)
    return Node(ctype, charset, disposition, filename, cid, content, [])


def _truncated_base64(encoded: bytes) -> bytes:
    """Decode what there is of a base64 body cut short (compat32 gives up and returns it raw)."""
    alphabet_only = _NOT_BASE64.sub(b"", encoded)
    usable = len(alphabet_only) - len(alphabet_only) % 4
    try:
        return base64.b64decode(alphabet_only[:usable])
    except ValueError:
        return encoded
