"""Raw RFC 5322 bytes → :class:`ParsedMessage`: everything intake needs, nothing it must not see.

Division of labour, chosen by measurement (tests/bench/bench_parse.py):

* **MIME structure and transfer decoding** come from ``fast-mail-parser`` (Rust ``mailparse``):
  about 25x faster than the standard library on realistic mail, which is what lets ingest keep up
  with mbsync.  It is checked against hostile mail in tests/unit/test_mail_hostile.py.  Whenever
  it raises, cannot decode a part (broken base64), or yields a multipart with no parts (it could
  not find the boundary, or the nesting passed its silent limit of 10 levels) — content it would
  drop — the standard library's lenient ``email`` parser (``policy.compat32``) re-reads that
  message.  Above 16 MB that re-read would cost ~8x the message in memory, so there an
  undecodable part is kept empty (noted in ``problems``) and an unreadable structure is
  quarantined.  Both readers feed one neutral tree, so the rules below apply to either, and the
  tests hold them to the same results.
* **Top-level headers** are read with the standard library's header parser from the header block
  only (cheap), so that 8-bit header bytes stay recoverable and every decoding decision — RFC 2047
  words, undeclared KOI8-R/windows-1251 — is made here, once, the same way for every message.
* **Charsets of text parts** are decided here too: the declared charset is trusted unless the
  bytes contradict it (not decodable, valid UTF-8 under a legacy label, or Cyrillic that came out
  as Latin-1 or in the wrong case pattern); then ``charset-normalizer`` decides.

Nothing here raises except :class:`MessageParseError`; every returned string is free of NULs and
lone surrogates, so it can go straight into SQLite or PostgreSQL.

The rooms: ``mime_tree`` builds the tree from either reader, ``headers`` reads the top-level
headers, ``charsets`` decodes text; this module chooses the reader and assembles the body text,
the HTML and the attachments into a :class:`ParsedMessage`.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.parser
import email.policy
import hashlib
import html as html_module
import mimetypes
from dataclasses import dataclass, field
from datetime import datetime

import fast_mail_parser

from desktop.errors import ReglamentError
from desktop.mail.charsets import clean, decode_header_text, decode_text, repair_latin1
from desktop.mail.header_block import bound_part_headers, repair_header_block
from desktop.mail.headers import (
    LOOP_HEADERS,
    Address,
    first_value,
    parse_addresses,
    parse_date,
    raw_headers,
    reference_ids,
    requester,
    single_msgid,
)
from desktop.mail.identity import identity_from
from desktop.mail.mime_tree import MAX_DEPTH, FastReader, Node, from_stdlib
from desktop.mail.sanitize import html_to_text, safe_filename, sanitize_html


class MessageParseError(ReglamentError):
    """The bytes are not a mail message we can read; the caller keeps them raw in quarantine."""


@dataclass(slots=True)
class Attachment:
    """An attachment or an inline part (an image the HTML shows via ``cid:``)."""

    filename: str  # already safe to use as a file name (sanitize.safe_filename)
    original_filename: str | None  # as the sender named it, decoded; None if unnamed
    content_type: str  # lower-case "type/subtype"
    content_id: str | None  # without angle brackets, as ``cid:`` URLs reference it
    inline: bool
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True)
class ParsedMessage:
    """What one message says, decoded and made safe; see the module docstring for the guarantees."""

    message_id: str | None  # "<id@host>" or None when missing/empty
    in_reply_to: str | None
    references: list[str]
    subject: str
    from_addr: str  # lower-cased addr-spec, "" when missing
    from_name: str
    to: list[Address]
    cc: list[Address]
    reply_to: list[Address]
    date: datetime | None  # the sender's Date header, aware; None when missing or broken
    text: str  # plain text: the text/plain body, else text extracted from the HTML
    html: str | None  # sanitized HTML body, None when the message has none
    attachments: list[Attachment]
    loop_headers: dict[str, str]  # lower-case name → value, only headers loops.py reads
    raw_size: int
    content_hash: str  # sha256 hex of the raw bytes: dedup across UIDVALIDITY changes
    identity: str | None  # the same message seen again, however it came back (desktop.mail.identity)
    problems: list[str] = field(default_factory=list)  # repairs made, for the audit trail
    #: Of ``problems``, what the agent should know changed from the mail as sent: header lines cut,
    #: dropped or joined, the sender taken from elsewhere (shown in the ticket's history).
    repairs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Segment:
    """One stretch of the body in reading order, as plain text and/or as (unsanitized) HTML."""

    plain: str | None
    html: str | None


@dataclass(slots=True)
class _Collected:
    segments: list[_Segment] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def as_text(self) -> str:
        """Every segment in order, HTML-only ones as their text: nothing the client wrote is left
        out (an HTML part and a plain part side by side in multipart/mixed are both the body)."""
        out = (seg.plain if seg.plain is not None else html_to_text(seg.html or "")
               for seg in self.segments)  # fmt: skip
        return "\n\n".join(t.strip("\n") for t in out if t.strip())

    def has_html(self) -> bool:
        return any(seg.html is not None for seg in self.segments)

    def as_html(self) -> str:
        """Every segment in order, plain-only ones escaped into HTML (for the thread view)."""
        out = (seg.html if seg.html is not None else _plain_html(seg.plain or "")
               for seg in self.segments)  # fmt: skip
        return "\n".join(h for h in out if h.strip())


def _plain_html(text: str) -> str:
    text = text.strip("\n")
    if not text.strip():
        return ""
    return "<div>" + "<br>".join(html_module.escape(line) for line in text.split("\n")) + "</div>"


class _Assembler:
    """Walks the neutral tree and sorts parts into body segments and attachments."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.unnamed = 0

    def collect(self, node: Node, out: _Collected) -> None:
        if node.children:
            if node.content_type == "multipart/alternative":
                self._alternative(node, out)
            else:
                for child in node.children:
                    self.collect(child, out)
            return
        ctype = node.content_type
        if ctype.startswith("multipart/"):
            if node.content is None:
                self.problems.append(f"parts nested deeper than {MAX_DEPTH} levels were skipped")
                return
            ctype = "text/plain"  # a multipart whose boundary never came: its body is text
        is_body = (
            ctype in ("text/plain", "text/html")
            and node.disposition != "attachment"
            and not node.filename
        )
        if is_body:
            text, codec, overridden = decode_text(node.content or b"", node.charset)
            if overridden and node.charset:
                self.problems.append(f"{ctype}: declared charset {node.charset}, read as {codec}")
            text = clean(text.replace("\r\n", "\n"))
            out.segments.append(_Segment(text, None) if ctype == "text/plain" else _Segment(None, text))
            return
        out.attachments.append(self._attachment(node, ctype))

    def _alternative(self, node: Node, out: _Collected) -> None:
        """Plain text from the first alternative that has some, HTML from the last with any."""
        branches: list[_Collected] = []
        for child in node.children:
            branch = _Collected()
            self.collect(child, branch)
            branches.append(branch)
        plain = next((b for b in branches
                      if any(s.plain is not None and s.plain.strip() for s in b.segments)), None)  # fmt: skip
        rich = next((b for b in reversed(branches) if b.has_html()), None)
        if plain is not None or rich is not None:
            out.segments.append(_Segment(plain.as_text() if plain is not None else None,
                                         rich.as_html() if rich is not None else None))  # fmt: skip
        for branch in branches:
            out.attachments.extend(branch.attachments)

    def _attachment(self, node: Node, ctype: str) -> Attachment:
        original = clean(repair_latin1(node.filename)) if node.filename else None
        if original:
            name = safe_filename(original)
        else:
            self.unnamed += 1
            ext = {
                "message/rfc822": ".eml", "message/delivery-status": ".txt", "text/plain": ".txt",
                "image/jpeg": ".jpg",
            }.get(ctype) or mimetypes.guess_extension(ctype, strict=False) or ".bin"  # fmt: skip
            stem = "image" if ctype.startswith("image/") else "attachment"
            name = safe_filename(f"{stem}-{self.unnamed}{ext}")
        inline = node.disposition == "inline" or (
            node.disposition is None and node.content_id is not None
        )
        return Attachment(name, original or None, ctype, node.content_id, inline,
                          node.content or b"")  # fmt: skip


# Above this size the lenient standard reader is not worth its memory (about 8x the message).
_STDLIB_MAX_BYTES = 16 * 1024 * 1024


def _tree(raw: bytes, problems: list[str], fast: bool) -> Node:
    """The MIME tree from the fast parser, or from the standard library when it gives up."""
    if fast:
        reader = FastReader()
        try:
            root = reader.node(fast_mail_parser.parse_email_tree(raw, mode="lazy"))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a Rust panic surfaces as a BaseException (pyo3)
            reason = f"{type(exc).__name__}: {exc}"
        else:
            if not reader.broken:
                return root
            if len(raw) > _STDLIB_MAX_BYTES:
                problems.extend(f"part could not be decoded, kept empty ({b})"[:300]
                                for b in reader.broken)  # fmt: skip
                return root
            reason = "; ".join(reader.broken)
        problems.append(f"structure read by the standard parser ({reason})"[:300])
        if len(raw) > _STDLIB_MAX_BYTES:
            raise MessageParseError(
                "the message is too large to read leniently ({reason})", reason=reason[:240]
            )
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    return from_stdlib(message)


def parse_message(raw: bytes, *, fast: bool = True) -> ParsedMessage:
    """Parse one message. Raises only :class:`MessageParseError` (quarantine it, raw).

    ``fast=False`` reads the structure with the standard library only — for re-reading a
    quarantined message, and for tests that hold both readers to the same results.
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise MessageParseError("a message must be bytes, not {kind}", kind=type(raw).__name__)
    raw = bytes(raw)  # the same object when it already is bytes
    if not raw or raw.isspace():  # (strip() would copy a 30 MB message just to look)
        raise MessageParseError("the message is empty")
    try:
        return _parse(raw, fast)
    except MessageParseError:
        raise
    except RecursionError as exc:
        raise MessageParseError("the message is nested too deeply to read") from exc
    except MemoryError as exc:
        raise MessageParseError("the message is too large to read in memory") from exc
    except Exception as exc:
        raise MessageParseError("the message cannot be read: {kind}: {exc}", kind=type(exc).__name__, exc=exc) from exc


def _parse(raw: bytes, fast: bool) -> ParsedMessage:
    content_hash, size = hashlib.sha256(raw).hexdigest(), len(raw)  # of the bytes as they came
    raw, problems = repair_header_block(raw)
    raw, cut = bound_part_headers(raw)
    problems.extend(cut)
    repairs = list(problems)
    headers = raw_headers(raw)
    root = _tree(raw, problems, fast)
    collected = _Collected()
    _Assembler(problems).collect(root, collected)

    html = None
    if collected.has_html():
        html = sanitize_html(collected.as_html()).strip() or None
    text = collected.as_text()

    date = parse_date(first_value(headers, "date"))
    sender, note = requester(headers)
    if note:
        problems.append(note)
        repairs.append(note)
    loop_headers = {
        name: decode_header_text(" ".join(headers[name]) if name != "from" else headers[name][0])
        for name in LOOP_HEADERS
        if name in headers
    }
    if "return-path" in headers:  # keep "<>" literally: an empty value would be ambiguous
        loop_headers["return-path"] = clean(headers["return-path"][0].strip())
    return ParsedMessage(
        message_id=single_msgid(first_value(headers, "message-id")),
        in_reply_to=single_msgid(first_value(headers, "in-reply-to")),
        references=reference_ids(" ".join(headers.get("references", []))),
        subject=decode_header_text(first_value(headers, "subject")),
        from_addr=sender.addr if sender else "",
        from_name=sender.name if sender else "",
        to=parse_addresses(headers.get("to", [])),
        cc=parse_addresses(headers.get("cc", [])),
        reply_to=parse_addresses(headers.get("reply-to", [])),
        date=date,
        text=text,
        html=html,
        attachments=collected.attachments,
        loop_headers=loop_headers,
        raw_size=size,
        content_hash=content_hash,
        identity=identity_from(raw, headers, date),
        problems=problems,
        repairs=repairs,
    )
