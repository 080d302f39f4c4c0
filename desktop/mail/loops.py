"""Whether an incoming message may get an automatic reply (R-MAIL-4 loop protection).

Two autoresponders answering each other fill both mailboxes in minutes; a bounce answered with an
acknowledgement bounces again.  The rules below are the ones R-MAIL-4 lists, in the spirit of
RFC 3834 ("Recommendations for Automatic Responses to Electronic Mail"), plus the two de-facto
headers that common autoresponders set instead of ``Auto-Submitted`` (``X-Autoreply``,
``X-Autorespond`` and kin), ``List-Unsubscribe`` alone as the mark of a newsletter, our own
address with a ``+tag``, and the subjects of out-of-office replies in Russian and English.  The function is pure: the caller passes how many auto-replies this sender got
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
# Headers autoresponders set instead of Auto-Submitted; any value means "I am a machine".
_AUTORESPONDER_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-autoreply-from",
                          "x-mail-autoreply")  # fmt: skip
# Subjects an out-of-office reply starts with (Outlook, Exchange, Gmail, Yandex, Mail.ru, 1C-Битрикс
# in Russian and English). Anchored at the start: "Не работает отпуск в 1С" is a question.
_VACATION_SUBJECT = re.compile(
    r"^\s*(?:"
    r"auto(?:matic)?[\s_-]*(?:reply|response|answer)\b|autoreply\b|auto:|"
    r"out\s+of\s+(?:the\s+)?office\b|away\s+from\s+(?:the\s+|my\s+)?(?:office|desk)\b|"
    r"(?:i\s+am|i'm|i’m)\s+(?:currently\s+)?(?:out\s+of\s+(?:the\s+)?office|away|on\s+(?:vacation|holiday|"
    r"leave|annual\s+leave|sick\s+leave))\b|on\s+vacation\b|(?:vacation|holiday)\s+(?:reply|notice|message)\b|"
    r"автоответ|автоматический\s+ответ|авто-ответ|ответ\s+автоматический|"
    r"вне\s+офиса\b|нет\s+в\s+офисе\b|уведомление\s+об\s+отсутствии|"
    r"(?:я\s+)?(?:сейчас\s+|временно\s+)?(?:нахожусь\s+)?в\s+отпуске\b|я\s+в\s+отпуске\b|"
    r"(?:я\s+)?отсутствую\b|меня\s+нет\s+на\s+месте"
    r")",
    re.IGNORECASE,
)
_PLUS_TAG = re.compile(r"\+[^@]*(?=@)")
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


def is_vacation_subject(subject: str) -> bool:
    """Whether a subject is an out-of-office reply's ("Автоответ: …", "Out of Office: …")."""
    return _VACATION_SUBJECT.match(subject) is not None


def _untagged(address: str) -> str:
    """``support+billing@x`` → ``support@x``: a tagged address is the same mailbox."""
    return _PLUS_TAG.sub("", address.strip().lower(), count=1)


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
        sender, subject = message.from_addr, message.subject
    else:
        headers = message
        pairs = getaddresses([_header(headers, "from")])
        sender, subject = (pairs[0][1] if pairs else ""), _header(headers, "subject")
    sender = sender.strip().lower()
    own = {_untagged(address) for address in own_addresses if address.strip()}

    auto_submitted = _first_token(_header(headers, "auto-submitted"))
    if auto_submitted and auto_submitted != "no":
        return "auto-submitted"
    if any(_header(headers, name) for name in _AUTORESPONDER_HEADERS):
        return "auto-submitted"
    if _first_token(_header(headers, "precedence")) in _BULK_PRECEDENCE:
        return "precedence"
    if _header(headers, "list-id"):
        return "list-id"
    if _header(headers, "list-unsubscribe"):
        return "list-unsubscribe"  # a newsletter, even one that sets nothing else
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
    if _untagged(sender) in own:
        return "own-address"  # support+billing@ is our support@
    if is_vacation_subject(subject):
        return "vacation-subject"
    if limit_per_hour <= 0 or recent_autoreplies_to_sender >= limit_per_hour:
        return "rate-limit"
    return None
