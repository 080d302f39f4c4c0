"""The header block of a raw message, made readable before any parser sees it.

Two things in real mail make every parser go wrong, and both are fixed here, on the bytes, so the
header reader and the MIME reader (either one) see the same repaired message:

* **A malformed line inside the header block** — an unindented continuation, a stray line of
  text — ends the headers for ``email`` and for ``fast-mail-parser`` alike: Subject, From,
  Message-ID and Content-Type after it are lost and the rest becomes the body. When a proper
  header line follows such a line, the headers plainly go on: the line is joined to the header
  before it when that header is free text (Subject, Comments, X-…), and dropped otherwise (it
  would only spoil an address or a structured field). Lines after the last header line are left
  alone: there the body began without its blank line, and both parsers read it as the body.
* **Absurd header sizes.** RFC 5322 caps a line at 998 characters and no real header needs more
  than a few kilobytes once unfolded, but decoding RFC 2047 words is quadratic in a header's
  length in both parsers (a Subject of 200,000 encoded words took minutes). A field longer than
  :data:`FIELD_CAP` is cut (References keeps its first and its latest ids), and beyond
  :data:`BLOCK_CAP` only the fields intake reads are kept, a few of each name. Every cut is noted
  in ``problems`` for the audit trail.

Untouched messages come back as the very same ``bytes`` object: the checks are two scans of the
header block, linear in its size.
"""

from __future__ import annotations

import re

FIELD_CAP = 32 * 1024  # one header field, unfolded: far beyond any real one
BLOCK_CAP = 256 * 1024  # the whole block: a long Received/DKIM/ARC chain is ~20 KB
_KEPT_PER_NAME = 8

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_FIELD_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+[ \t]*:")
# A line that is neither a field, a continuation, nor the blank line ending the block.
_ODD_LINE = re.compile(rb"\n(?![ \t]|[\x21-\x39\x3b-\x7e]+[ \t]*:)[^\r\n]")
_LINE = re.compile(rb"[^\n]*\n|[^\n]+")

# Free text: a stray line may be the rest of its value.
_UNSTRUCTURED = frozenset({b"subject", b"comments", b"keywords", b"content-description", b"thread-topic"})

# What intake reads (sender, threading, loop protection, MIME structure): kept past BLOCK_CAP.
_ESSENTIAL = frozenset({
    b"from", b"sender", b"reply-to", b"to", b"cc", b"subject", b"date", b"message-id",
    b"in-reply-to", b"references", b"mime-version", b"content-type", b"content-transfer-encoding",
    b"content-disposition", b"content-id", b"auto-submitted", b"precedence", b"list-id",
    b"list-unsubscribe", b"x-auto-response-suppress", b"x-loop", b"x-autoreply", b"x-autorespond",
    b"x-autoresponder", b"x-autoreply-from", b"x-mail-autoreply", b"x-failed-recipients", b"return-path",
})  # fmt: skip


def header_end(raw: bytes) -> int:
    """Where the body starts: after the first blank line; 0 when the message starts with one
    (no headers at all), ``len(raw)`` when there is no blank line (headers only)."""
    if raw[:1] == b"\n" or raw[:2] == b"\r\n":
        return 0
    end = _BLANK_LINE.search(raw)
    return end.end() if end else len(raw)


def _name(field: list[bytes]) -> bytes:
    return field[0].split(b":", 1)[0].strip().lower()


def _cut(field: list[bytes], problems: list[str]) -> list[bytes]:
    size = sum(len(line) for line in field)
    if size <= FIELD_CAP:
        return field
    name = _name(field)
    joined = b"".join(field)
    end = b"\r\n" if joined.endswith(b"\r\n") else b"\n"
    if name in (b"references", b"in-reply-to"):
        first = joined.find(b">")
        head = joined[: first + 1] if 0 <= first < 2048 else joined[: joined.find(b":") + 1]
        tail = joined[-(FIELD_CAP - len(head)) :]
        start = tail.find(b"<")
        kept = head + end + b" " + (tail[start:] if start >= 0 else b"")
    else:
        kept = joined[:FIELD_CAP]
        space = max(kept.rfind(b" "), kept.rfind(b"\t"), kept.rfind(b"\n"))
        if space > FIELD_CAP // 2:  # end at a whole word (an encoded word never holds a blank)
            kept = kept[:space]
        kept = kept.rstrip(b"\r\n") + end
    label = name.decode("ascii", "replace")
    problems.append(f"header {label} was {size:,} bytes long; cut to {len(kept):,}")
    return [kept]


def repair_header_block(raw: bytes) -> tuple[bytes, list[str]]:
    """``raw`` with its header block repaired and bounded (see the module doc), and what was done."""
    end = header_end(raw)
    if end == 0:
        return raw, []
    block = raw[:end]
    if len(block) <= FIELD_CAP and _ODD_LINE.search(block) is None:
        return raw, []  # the everyday case: nothing to look at line by line
    problems: list[str] = []
    fields: list[list[bytes]] = []
    strays: list[bytes] = []
    prelude: list[bytes] = []  # an mbox "From " line before the fields
    lines = _LINE.findall(block)
    if end < len(raw) or block.endswith(b"\n"):
        while lines and lines[-1].strip(b"\r\n") == b"":
            lines.pop()  # the blank line: put back below
    for line in lines:
        if line[:1] in (b" ", b"\t") and fields:
            if strays:
                strays.append(line)  # continues a stray line: goes where that one goes
            else:
                fields[-1].append(line)
        elif _FIELD_LINE.match(line):
            if strays:
                if _name(fields[-1]) in _UNSTRUCTURED or _name(fields[-1]).startswith(b"x-"):
                    fields[-1].extend(b" " + s.lstrip(b" \t") for s in strays)
                    problems.append(f"a malformed header line was joined to {_name(fields[-1]).decode()}")
                else:
                    problems.append(f"{len(strays)} malformed header line(s) dropped")
                strays = []
            fields.append([line])
        elif not fields and not prelude and line.startswith(b"From "):
            prelude.append(line)
        elif fields:
            strays.append(line)
        else:
            return raw, []  # no field before it: not a header block we can speak for
    kept: list[list[bytes]] = []
    size = 0
    dropped = 0
    per_name: dict[bytes, int] = {}
    for field in fields:
        field = _cut(field, problems)
        length = sum(len(line) for line in field)
        name = _name(field)
        if size + length > BLOCK_CAP:
            per_name[name] = per_name.get(name, 0) + 1
            if name not in _ESSENTIAL or per_name[name] > _KEPT_PER_NAME:
                dropped += 1
                continue
        size += length
        kept.append(field)
    if dropped:
        problems.append(f"{dropped:,} header fields beyond {BLOCK_CAP // 1024} KB were dropped")
    if not problems:
        return raw, []
    head = b"".join(prelude) + b"".join(b"".join(f) for f in kept) + b"".join(strays)
    return head + raw[sum(len(line) for line in lines) :], problems


_MESSAGE_PART = re.compile(rb"content-type[ \t]*:[ \t]*message/(?:rfc822|global)", re.IGNORECASE)
# A run of header fields with their continuation lines, matched in one go (no backtracking: each
# line either starts a field or continues one).
_FIELDS = re.compile(rb"(?:[\x21-\x39\x3b-\x7e]+[ \t]*:[^\n]*\n(?:[ \t][^\n]*\n)*)*")


def _walk_fields(raw: bytes, pos: int, cuts: list[tuple[int, int]]) -> tuple[int, bool]:
    """Walk the header fields from ``pos``; note each field longer than FIELD_CAP in ``cuts``.

    Returns where the walk stopped (after the blank line ending the fields, or at the first line
    that is not a field) and whether a field said the part holds a whole message.
    """
    size = len(raw)
    embedded = False
    start = -1  # where the current field began
    while pos < size:
        end = raw.find(b"\n", pos)
        end = size if end < 0 else end + 1
        first = raw[pos : pos + 1]
        if first in (b" ", b"\t") and start >= 0:
            pos = end
            continue
        if start >= 0 and pos - start > FIELD_CAP:
            cuts.append((start, pos))
        if first in (b"\r", b"\n") and raw[pos:end].strip() == b"":
            return end, embedded  # the blank line: the part's body follows
        if not _FIELD_LINE.match(raw, pos):
            return pos, embedded
        embedded = embedded or _MESSAGE_PART.match(raw, pos) is not None
        start, pos = pos, end
    if start >= 0 and pos - start > FIELD_CAP:
        cuts.append((start, pos))
    return pos, embedded


def bound_part_headers(raw: bytes) -> tuple[bytes, list[str]]:
    """Cut absurd header fields of the MIME parts (and of attached messages) as
    :func:`repair_header_block` cuts the message's own: the MIME readers decode them with the
    same quadratic cost. Part headers follow a boundary line (one starting with ``--``); only
    those are walked, field by field, so a 30 MB attachment costs one scan for line starts."""
    cuts: list[tuple[int, int]] = []
    pos = header_end(raw)
    if raw[:pos].lower().find(b"message/") >= 0:
        pos, _ = _walk_fields(raw, pos, cuts)  # a message whose body is itself a message
    while True:
        found = raw.find(b"\n--", max(pos - 1, 0))
        if found < 0:
            break
        line_end = raw.find(b"\n", found + 1)
        if line_end < 0:
            break
        start = line_end + 1
        run = _FIELDS.match(raw, start)
        if run is not None and run.end() - start <= FIELD_CAP:  # the everyday part: nothing to cut
            pos = max(run.end(), start)
            if _MESSAGE_PART.search(raw, start, pos) is None:
                continue
        pos, embedded = _walk_fields(raw, start, cuts)
        while embedded:
            pos, embedded = _walk_fields(raw, pos, cuts)
    if not cuts:
        return raw, []
    problems: list[str] = []
    pieces: list[bytes] = []
    last = 0
    for start, end in cuts:
        pieces.append(raw[last:start])
        pieces.extend(_cut(_LINE.findall(raw, start, end), problems))
        last = end
    pieces.append(raw[last:])
    return b"".join(pieces), [f"in a part: {p}" for p in problems]
