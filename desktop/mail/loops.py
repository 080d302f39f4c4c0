"""Whether an incoming message may get an automatic reply (R-MAIL-4 loop protection).

Two autoresponders answering each other fill both mailboxes in minutes; a bounce answered with an
acknowledgement bounces again.  The rules below are the ones R-MAIL-4 lists, in the spirit of
RFC 3834 ("Recommendations for Automatic Responses to Electronic Mail"), plus the two de-facto
headers that common autoresponders set instead of ``Auto-Submitted`` (``X-Autoreply``,
``X-Autorespond``).  The function is pure: the caller passes how many auto-replies this sender got
in the last hour, so the rate limit needs no clock and no database here.

The returned reason is a short stable token (``"auto-submitted"``, ``"rate-limit"``...) meant to be
stored with the message and shown to the agent ("no acknowledgement sent: rate-limit").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from email.utils import getaddresses

from desktop.mail.parse import ParsedMessage

_SYSTEM_LOCALPARTS = frozenset(
    {"mailer-daemon", "postmaster", "mail-daemon", "maildaemon", "mailerdaemon", "bounce",
     "bounces", "noreply", "no-reply", "donotreply", "do-not-reply", "no_reply"}
)  # fmt: skip
_BOUNCE_LOCALPART = re.compile(r"^(?:bounces?|mailer-daemon|postmaster)(?:[+=\-_.].*)?$")
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_ANGLE = re.compile(r"<\s*>")


def _header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive lookup that also tolerates a mapping with original-case keys."""
    value = headers.get(name)
    if value is None:
        for key, candidate in headers.items():
            if key.lower() == name:
                return str(candidate).strip()
        return ""
    return str(value).strip()


def _first_token(value: str) -> str:
    return value.split(";", 1)[0].split("(", 1)[0].strip().lower()


def _is_bounce_content_type(content_type: str) -> bool:
    lowered = content_type.lower()
    if not lowered.lstrip().startswith("multipart/report"):
        return False
    match = re.search(r"report-type\s*=\s*\"?\s*([\w\-]+)", lowered)
    # A multipart/report without report-type is malformed but still a machine's report.
    return match is None or match.group(1) in {"delivery-status", "disposition-notification"}


def should_suppress_autoreply(
    message: ParsedMessage | Mapping[str, str],
    own_addresses: Iterable[str],
    recent_autoreplies_to_sender: int,
    limit_per_hour: int,
) -> str | None:
    """Why no automatic reply may be sent to ``message`` — or None when one may.

    ``message`` is a :class:`ParsedMessage` or a mapping of header names to values (the
    ``loop_headers`` stored with a message; needs at least ``from``).  ``own_addresses`` are the
    mailbox addresses we send from.  ``recent_autoreplies_to_sender`` is how many automatic replies
    this sender already got in the last hour; ``limit_per_hour`` ≤ 0 means "never auto-reply".
    """
    if isinstance(message, ParsedMessage):
        headers: Mapping[str, str] = message.loop_headers
        sender = message.from_addr
    else:
        headers = message
        pairs = getaddresses([_header(headers, "from")])
        sender = pairs[0][1] if pairs else ""
    sender = sender.strip().lower()
    own = {address.strip().lower() for address in own_addresses if address.strip()}

    auto_submitted = _first_token(_header(headers, "auto-submitted"))
    if auto_submitted and auto_submitted != "no":
        return "auto-submitted"
    if _header(headers, "x-autoreply") or _header(headers, "x-autorespond"):
        return "auto-submitted"
    if _first_token(_header(headers, "precedence")) in _BULK_PRECEDENCE:
        return "precedence"
    if _header(headers, "list-id"):
        return "list-id"
    if _header(headers, "x-auto-response-suppress"):
        # Exchange's own opt-out; any value (All, AutoReply, OOF, DR...) names us.
        return "x-auto-response-suppress"
    x_loop = _header(headers, "x-loop")
    if x_loop:
        return "x-loop"
    return_path = _header(headers, "return-path")
    if "return-path" in {k.lower() for k in headers} and (
        not return_path or _ANGLE.fullmatch(return_path)
    ):
        return "bounce"  # null reverse-path: RFC 5321 says never reply to it
    if _header(headers, "x-failed-recipients"):
        return "bounce"
    if _is_bounce_content_type(_header(headers, "content-type")):
        return "bounce"
    if not sender or "@" not in sender:
        return "no-sender"
    localpart = sender.rsplit("@", 1)[0]
    if localpart in _SYSTEM_LOCALPARTS or _BOUNCE_LOCALPART.match(localpart):
        return "system-sender"
    if sender in own:
        return "own-address"
    if limit_per_hour <= 0 or recent_autoreplies_to_sender >= limit_per_hour:
        return "rate-limit"
    return None
