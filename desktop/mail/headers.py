"""A message's top-level headers: Message-IDs, references, addresses, the Date, loop signals.

Read with the standard library's header parser from the header block only (cheap), so 8-bit
header bytes stay recoverable and every decoding decision is made once, the same way for every
message. Apart from the body because threading and loop protection need only these, and their
rules (bounded reference lists, lower-cased addresses) are their own.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.parser
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

from desktop.mail.charsets import clean, decode_header_text


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox. ``addr`` is lower-cased: addresses are compared, never displayed raw."""

    name: str
    addr: str


_HEADER_END = re.compile(rb"\r?\n\r?\n")


_MSGID = re.compile(r"<\s*([^<>\s]+?)\s*>")


_MAX_REFERENCES = 50


_MAX_ID = 900  # a Message-ID longer than this is garbage, and would bloat indexes


LOOP_HEADERS = (
    "auto-submitted", "precedence", "list-id", "x-auto-response-suppress", "x-loop",
    "x-autoreply", "x-autorespond", "x-failed-recipients", "return-path", "content-type", "from",
)  # fmt: skip


_HEADER_PARSER = email.parser.BytesHeaderParser(policy=email.policy.compat32)


def raw_headers(raw: bytes) -> dict[str, list[str]]:
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


def first_value(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name)
    return values[0] if values else ""


def _msgids(value: str) -> list[str]:
    """Every ``<id>`` in a header; ids without brackets (broken mailers) are accepted too."""
    if not value:
        return []
    ids = [f"<{m}>" for m in _MSGID.findall(value)]
    if not ids:
        ids = [f"<{tok.strip('<>')}>" for tok in value.replace(",", " ").split() if "@" in tok]
    return [i for i in (clean(i) for i in ids) if 2 < len(i) <= _MAX_ID]


def single_msgid(value: str) -> str | None:
    if not value.strip():
        return None
    ids = _msgids(value)
    if ids:
        return ids[0]
    token = "".join(value.split()).strip("<>")
    return clean(f"<{token}>") if token and len(token) <= _MAX_ID else None


def reference_ids(value: str) -> list[str]:
    ids = list(dict.fromkeys(_msgids(value)))
    if len(ids) > _MAX_REFERENCES:  # keep the thread root and the most recent ancestors
        ids = ids[:1] + ids[-(_MAX_REFERENCES - 1) :]
    return ids


def parse_addresses(values: list[str]) -> list[Address]:
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


def parse_date(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
