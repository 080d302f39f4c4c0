"""Outgoing messages built to be threaded correctly and never to start a mail loop.

The SMTP side sends what this returns and stores the Message-ID with the ticket, so a retry sends
the *same* Message-ID (pass ``message_id``) and the recipient's server can drop a duplicate.
Bodies are 7-bit clean (quoted-printable or base64, whichever is shorter) so that no relay
without 8BITMIME mangles Cyrillic; headers and names are RFC 2047/2231-encoded by the standard
library's ``email`` package — never by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, localtime, make_msgid

from desktop.errors import ValidationError
from desktop.mail.headers import Address, usable_address
from desktop.mail.subjects import ensure_tid_in_subject, strip_reply_prefixes

__all__ = [
    "OutgoingAttachment",
    "StoredText",
    "build_message",
    "build_stored",
    "ensure_tid_in_subject",
    "is_mail_address",
    "reply_subject",
    "reply_threading",
]



class _ReusedHeaderClasses(HeaderRegistry):
    """The standard registry, with each header's class made once.

    ``HeaderRegistry`` creates a new class (``type(...)``) for every header it is asked for:
    a dozen class creations per message were a third of the time of building an
    acknowledgement, and the outbox builds them by the thousand. The class depends on nothing
    but the header's name, so it is kept by name; what it does with a value is unchanged.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


# Base64/QP bodies (cte_type 7bit), CRLF line ends as SMTP wants them.
POLICY = SMTP.clone(cte_type="7bit", header_factory=_ReusedHeaderClasses())
MAX_REFERENCES = 20  # RFC 5322 lets it grow forever; some servers reject headers over ~8 KB
_ID = re.compile(r"<[^<>\s]+>")
_PROTECTED = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to", "references",
     "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
     "auto-submitted", "x-auto-response-suppress", "x-loop"}
)  # fmt: skip
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")  # RFC 5322 ftext: printable ASCII except ':'


@dataclass(frozen=True, slots=True)
class OutgoingAttachment:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


Recipient = str | Address | tuple[str, str]


def one_line(value: str) -> str:
    """Header text without CR/LF: a newline in a subject must not become header injection."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def is_mail_address(addr: str) -> bool:
    """Whether mail can be sent to ``addr`` at all (the same rule ``build_message`` applies)."""
    try:
        _address(addr)
    except ValidationError:
        return False
    return True


def _address(value: Recipient, name: str = "") -> HeaderAddress:
    if isinstance(value, Address):
        name, addr = value.name, value.addr
    elif isinstance(value, tuple):
        name, addr = value
    else:
        addr = value
    addr = addr.strip()
    if addr.count("@") != 1 or any(ch.isspace() or ch in "<>,;\"" for ch in addr):
        raise ValidationError("Not an e-mail address: {addr!r}", addr=addr)
    local, domain = addr.split("@")
    if not local or not domain or not usable_address(addr):
        raise ValidationError("Not an e-mail address: {addr!r}", addr=addr)
    try:
        return HeaderAddress(display_name=one_line(name or ""), username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise ValidationError("Not an e-mail address: {addr!r}", addr=addr) from exc


def _normalise_id(value: str) -> str:
    found = _ID.search(value)
    if found:
        return found.group(0)
    token = "".join(value.split()).strip("<>")
    if not token:
        raise ValidationError("An empty Message-ID cannot be referenced")
    return f"<{token}>"


def reply_threading(
    parent_message_id: str | None, parent_references: Iterable[str] = ()
) -> tuple[str | None, list[str]]:
    """``(In-Reply-To, References)`` for a reply to a message (RFC 5322 §3.6.4).

    References is the parent's References plus the parent's own Message-ID, capped to
    ``MAX_REFERENCES`` keeping the thread root and the newest ancestors.
    """
    chain = [_normalise_id(r) for r in parent_references if r and r.strip()]
    parent = _normalise_id(parent_message_id) if parent_message_id else None
    if parent is not None:
        chain.append(parent)
    return parent, _cap(list(dict.fromkeys(chain)))


def _cap(chain: list[str]) -> list[str]:
    if len(chain) <= MAX_REFERENCES:
        return chain
    return chain[:1] + chain[-(MAX_REFERENCES - 1) :]


def reply_subject(original: str | None, tid: str | None = None) -> str:
    """``Re: <original without its prefixes>``, with the ticket's TID kept in it."""
    core = strip_reply_prefixes(original)
    subject = f"Re: {core}" if core else "Re:"
    return ensure_tid_in_subject(subject, tid) if tid else subject


def build_message(
    from_addr: str,
    from_name: str,
    to: Sequence[Recipient],
    subject: str,
    text: str,
    html: str | None = None,
    *,
    domain_for_msgid: str,
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
    attachments: Iterable[OutgoingAttachment] = (),
    auto_submitted: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    cc: Sequence[Recipient] = (),
    date: datetime | None = None,
    message_id: str | None = None,
) -> tuple[EmailMessage, str]:
    """Build one outgoing message; returns it and its Message-ID (``<...@domain_for_msgid>``).

    ``auto_submitted`` marks mail no person wrote (``"auto-replied"`` for acknowledgements,
    ``"auto-generated"`` for notifications): it then also carries
    ``X-Auto-Response-Suppress: All`` (Exchange's "do not answer this") and ``X-Loop: <from>``,
    so out-of-office replies and other ticket systems leave it alone.
    """
    if not to:
        raise ValidationError("A message needs at least one recipient")
    msg = EmailMessage(policy=POLICY)
    msg["From"] = _address(from_addr, from_name)
    msg["To"] = [_address(r) for r in to]
    if cc:
        msg["Cc"] = [_address(r) for r in cc]
    msg["Subject"] = one_line(subject)
    msg["Date"] = format_datetime(date if date is not None else localtime())
    msg_id = _normalise_id(message_id) if message_id else make_msgid(domain=domain_for_msgid)
    msg["Message-ID"] = msg_id
    chain = [_normalise_id(r) for r in references if r and r.strip()]
    if in_reply_to:
        parent = _normalise_id(in_reply_to)
        msg["In-Reply-To"] = parent
        if parent not in chain:
            chain.append(parent)
    chain = _cap(list(dict.fromkeys(chain)))
    if chain:
        msg["References"] = " ".join(chain)
    if auto_submitted:
        msg["Auto-Submitted"] = one_line(auto_submitted)
        msg["X-Auto-Response-Suppress"] = "All"
        msg["X-Loop"] = from_addr.strip().lower()
    for name, value in (extra_headers or {}).items():
        if not _HEADER_NAME.match(name) or name.lower() in _PROTECTED:
            raise ValidationError("Header {name!r} cannot be set here", name=name)
        msg[name] = one_line(value)

    msg.set_content(text.replace("\r\n", "\n"), subtype="plain", charset="utf-8")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        if not maintype or not subtype:
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype,
            filename=one_line(attachment.filename) or "attachment",
        )  # fmt: skip
    return msg, msg_id


@dataclass(frozen=True, slots=True)
class StoredText:
    """A text-only message as its stored row holds it — everything needed to build the very
    same bytes again (its Message-ID and date included), and nothing that needs the database:
    the outbox hands thousands of these to a helper process to be built while it sends."""

    from_addr: str
    from_name: str
    to: tuple[str, ...]
    subject: str
    text: str
    in_reply_to: str | None
    references: tuple[str, ...]
    auto_submitted: str | None
    date: datetime | None
    message_id: str | None

    def domain(self) -> str:
        return (self.message_id or "").rpartition("@")[2].rstrip(">") or "localhost"


def build_stored(stored: StoredText) -> bytes:
    """The MIME bytes of a stored text-only message (the same row always gives the same bytes)."""
    msg, _ = build_message(
        from_addr=stored.from_addr, from_name=stored.from_name, to=list(stored.to), subject=stored.subject,
        text=stored.text, in_reply_to=stored.in_reply_to, references=list(stored.references),
        auto_submitted=stored.auto_submitted, domain_for_msgid=stored.domain(), date=stored.date,
        message_id=stored.message_id,
    )
    return msg.as_bytes()
