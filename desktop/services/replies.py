"""Replying to a client from the window: collision check, canned responses, drafts (R-UI-2).

An agent reads a ticket, writes for a few minutes and presses Send. If the client wrote again or
a colleague answered in the meantime, sending blindly would answer a question nobody asks any
more or duplicate the colleague's answer — so :func:`reply` refuses with a plain message naming
who wrote, and the window shows the new message while keeping the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from desktop.domain.tickets import Direction
from desktop.errors import ConflictError, ValidationError
from desktop.services.mail_templates import render_text
from desktop.services.outgoing import (
    OutgoingFile,
    base_context,
    reason_reply_text,
    reply_in,
    ticket_language,
)
from desktop.services.tickets import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, CannedResponse, Draft, Message, ReasonRow

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
) -> int:
    """Queue the agent's reply; refuse when someone wrote since the agent looked.

    ``seen_message_id`` is the newest message the agent had on screen; any newer incoming or
    outgoing message is a collision named by its author. Without it, ``expected_version`` alone
    guards against any change. Returns the stored message's id. The draft is removed once the
    reply is queued.
    """
    if not text.strip():
        raise ValidationError("the reply is empty")
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        if seen_message_id is not None:
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
            if newer is not None:
                if newer.direction == Direction.INCOMING.value:
                    who = newer.from_name or newer.from_addr or "the client"
                else:
                    colleague = s.scalar(select(Agent.name).where(Agent.login == newer.author))
                    who = colleague or newer.author or "a colleague"
                raise ConflictError(
                    f"{who} replied meanwhile in {t.tid}; read their message before sending yours"
                )
        elif expected_version is not None and t.version != expected_version:
            raise ConflictError(
                f"{t.tid} was changed by someone else since you opened it; "
                "reload it to see their change"
            )
        msg = reply_in(s, ws, t, text, files)
        _drop_draft(s, t.id, ws.actor)
        return msg.id


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
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        d = s.scalar(select(Draft).where(Draft.ticket_id == t.id, Draft.agent_login == ws.actor))
        return d.body if d is not None else ""


def save_draft(ws: Workspace, tid: str, body: str) -> None:
    """Keep what the agent typed (an empty body removes the draft)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        if not body.strip():
            _drop_draft(s, t.id, ws.actor)
            return
        d = s.scalar(select(Draft).where(Draft.ticket_id == t.id, Draft.agent_login == ws.actor))
        if d is None:
            s.add(Draft(ticket_id=t.id, agent_login=ws.actor, body=body, updated_at=ws.now()))
        else:
            d.body, d.updated_at = body, ws.now()


def discard_draft(ws: Workspace, tid: str) -> None:
    with ws.db.session() as s:
        _drop_draft(s, get_ticket(s, ws, tid).id, ws.actor)


def _drop_draft(s: Any, ticket_id: int, login: str) -> None:
    d = s.scalar(select(Draft).where(Draft.ticket_id == ticket_id, Draft.agent_login == login))
    if d is not None:
        s.delete(d)


def reason_template(ws: Workspace, tid: str, code: str) -> str:
    """The reply a refusal/postponement reason sends, filled for this ticket, for the agent to
    read and edit before it goes (R-TICKET-4)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        reason = s.get(ReasonRow, code)
        if reason is None:
            raise ValidationError(f"unknown reason {code!r}; see the list of refusal reasons")
        return reason_reply_text(s, ws, t, reason)
