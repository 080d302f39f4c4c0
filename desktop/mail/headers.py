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
from desktop.mail.header_block import header_end


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox. ``addr`` is lower-cased: addresses are compared, never displayed raw."""

    name: str
    addr: str


_MSGID = re.compile(r"<\s*([^<>\s]+?)\s*>")


_MAX_REFERENCES = 50


_MAX_ID = 900  # a Message-ID longer than this is garbage, and would bloat indexes


LOOP_HEADERS = (
    "auto-submitted", "precedence", "list-id", "list-unsubscribe", "x-auto-response-suppress",
    "x-loop", "x-autoreply", "x-autorespond", "x-autoresponder", "x-autoreply-from",
    "x-mail-autoreply", "x-failed-recipients", "return-path", "content-type", "from",
)  # fmt: skip


_HEADER_PARSER = email.parser.BytesHeaderParser(policy=email.policy.compat32)


def raw_headers(raw: bytes) -> dict[str, list[str]]:
    """Top-level headers, lower-case names, unfolded, still raw (8-bit as surrogate escapes)."""
    end = header_end(raw)
    if end == 0:
        return {}  # body without headers
    block = raw[:end]
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


# An RFC 2047 encoded word; in a display name it may hold a literal comma ("Иванова, Мария"
# encoded as =?utf-8?Q?…,_…?=), which would split the address list in the wrong place.
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=")
_HIDDEN_WORD = re.compile("\ue000(\\d+)\ue001")


def parse_addresses(values: list[str]) -> list[Address]:
    if not values:
        return []
    words: list[str] = []

    def hide(match: re.Match[str]) -> str:
        words.append(match.group(0))
        return f"\ue000{len(words) - 1}\ue001"

    def shown(text: str) -> str:
        return _HIDDEN_WORD.sub(lambda m: words[int(m.group(1))], text) if words else text

    hidden = [_ENCODED_WORD.sub(hide, v) if "=?" in v else v for v in values]
    try:
        pairs = getaddresses(hidden)
    except (ValueError, IndexError, TypeError):
        return []
    out: list[Address] = []
    for name, addr in pairs:
        addr = decode_header_text(shown(addr)).strip().lower()
        if not addr and not name:
            continue
        out.append(Address(name=decode_header_text(shown(name)).strip().strip('"'), addr=addr))
    return out


_LOCAL_ATOM = re.compile(r"[^\s\"(),:;<>@\[\\\]]+")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")


def usable_address(addr: str) -> bool:
    """Whether ``addr`` is an address mail can be sent to (an SMTP server would take it).

    Stricter than "has one @": no empty, leading or trailing dot on either side (``ivan@mail.ru.``
    passes a naive check and is refused by the server), a domain of letter/digit labels (IDN
    welcome) or an address literal.
    """
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain or len(addr) > 320:
        return False
    quoted = local.startswith('"') and local.endswith('"') and len(local) > 1
    if not quoted and any(not _LOCAL_ATOM.fullmatch(part) for part in local.split(".")):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        return len(domain) > 2
    return all(_DOMAIN_LABEL.fullmatch(label) for label in domain.split("."))


def requester(headers: dict[str, list[str]]) -> tuple[Address | None, str | None]:
    """Who wrote the message, for replying: the first usable From entry, else Reply-To, else
    Sender; and a note for the audit trail when it was not simply the first From entry.

    An empty ``<>``, a second From header, a display name that split into garbage — the sender
    is still found. With nothing usable, the first From entry is returned as it is (shown to the
    agent; no acknowledgement goes to it).
    """
    senders = parse_addresses(headers.get("from", []))
    for name in ("from", "reply-to", "sender"):
        found = senders if name == "from" else parse_addresses(headers.get(name, []))
        for index, address in enumerate(found):
            if usable_address(address.addr):
                if name == "from" and index == 0:
                    return address, None
                return address, f"sender taken from {name} entry {index + 1}: the first From was unusable"
    if senders:
        return senders[0], None
    return None, None


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
