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
"""

from __future__ import annotations

import base64
import codecs
import email
import email.errors
import email.header
import email.parser
import email.policy
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache

import charset_normalizer
import fast_mail_parser

from desktop.errors import ReglamentError
from desktop.mail.sanitize import html_to_text, safe_filename, sanitize_html


class MessageParseError(ReglamentError):
    """The bytes are not a mail message we can read; the caller keeps them raw in quarantine."""


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox. ``addr`` is lower-cased: addresses are compared, never displayed raw."""

    name: str
    addr: str


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
    problems: list[str] = field(default_factory=list)  # repairs made, for the audit trail


# --- charsets -----------------------------------------------------------------------------------

# Labels seen in the wild that Python's codec registry does not know.
_CHARSET_ALIASES = {
    "win-1251": "cp1251", "cp-1251": "cp1251", "x-cp1251": "cp1251", "windows1251": "cp1251",
    "win1251": "cp1251", "x-win1251": "cp1251", "koi8r": "koi8_r", "koi8": "koi8_r",
    "x-koi8-r": "koi8_r", "koi8u": "koi8_u", "x-mac-cyrillic": "mac_cyrillic",
    "unicode-1-1-utf-8": "utf-8", "utf8mb4": "utf-8", "x-utf8": "utf-8", "utf-8-sig": "utf-8",
    "ibm-866": "cp866", "x-ibm866": "cp866", "iso-8859-8-i": "iso8859_8",
    "windows-874": "cp874", "x-gbk": "gbk", "cp-1252": "cp1252", "win-1252": "cp1252",
}  # fmt: skip
# Labels that mean "no idea": treated like a missing charset.
_UNKNOWN_CHARSETS = frozenset(
    {"unknown-8bit", "x-unknown", "unknown", "x-user-defined", "default", "charset", "none", ""}
)
# Codecs that are not text charsets, or that would interpret the text (escape codecs).
_REFUSED_CODECS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "mbcs", "oem"}
)
_LATIN_FAMILY = frozenset({"ascii", "iso8859-1", "cp1252", "iso8859-15", "iso8859-2", "cp1250"})
_CYRILLIC_FAMILY = frozenset(
    {"cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic"}
)
# What a Russian support mailbox receives; detection among these is fast and reliable even on
# short strings, where unrestricted detection guesses exotic encodings.
_CANDIDATES = ["utf_8", "cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic", "cp1252"]
_DETECT_SAMPLE = 64 * 1024

_HIGH_LATIN = re.compile(r"[\u00c0-\u00ff]")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_UPPER = re.compile(r"[\u0400-\u042f]")
_UNSAFE_CHARS = re.compile(r"[\x00\ud800-\udfff]")


@lru_cache(maxsize=256)
def _codec(label: str | None) -> str | None:
    """Python codec name for a MIME charset label, or None for missing/unknown/refused labels."""
    if not label:
        return None
    name = label.strip().strip("\"'").split("*", 1)[0].lower()
    if name in _UNKNOWN_CHARSETS:
        return None
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL inside the label
        return None
    if info.name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _looks_misdecoded(text: str, codec: str) -> bool:
    """Did a legacy single-byte label decode bytes that were really something else?

    Russian read as Latin-1 is almost all letters in À–ÿ; KOI8-R read as windows-1251 (and the
    reverse) turns lower case into upper case.  Genuine text rarely does either.
    """
    if codec in _LATIN_FAMILY:
        high = len(_HIGH_LATIN.findall(text))
        return high >= 6 and high * 2 > len(_LETTER.findall(text))
    if codec in _CYRILLIC_FAMILY:
        cyrillic = len(_CYRILLIC.findall(text))
        return cyrillic >= 12 and len(_CYRILLIC_UPPER.findall(text)) * 10 > cyrillic * 6
    return False


def _detect(data: bytes) -> tuple[str, str] | None:
    """Let charset-normalizer decide; first among likely charsets, then among all."""
    sample = data[:_DETECT_SAMPLE]
    best = charset_normalizer.from_bytes(sample, cp_isolation=_CANDIDATES).best()
    if best is None and len(sample) >= 32:
        best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        return None
    codec = _codec(best.encoding) or "utf-8"
    return data.decode(codec, "replace"), codec


def decode_text(data: bytes, declared: str | None) -> tuple[str, str, bool]:
    """Decode a text body: ``(text, codec used, whether the declared label was overridden)``.

    Never raises.  The declared charset wins unless the bytes contradict it — see module doc.
    """
    if data.isascii():
        codec = _codec(declared)
        if codec in ("utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            try:
                return data.decode(codec), codec, False
            except UnicodeDecodeError:
                pass
        return data.decode("ascii"), "ascii", False
    codec = _codec(declared)
    if codec is None or codec in ("utf-8", "ascii"):
        try:
            return data.decode("utf-8"), "utf-8", codec == "ascii"
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                # a truncated message cut the last character in half: still UTF-8
                return data.decode("utf-8", "replace"), "utf-8", codec == "ascii"
        detected = _detect(data)
        if detected is not None:
            return detected[0], detected[1], True
        return data.decode("utf-8", "replace"), "utf-8", True
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        detected = _detect(data)
        if detected is not None:
            return detected[0], detected[1], True
        return data.decode(codec, "replace"), codec, False
    if codec in _LATIN_FAMILY or codec in _CYRILLIC_FAMILY:
        try:
            return data.decode("utf-8"), "utf-8", True  # valid UTF-8 is never accidental
        except UnicodeDecodeError:
            pass
        if _looks_misdecoded(text, codec):
            detected = _detect(data)
            if detected is not None and detected[1] != codec:
                return detected[0], detected[1], True
    return text, codec, False


def _decode_short(data: bytes, declared: str | None) -> str:
    """Decode a header fragment (an encoded word, or raw 8-bit header bytes)."""
    if data.isascii():
        return data.decode("ascii")
    codec = _codec(declared)
    if codec is not None:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is not None:
        return detected[0]
    return data.decode("cp1251", "replace")


def _clean(text: str) -> str:
    """No NULs (PostgreSQL refuses them) and no lone surrogates (UTF-8 cannot store them)."""
    if _UNSAFE_CHARS.search(text) is None:
        return text
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _unescape_8bit(value: str) -> str:
    """Raw header bytes (kept as surrogate escapes) as UTF-8 if they are, else Latin-1."""
    data = value.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def decode_header_text(value: str | None) -> str:
    """A header value as readable text: RFC 2047 words decoded (whitespace between adjacent
    words dropped, as the RFC says), raw 8-bit bytes decoded, folding undone."""
    if not value:
        return ""
    if not value.isascii() and _has_surrogates(value):
        value = _decode_short(value.encode("ascii", "surrogateescape"), None)
    if "=?" not in value:
        return _clean(" ".join(value.split()))
    try:
        parts = email.header.decode_header(value)
    except (email.errors.HeaderParseError, ValueError, LookupError, UnicodeError):
        return _clean(" ".join(value.split()))
    out: list[str] = []
    for data, charset in parts:
        if isinstance(data, str):
            out.append(data)
        elif charset is None:
            # decode_header hands back undecoded stretches as raw-unicode-escape bytes
            try:
                out.append(data.decode("raw-unicode-escape"))
            except UnicodeDecodeError:
                out.append(data.decode("latin-1"))
        else:
            out.append(_decode_short(data, charset))
    decoded = " ".join("".join(out).split())
    if not decoded:  # every word was broken: the raw text says more than nothing
        decoded = " ".join(value.split())
    return _clean(decoded)


def _repair_latin1(name: str) -> str:
    """Undo a parser's Latin-1 fallback for raw 8-bit names (``Ñ÷¸ò.pdf`` → ``Счёт.pdf``).

    Only when the string could be such a fallback (nothing above U+00FF) *and* the bytes then
    read as UTF-8, or the string is mostly À–ÿ letters as Cyrillic-as-Latin-1 always is.
    """
    if name.isascii() or any(ord(ch) > 0xFF for ch in name):
        return name
    raw = name.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_misdecoded(name, "iso8859-1") or (
        len(_HIGH_LATIN.findall(name)) * 2 > len(_LETTER.findall(name)) >= 2
    ):
        return _decode_short(raw, None)
    return name


# --- headers ------------------------------------------------------------------------------------

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MSGID = re.compile(r"<\s*([^<>\s]+?)\s*>")
_MAX_REFERENCES = 50
_MAX_ID = 900  # a Message-ID longer than this is garbage, and would bloat indexes
_LOOP_HEADERS = (
    "auto-submitted", "precedence", "list-id", "x-auto-response-suppress", "x-loop",
    "x-autoreply", "x-autorespond", "x-failed-recipients", "return-path", "content-type", "from",
)  # fmt: skip
_HEADER_PARSER = email.parser.BytesHeaderParser(policy=email.policy.compat32)


def _raw_headers(raw: bytes) -> dict[str, list[str]]:
    """Top-level headers, lower-case names, unfolded, still raw (8-bit as surrogate escapes)."""
    if raw[:1] in (b"\n", b"\r") and raw.lstrip(b"\r")[:1] == b"\n":
        return {}  # body without headers
    end = _HEADER_END.search(raw)
    block = raw[: end.end()] if end else raw
    msg = _HEADER_PARSER.parsebytes(block)
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        unfolded = str(value).replace("\r", "").replace("\n", "")
        headers.setdefault(name.strip().lower(), []).append(unfolded)
    return headers


def _first(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name)
    return values[0] if values else ""


def _msgids(value: str) -> list[str]:
    """Every ``<id>`` in a header; ids without brackets (broken mailers) are accepted too."""
    if not value:
        return []
    ids = [f"<{m}>" for m in _MSGID.findall(value)]
    if not ids:
        ids = [f"<{tok.strip('<>')}>" for tok in value.replace(",", " ").split() if "@" in tok]
    return [i for i in (_clean(i) for i in ids) if 2 < len(i) <= _MAX_ID]


def _single_msgid(value: str) -> str | None:
    if not value.strip():
        return None
    ids = _msgids(value)
    if ids:
        return ids[0]
    token = "".join(value.split()).strip("<>")
    return _clean(f"<{token}>") if token and len(token) <= _MAX_ID else None


def _references(value: str) -> list[str]:
    ids = list(dict.fromkeys(_msgids(value)))
    if len(ids) > _MAX_REFERENCES:  # keep the thread root and the most recent ancestors
        ids = ids[:1] + ids[-(_MAX_REFERENCES - 1) :]
    return ids


def _addresses(values: list[str]) -> list[Address]:
    if not values:
        return []
    try:
        pairs = getaddresses(values)
    except (ValueError, IndexError, TypeError):
        return []
    out: list[Address] = []
    for name, addr in pairs:
        addr = decode_header_text(addr).strip().lower()
        if not addr and not name:
            continue
        out.append(Address(name=decode_header_text(name).strip().strip('"'), addr=addr))
    return out


def _date(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


# --- MIME tree ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    """One MIME part, whichever parser read it."""

    content_type: str
    charset: str | None
    disposition: str | None
    filename: str | None
    content_id: str | None
    content: bytes | None
    children: list[_Node]


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


_MAX_DEPTH = 40


class _FastReader:
    """Turns fast-mail-parser's lazy tree into ``_Node``s, noting parts it cannot decode.

    Lazy mode matters: a part with broken base64 fails on its own instead of failing the whole
    message, so the caller can choose between re-reading everything leniently (small messages)
    and keeping the rest (huge ones, where the lenient reader would need ~8x the message size).
    """

    def __init__(self) -> None:
        self.broken: list[str] = []

    def node(self, part: fast_mail_parser.PyLazyMimePart, depth: int = 0) -> _Node:
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
        children: list[_Node] = []
        if part.is_message:
            inner = part.children[0] if part.children else None
            subject = ""
            if inner is not None:
                subject = next((v[0] for k, v in inner.headers.items() if k.lower() == "subject"), "")
            filename = part.filename or (f"{subject[:80]}.eml" if subject else "message.eml")
        else:
            filename = _fast_filename(part) if part.filename else None
            if depth < _MAX_DEPTH:
                children = [self.node(c, depth + 1) for c in part.children]
        try:
            content = part.content
        except fast_mail_parser.DecodeError as exc:
            self.broken.append(f"{ctype} {filename or ''}: {exc}".strip())
            content = b""
        disposition = (part.disposition or "").strip().lower() or None
        return _Node(ctype, charset, disposition, filename, _strip_cid(part.content_id), content,
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
    if any(_has_surrogates(str(v)) for _, v in raw):
        # compat32 would turn raw 8-bit bytes into U+FFFD before we see them; read them the way
        # fast-mail-parser does (UTF-8, else Latin-1) so _repair_latin1 treats both alike
        holder = Message()
        for key, value in raw:
            holder[key] = _unescape_8bit(str(value))
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


def _from_stdlib(part: Message, depth: int = 0) -> _Node:
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
        return _Node(ctype, charset, disposition, filename, cid, _stdlib_bytes(part), [])
    if part.is_multipart():
        if depth >= _MAX_DEPTH:  # content None marks the cut for the assembler's problem list
            return _Node(ctype, charset, disposition, filename, cid, None, [])
        subparts = part.get_payload()
        children = [_from_stdlib(p, depth + 1) for p in subparts if isinstance(p, Message)]
        return _Node(ctype, charset, disposition, filename, cid, b"", children)
    payload = part.get_payload(decode=True)
    content = payload if isinstance(payload, bytes) else b""
    if any(isinstance(d, email.errors.InvalidBase64LengthDefect) for d in part.defects):
        content = _truncated_base64(content)
    return _Node(ctype, charset, disposition, filename, cid, content, [])


def _truncated_base64(encoded: bytes) -> bytes:
    """Decode what there is of a base64 body cut short (compat32 gives up and returns it raw)."""
    alphabet_only = _NOT_BASE64.sub(b"", encoded)
    usable = len(alphabet_only) - len(alphabet_only) % 4
    try:
        return base64.b64decode(alphabet_only[:usable])
    except ValueError:
        return encoded


# --- assembling the message ---------------------------------------------------------------------


@dataclass(slots=True)
class _Collected:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


class _Assembler:
    """Walks the neutral tree and sorts parts into body text, HTML and attachments."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.unnamed = 0

    def collect(self, node: _Node, out: _Collected) -> None:
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
                self.problems.append(f"parts nested deeper than {_MAX_DEPTH} levels were skipped")
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
            text = _clean(text.replace("\r\n", "\n"))
            (out.plain if ctype == "text/plain" else out.html).append(text)
            return
        out.attachments.append(self._attachment(node, ctype))

    def _alternative(self, node: _Node, out: _Collected) -> None:
        """Take the plain text from the first alternative that has it, HTML from the last."""
        branches: list[_Collected] = []
        for child in node.children:
            branch = _Collected()
            self.collect(child, branch)
            branches.append(branch)
        plain = next((b for b in branches if any(p.strip() for p in b.plain)), None)
        rich = next((b for b in reversed(branches) if b.html), None)
        if plain is not None:
            out.plain.extend(plain.plain)
        if rich is not None:
            out.html.extend(rich.html)
        for branch in branches:
            out.attachments.extend(branch.attachments)

    def _attachment(self, node: _Node, ctype: str) -> Attachment:
        original = _clean(_repair_latin1(node.filename)) if node.filename else None
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


def _tree(raw: bytes, problems: list[str], fast: bool) -> _Node:
    """The MIME tree from the fast parser, or from the standard library when it gives up."""
    if fast:
        reader = _FastReader()
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
    return _from_stdlib(message)


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
    problems: list[str] = []
    headers = _raw_headers(raw)
    root = _tree(raw, problems, fast)
    collected = _Collected()
    _Assembler(problems).collect(root, collected)

    html = "\n".join(sanitize_html(h).strip() for h in collected.html).strip() or None
    text = "\n\n".join(p.strip("\n") for p in collected.plain if p.strip())
    if not text and collected.html:
        text = "\n\n".join(html_to_text(h) for h in collected.html)

    sender = _addresses(headers.get("from", []))
    loop_headers = {
        name: decode_header_text(" ".join(headers[name]) if name != "from" else headers[name][0])
        for name in _LOOP_HEADERS
        if name in headers
    }
    if "return-path" in headers:  # keep "<>" literally: an empty value would be ambiguous
        loop_headers["return-path"] = _clean(headers["return-path"][0].strip())
    return ParsedMessage(
        message_id=_single_msgid(_first(headers, "message-id")),
        in_reply_to=_single_msgid(_first(headers, "in-reply-to")),
        references=_references(" ".join(headers.get("references", []))),
        subject=decode_header_text(_first(headers, "subject")),
        from_addr=sender[0].addr if sender else "",
        from_name=sender[0].name if sender else "",
        to=_addresses(headers.get("to", [])),
        cc=_addresses(headers.get("cc", [])),
        reply_to=_addresses(headers.get("reply-to", [])),
        date=_date(_first(headers, "date")),
        text=text,
        html=html,
        attachments=collected.attachments,
        loop_headers=loop_headers,
        raw_size=len(raw),
        content_hash=hashlib.sha256(raw).hexdigest(),
        problems=problems,
    )
