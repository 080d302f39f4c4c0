"""Replying to a client from the window: collision check, canned responses, drafts (R-UI-2).

An agent reads a ticket, writes for a few minutes and presses Send. If the client wrote again or
a colleague answered in the meantime, sending blindly would answer a question nobody asks any
more or duplicate the colleague's answer — so :func:`reply` refuses with a plain message naming
who wrote, and the window shows the new message while keeping the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.tickets import Direction, Status
from desktop.errors import ConflictError, NotFound, ReglamentError, ValidationError
from desktop.mail.templates import placeholders, render_text, split_mail_source
from desktop.services.composer import drafts
from desktop.services.composer.addresses import problem
from desktop.services.composer.quote import quote_in, with_quote
from desktop.services.tickets.fields import assign_in
from desktop.services.tickets.lifecycle import set_status_in
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.upkeep.outgoing import (
    OutgoingFile,
    base_context,
    reason_reply_text,
    reply_in,
    ticket_language,
)
from desktop.services.workspace import MAIL_TEMPLATE_SETTING, Workspace
from desktop.store.models import Agent, CannedResponse, Message, ReasonRow

#: Placeholders a canned response may use (``{{ name }}``), shown in the reply editor's menu.
PLACEHOLDERS = ("requester_name", "tid", "subject", "client", "agent", "plan")


@dataclass(frozen=True)
class Canned:
    name: str
    language: str
    body: str


#: Built-in canned responses, offered beside the ones an administrator stored in the database.
BUILT_IN: tuple[Canned, ...] = (
    Canned("Приветствие", "ru",
           "Здравствуйте, {{ requester_name or 'коллеги' }}!\n\n\n\n"
           "С уважением,\n{{ agent }}\nСлужба технической поддержки"),
    Canned("Уточнение деталей", "ru",
           "Здравствуйте, {{ requester_name or 'коллеги' }}!\n\n"
           "Чтобы разобраться с обращением {{ tid }}, пришлите, пожалуйста, адрес страницы, "
           "снимок экрана с ошибкой и время, когда она возникла.\n\n"
           "С уважением,\n{{ agent }}"),
    Canned("Работы выполнены", "ru",
           "Здравствуйте, {{ requester_name or 'коллеги' }}!\n\n"
           "Работы по обращению {{ tid }} выполнены. Проверьте, пожалуйста, и сообщите, "
           "если что-то работает не так.\n\n"
           "С уважением,\n{{ agent }}"),
    Canned("Greeting", "en",
           "Hello {{ requester_name or 'there' }},\n\n\n\nBest regards,\n{{ agent }}\nSupport team"),
    Canned("Ask for details", "en",
           "Hello {{ requester_name or 'there' }},\n\n"
           "To look into {{ tid }}, please send us the page address, a screenshot of the error "
           "and the time it happened.\n\nBest regards,\n{{ agent }}"),
    Canned("Work done", "en",
           "Hello {{ requester_name or 'there' }},\n\n"
           "The work on {{ tid }} is done. Please check and tell us if anything is not right.\n\n"
           "Best regards,\n{{ agent }}"),
)


def canned_responses(ws: Workspace) -> list[Canned]:
    """The administrator's canned responses first, then the built-in ones."""
    with ws.db.session() as s:
        stored = [
            Canned(c.name, c.language, c.body)
            for c in s.scalars(select(CannedResponse).order_by(CannedResponse.name))
        ]
    return stored + list(BUILT_IN)


def render_canned(ws: Workspace, tid: str, body: str) -> str:
    """Fill a canned response's placeholders for this ticket (mistakes are named plainly)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        ctx: dict[str, Any] = base_context(s, ws, t)
        agent = ws.agent(s)
        ctx["agent"] = agent.name or ws.actor
        return render_text(body, "canned response", ctx)


def ticket_language_of(ws: Workspace, tid: str) -> str:
    with ws.db.session() as s:
        return ticket_language(s, ws, get_ticket(s, ws, tid))


def reply(
    ws: Workspace,
    tid: str,
    text: str,
    expected_version: int | None = None,
    files: Sequence[OutgoingFile] = (),
    *,
    seen_message_id: int | None = None,
    to: Sequence[str] | None = None,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    quote: bool = False,
) -> int:
    """Queue the agent's reply; refuse when someone wrote since the agent looked.

    ``seen_message_id`` is the newest message the agent had on screen; any newer incoming or
    outgoing message is a collision named by its author. Without it, ``expected_version`` alone
    guards against any change. ``to`` (default: the requester), ``cc`` and ``bcc`` are checked
    and a mistake named in plain words; with ``quote`` the answered message follows the text.
    A reply to a ``new`` ticket takes it into work — the regulation's "the client learns that
    processing has started", which the reply itself tells them — and says so in the history.
    Returns the stored message's id. The draft is removed once the reply is queued.
    """
    if not text.strip():
        raise ValidationError("the reply is empty")
    recipients = {field: _checked(field, list(addrs)) for field, addrs in
                  (("To", to or ()), ("Cc", cc), ("Bcc", bcc))}
    if to is not None and not recipients["To"]:
        raise ValidationError("the reply needs a recipient in {field}", field="To")
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        if seen_message_id is not None:
            _refuse_collision(s, t, seen_message_id)
        elif expected_version is not None and t.version != expected_version:
            raise ConflictError(
                "{tid} was changed by someone else since you opened it; "
                "reload it to see their change", tid=t.tid
            )
        if quote:
            text = with_quote(text, quote_in(s, ws, t))
        msg = reply_in(s, ws, t, text, files, to=recipients["To"] or None, cc=recipients["Cc"],
                       bcc=recipients["Bcc"])
        if t.status == Status.NEW.value:
            if t.assignee_id is None:
                assign_in(s, ws, t, ws.agent(s))
            set_status_in(s, ws, t, Status.IN_PROGRESS, ws.actor, trigger="reply")
            t.taken_at = t.taken_at or ws.now()
        drafts.drop(s, t.id, ws.actor)
        return msg.id


def _checked(field: str, addrs: list[str]) -> list[str]:
    for addr in addrs:
        why = problem(addr)
        if why is not None:
            raise ValidationError("in {field}: {why}", field=field, why=why)
    return addrs


def _refuse_collision(s: Session, t: Any, seen_message_id: int) -> None:
    newer = s.scalar(
        select(Message)
        .where(
            Message.ticket_id == t.id,
            Message.id > seen_message_id,
            Message.direction.in_((Direction.INCOMING.value, Direction.OUTGOING.value)),
        )
        .order_by(Message.received_at.desc(), Message.id.desc())
        .limit(1)
    )
    if newer is None:
        return
    if newer.direction == Direction.INCOMING.value:
        who = newer.from_name or newer.from_addr or "the client"
    else:
        colleague = s.scalar(select(Agent.name).where(Agent.login == newer.author))
        who = colleague or newer.author or "a colleague"
    raise ConflictError(
        "{who} replied meanwhile in {tid}; read their message before sending yours", who=who, tid=t.tid
    )


def newest_message_id(ws: Workspace, tid: str) -> int:
    """The newest non-note message: what the agent has seen when the ticket is on screen."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        return int(
            s.scalar(
                select(func.max(Message.id)).where(
                    Message.ticket_id == t.id, Message.direction != Direction.NOTE.value
                )
            )
            or 0
        )


# --- drafts ------------------------------------------------------------------------------------


def load_draft(ws: Workspace, tid: str) -> str:
    """The text of this agent's draft on ``tid`` (the whole draft: ``composer.drafts.load``)."""
    d = drafts.load(ws, tid)
    return d.body if d is not None else ""


def save_draft(ws: Workspace, tid: str, body: str) -> None:
    """Keep what the agent typed (an empty body removes the draft); the rest of a draft the
    composer saved is kept as it was."""
    old = drafts.load(ws, tid) or drafts.ReplyDraft()
    drafts.save(ws, tid, replace(old, body=body) if body.strip() else drafts.ReplyDraft())


def discard_draft(ws: Workspace, tid: str) -> None:
    drafts.discard(ws, tid)


def reason_template(ws: Workspace, tid: str, code: str) -> str:
    """The reply a refusal/postponement reason sends, filled for this ticket, for the agent to
    read and edit before it goes (R-TICKET-4)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        reason = s.get(ReasonRow, code)
        if reason is None:
            raise ValidationError("unknown reason {code!r}; see the list of refusal reasons", code=code)
        return reason_reply_text(s, ws, t, reason)


# --- the settings dialog: the administrator's canned responses and the other templates (R-UI-6) --

TEMPLATE_LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class CannedRecord:
    """A stored canned response; also the snapshot an edit is checked against."""

    id: int
    name: str
    language: str
    body: str


def stored_canned(ws: Workspace) -> list[CannedRecord]:
    """The administrator's own canned responses (the built-in ones are :data:`BUILT_IN`)."""
    with ws.db.session() as s:
        return [CannedRecord(c.id, c.name, c.language, c.body)
                for c in s.scalars(select(CannedResponse).order_by(CannedResponse.name, CannedResponse.id))]


#: Values the placeholders take when a template is checked or previewed without a ticket.
SAMPLE_CONTEXT: dict[str, Any] = {
    "requester_name": "Мария Петрова", "tid": "TID-000123", "subject": "Не открывается личный кабинет",
    "client": "ООО «Вектор»", "agent": "Анна Смирнова", "plan": "Коммерческий",
    "deadline": "", "summary": "", "password_reminder": False, "close_at": "",
}


def _check_canned(s: Any, name: str, language: str, body: str, own_id: int | None) -> tuple[str, str]:
    name, body = name.strip(), body.strip("\n")
    if not name:
        raise ValidationError("a template needs a name")
    if language not in TEMPLATE_LANGUAGES:
        raise ValidationError("the template's language must be ru or en, not {language!r}", language=language)
    if not body.strip():
        raise ValidationError("the template's text is empty")
    try:
        render_text(body, f"“{name}”", dict(SAMPLE_CONTEXT))
    except ReglamentError as exc:
        raise ValidationError("{exc}; the placeholders are {placeholders}", exc=exc, placeholders=', '.join(PLACEHOLDERS)) from None
    clash = s.scalar(select(CannedResponse.id).where(
        CannedResponse.name == name, CannedResponse.language == language,
        *([CannedResponse.id != own_id] if own_id is not None else [])))
    if clash is not None or (own_id is None and any(b.name == name and b.language == language for b in BUILT_IN)):
        raise ValidationError("there is already a template “{name}” in {language}", name=name, language=language)
    return name, body


def add_canned(ws: Workspace, name: str, language: str, body: str) -> CannedRecord:
    with ws.db.session() as s:
        name, body = _check_canned(s, name, language, body, None)
        row = CannedResponse(name=name, language=language, body=body)
        s.add(row)
        s.flush()
        return CannedRecord(row.id, row.name, row.language, row.body)


def _stored(s: Session, expected: CannedRecord) -> CannedResponse:
    row = s.get(CannedResponse, expected.id)
    if row is None:
        raise ConflictError("the template “{name}” was deleted by someone else meanwhile", name=expected.name)
    if CannedRecord(row.id, row.name, row.language, row.body) != expected:
        raise ConflictError(
            "the template “{name}” was changed by someone else while you edited it; "
            "your text is still in the form — look at theirs and save again to replace it", name=expected.name
        )
    return row


def update_canned(ws: Workspace, expected: CannedRecord, name: str, language: str, body: str) -> CannedRecord:
    """Rewrite a stored template, unless it changed since ``expected`` was read."""
    with ws.db.session() as s:
        row = _stored(s, expected)
        row.name, row.body = _check_canned(s, name, language, body, row.id)
        row.language = language
        return CannedRecord(row.id, row.name, row.language, row.body)


def delete_canned(ws: Workspace, expected: CannedRecord) -> None:
    with ws.db.session() as s:
        s.delete(_stored(s, expected))


@dataclass(frozen=True)
class Preview:
    text: str
    tid: str | None  # the ticket whose facts filled the placeholders; None: the sample values


def preview_canned(ws: Workspace, body: str, tid: str | None = None) -> Preview:
    """A template with its placeholders filled for a real ticket (``tid`` or the newest one),
    or for :data:`SAMPLE_CONTEXT` when the workspace has no ticket yet."""
    from desktop.store.models import Ticket

    if tid is None:
        with ws.db.session() as s:
            tid = s.scalar(select(Ticket.tid).order_by(Ticket.received_at.desc(), Ticket.id.desc()).limit(1))
    if tid is None:
        return Preview(render_text(body, "template", dict(SAMPLE_CONTEXT)), None)
    return Preview(render_canned(ws, tid, body), tid)


@dataclass(frozen=True)
class MailTemplateFile:
    """An automatic mail (acknowledgement, reminder …): the shipped file and, when the workspace
    rewords it (Settings ▸ Reply templates), its own text, which is what gets sent."""

    kind: str
    language: str
    path: str
    source: str  # the shipped text
    override: str | None = None  # the workspace's own wording; None: the shipped one is sent

    @property
    def text(self) -> str:
        return self.override if self.override is not None else self.source


def mail_template_files(ws: Workspace | None = None) -> list[MailTemplateFile]:
    from desktop.resources import resources_dir

    files = [(path, lang) for lang in TEMPLATE_LANGUAGES
             for path in sorted((resources_dir() / "mail" / lang).glob("*.txt"))
             if path.stem != "reasons"]  # seeds the reason replies, which are edited in the database
    own: dict[str, Any] = {}
    if ws is not None:
        with ws.db.session() as s:
            own = {key: ws.setting(key, s) for key in (_wording_key(p.stem, lang) for p, lang in files)}
    return [MailTemplateFile(path.stem, lang, str(path), path.read_text(encoding="utf-8"),
                             str(text) if (text := own.get(_wording_key(path.stem, lang))) else None)
            for path, lang in files]


def _wording_key(kind: str, lang: str) -> str:
    return f"{MAIL_TEMPLATE_SETTING}{lang}.{kind}"


def set_mail_template(ws: Workspace, expected: MailTemplateFile, text: str) -> MailTemplateFile:
    """The workspace's own wording of an automatic mail, unless it changed since ``expected``.

    The text keeps the file's form (first line ``Subject: …``) and may use the placeholders the
    shipped mail of that kind uses, plus those every mail has; anything else would fail only
    when the mail is due, so it is refused now. An empty text (or the shipped text itself) goes
    back to the shipped file.
    """
    if expected.language not in TEMPLATE_LANGUAGES:
        raise ValidationError("the language must be ru or en, not {language!r}", language=expected.language)
    text = text.strip("\n")
    name = f"{expected.kind} ({expected.language})"
    own: str | None = text if text.strip() and text != expected.source.strip("\n") else None
    if own is not None:
        try:
            split_mail_source(own, name)
            allowed = placeholders(expected.source, expected.path) | set(SAMPLE_CONTEXT)
            unknown = sorted(placeholders(own, name) - allowed)
        except ReglamentError as exc:
            raise ValidationError("{problem}", problem=exc) from None
        if unknown:
            raise ValidationError(
                "the mail {name} cannot use {unknown}; it can use {allowed}",
                name=name, unknown=", ".join(unknown), allowed=", ".join(sorted(allowed)),
            )
    key = _wording_key(expected.kind, expected.language)
    with ws.db.session() as s:
        stored = ws.setting(key, s)
        if (str(stored) if stored else None) != expected.override:
            raise ConflictError(
                "the mail {name} was reworded by someone else while you edited it; your text is "
                "still in the form — look at theirs and save again to replace it", name=name
            )
        ws.set_setting(key, own, s)
    return MailTemplateFile(expected.kind, expected.language, expected.path, expected.source, own)


@dataclass(frozen=True)
class ReasonReply:
    """A refusal/postponement reason's reply (R-TICKET-4), stored per reason and language."""

    code: str
    title_en: str
    title_ru: str
    template_en: str
    template_ru: str


def reason_replies(ws: Workspace) -> list[ReasonReply]:
    with ws.db.session() as s:
        return [ReasonReply(r.code, r.title_en, r.title_ru, r.template_en, r.template_ru)
                for r in s.scalars(select(ReasonRow).order_by(ReasonRow.position))]


def set_reason_reply(ws: Workspace, expected: ReasonReply, language: str, text: str) -> ReasonReply:
    """Reword one reason's reply in one language, unless it changed since ``expected``.

    An empty text falls back to the shipped ``resources/mail/<lang>/reasons.txt`` (as
    ``reason_reply_text`` does), which is how an administrator restores the original."""
    if language not in TEMPLATE_LANGUAGES:
        raise ValidationError("the language must be ru or en, not {language!r}", language=language)
    text = text.strip("\n") if text.strip() else ""  # empty: the shipped reasons.txt text is used
    try:
        render_text(text, f"reason {expected.code} ({language})", dict(SAMPLE_CONTEXT))
    except ReglamentError as exc:
        raise ValidationError("{problem}", problem=exc) from None
    with ws.db.session() as s:
        row = s.get(ReasonRow, expected.code)
        if row is None:
            raise NotFound("there is no reason {code!r}", code=expected.code)
        now = ReasonReply(row.code, row.title_en, row.title_ru, row.template_en, row.template_ru)
        if now != expected:
            raise ConflictError(
                "the reply for “{title_en}” was changed by someone else while you edited it; "
                "your text is still in the form — look at theirs and save again to replace it", title_en=expected.title_en
            )
        if language == "ru":
            row.template_ru = text
        else:
            row.template_en = text
        return ReasonReply(row.code, row.title_en, row.title_ru, row.template_en, row.template_ru)
