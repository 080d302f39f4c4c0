"""Recipients of a reply: the addresses the composer completes and the check of what was typed.

Completion offers the people the agent is likely to write to on this ticket — its previous
correspondents first, then the client's known addresses and the people who wrote from the
client in other tickets. The check explains a mistake in plain words ("the part after @ is
missing") rather than a parser's message, because an agent fixes what they understand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from sqlalchemy import select

from desktop.errors import Phrase, ValidationError
from desktop.mail.compose import is_mail_address
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.models import ClientAddress, MailAccount, Message, Ticket

#: Other tickets of the client looked at for people who wrote from it.
CLIENT_TICKETS = 200

_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Contact:
    """One address the composer offers; ``name`` may be empty."""

    addr: str
    name: str = ""
    from_ticket: bool = False  # a correspondent of this very ticket

    @property
    def label(self) -> str:
        return f"{self.name} <{self.addr}>" if self.name else self.addr


def split_addresses(text: str) -> list[str]:
    """The addresses in a field as typed: separated by commas, semicolons or new lines, each
    either bare or ``Name <addr>``; the bare address of each, in order, each once."""
    out: dict[str, str] = {}
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        if "<" in part or '"' in part:
            found = getaddresses([part])
            addr = found[0][1].strip() if found and found[0][1] else part
            if "<" in part and ">" in part:
                addr = part[part.index("<") + 1: part.rindex(">")].strip() or addr
        else:
            addr = part
        out.setdefault(addr.lower(), addr)
    return list(out.values())


def problem(addr: str) -> Phrase | None:
    """What is wrong with one address, in plain words; None when mail can go to it."""
    local, _, domain = addr.partition("@")
    if is_mail_address(addr):
        if "." not in domain.strip("."):
            return Phrase("“{addr}”: the part after @ needs a domain such as example.ru", addr=addr)
        return None
    if "@" not in addr:
        return Phrase("“{addr}” is not an e-mail address: it has no @", addr=addr)
    if addr.count("@") > 1:
        return Phrase("“{addr}” has more than one @; separate addresses with a comma", addr=addr)
    if not local:
        return Phrase("“{addr}”: the name before @ is missing", addr=addr)
    if not domain:
        return Phrase("“{addr}”: the part after @ is missing", addr=addr)
    if any(ch.isspace() for ch in addr):
        return Phrase("“{addr}” has a space in it; separate addresses with a comma", addr=addr)
    return Phrase("“{addr}” is not an e-mail address", addr=addr)


def check_addresses(field: str, text: str, *, required: bool = False) -> list[str]:
    """The addresses of one field (To, Cc, Bcc), or a :class:`ValidationError` naming the
    field and what is wrong with the first bad address."""
    addrs = split_addresses(text)
    if required and not addrs:
        raise ValidationError("the reply needs a recipient in {field}", field=field)
    for addr in addrs:
        why = problem(addr)
        if why is not None:
            raise ValidationError("in {field}: {why}", field=field, why=why)
    return addrs


def contacts(ws: Workspace, tid: str) -> list[Contact]:
    """Who the composer offers for ``tid``: its correspondents, then the client's people."""
    found: dict[str, Contact] = {}

    def add(addr: str | None, name: str | None, own: bool) -> None:
        addr = (addr or "").strip()
        if not addr or not is_mail_address(addr):
            return
        key = addr.lower()
        have = found.get(key)
        if have is None or (not have.name and name):
            found[key] = Contact(addr, (name or "").strip() or (have.name if have else ""),
                                 own or bool(have and have.from_ticket))

    with ws.db.reading() as s:
        t = get_ticket(s, ws, tid)
        own_addresses: set[str] = {a.lower() for a in s.scalars(select(MailAccount.email)) if a}
        add(t.requester, t.requester_name, True)
        rows = s.execute(
            select(Message.direction, Message.from_addr, Message.from_name, Message.to_addrs, Message.cc_addrs)
            .where(Message.ticket_id == t.id, Message.direction != "note")
            .order_by(Message.received_at.desc())
        ).all()
        for direction, from_addr, from_name, to_addrs, cc_addrs in rows:
            if direction == "in":
                add(from_addr, from_name, True)
            for a in [*(to_addrs or []), *(cc_addrs or [])]:
                add(str(a), None, True)
        if t.client_id is not None:
            for value in s.scalars(select(ClientAddress.value).where(
                    ClientAddress.client_id == t.client_id, ClientAddress.kind == "email")):
                add(value, None, False)
            others = s.execute(
                select(Ticket.requester, Ticket.requester_name)
                .where(Ticket.client_id == t.client_id, Ticket.id != t.id)
                .order_by(Ticket.received_at.desc()).limit(CLIENT_TICKETS)
            ).all()
            for requester, name in others:
                add(requester, name, False)
    return [c for c in found.values() if c.addr.lower() not in own_addresses]
