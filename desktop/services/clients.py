"""Clients and how incoming mail is matched to them (R-TICKET-2, R-TICKET-7).

An exact address wins over a domain; a sub-domain matches its parent domain (mail from
``it.example.ru`` belongs to the client of ``example.ru``), so companies with several mail
servers need one entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from desktop.errors import ConflictError, NotFound, ValidationError
from desktop.services.workspace import Workspace
from desktop.store.models import Client, ClientAddress, Plan

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$")


def normalise_address(addr: str) -> str:
    return addr.strip().strip("<>").lower()


def identify_client(session: Session, address: str) -> Client | None:
    addr = normalise_address(address)
    if not addr:
        return None
    row = session.scalar(
        select(ClientAddress).where(ClientAddress.kind == "email", ClientAddress.value == addr)
    )
    if row is not None:
        return row.client
    domain = addr.rpartition("@")[2]
    parts = domain.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    if not candidates:
        return None
    rows = session.scalars(
        select(ClientAddress).where(ClientAddress.kind == "domain", ClientAddress.value.in_(candidates))
    ).all()
    if not rows:
        return None
    best = max(rows, key=lambda r: len(r.value))  # the most specific domain wins
    return best.client


@dataclass(frozen=True)
class ClientInfo:
    id: int
    name: str
    plan: str | None
    contract_no: str | None
    active_until: date | None
    priority_support: bool
    emails: list[str]
    domains: list[str]

    def service_active(self, today: date) -> bool:
        return self.active_until is None or self.active_until >= today

    def to_json(self, today: date) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "plan": self.plan,
            "contract": self.contract_no,
            "active_until": self.active_until.isoformat() if self.active_until else None,
            "service_active": self.service_active(today),
            "priority": self.priority_support,
            "emails": self.emails,
            "domains": self.domains,
        }


def add_client(
    ws: Workspace,
    name: str,
    *,
    domains: list[str] | tuple[str, ...] = (),
    emails: list[str] | tuple[str, ...] = (),
    plan: str | None = None,
    contract_no: str | None = None,
    contract_date: date | None = None,
    active_until: date | None = None,
    priority: bool = False,
    inn: str | None = None,
    kpp: str | None = None,
    address: str | None = None,
    signatory: str | None = None,
) -> int:
    name = name.strip()
    if not name:
        raise ValidationError("a client needs a name")
    clean_domains = [d.strip().lower().lstrip("@") for d in domains]
    for d in clean_domains:
        if not _DOMAIN.match(d):
            raise ValidationError("{domain!r} is not a mail domain like example.ru", domain=d)
    clean_emails = [normalise_address(e) for e in emails]
    for e in clean_emails:
        if not _EMAIL.match(e):
            raise ValidationError("{address!r} is not an e-mail address", address=e)
    try:
        with ws.db.session() as s:
            plan_row = None
            if plan:
                plan_row = s.scalar(select(Plan).where(Plan.code == plan.lower()))
                if plan_row is None:
                    known = ", ".join(s.scalars(select(Plan.code).order_by(Plan.position)))
                    raise ValidationError("unknown plan {plan!r}; known plans: {known}", plan=plan, known=known)
            if s.scalar(select(Client).where(Client.name == name)) is not None:
                raise ValidationError("a client named {name!r} already exists", name=name)
            client = Client(
                name=name,
                plan_id=plan_row.id if plan_row else None,
                contract_no=contract_no,
                contract_date=contract_date,
                active_until=active_until,
                priority_support=priority,
                inn=inn,
                kpp=kpp,
                address=address,
                signatory=signatory,
            )
            client.addresses = [ClientAddress(kind="domain", value=d) for d in clean_domains] + [
                ClientAddress(kind="email", value=e) for e in clean_emails
            ]
            s.add(client)
            s.flush()
            return client.id
    except IntegrityError as exc:
        raise ValidationError(
            "one of these addresses or domains already belongs to another client"
        ) from exc


def list_clients(ws: Workspace) -> list[ClientInfo]:
    with ws.db.session() as s:
        rows = s.scalars(
            select(Client).options(selectinload(Client.addresses), selectinload(Client.plan)).order_by(Client.name)
        ).all()
        return [_info(c) for c in rows]


def get_client(ws: Workspace, name: str) -> ClientInfo:
    with ws.db.session() as s:
        c = s.scalar(select(Client).where(Client.name == name))
        if c is None:
            raise NotFound("there is no client {name!r}", name=name)
        return _info(c)


def _info(c: Client) -> ClientInfo:
    return ClientInfo(
        id=c.id,
        name=c.name,
        plan=c.plan.code if c.plan else None,
        contract_no=c.contract_no,
        active_until=c.active_until,
        priority_support=c.priority_support,
        emails=sorted(a.value for a in c.addresses if a.kind == "email"),
        domains=sorted(a.value for a in c.addresses if a.kind == "domain"),
    )


# --- the settings dialog: every field of a client, and editing one (R-UI-6) --------------------

_INN = re.compile(r"^(\d{10}|\d{12})$")
_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
CLIENT_LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class ClientRecord:
    """Everything an administrator edits about a client.

    Kept apart from :class:`ClientInfo`, whose fields are the CLI's JSON contract; the record is
    also the snapshot an edit is checked against, so a change made elsewhere meanwhile is noticed
    instead of silently overwritten (clients carry no version column)."""

    id: int
    name: str
    plan: str | None
    contract_no: str | None
    contract_date: date | None
    active_from: date | None
    active_until: date | None
    priority_support: bool
    inn: str | None
    kpp: str | None
    address: str | None
    signatory: str | None
    signatory_position: str | None
    language: str
    notes: str
    emails: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class ClientFields:
    """What a client form submits (all fields at once: the form shows all of them)."""

    name: str
    domains: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    plan: str | None = None
    contract_no: str | None = None
    contract_date: date | None = None
    active_from: date | None = None
    active_until: date | None = None
    priority: bool = False
    inn: str | None = None
    kpp: str | None = None
    address: str | None = None
    signatory: str | None = None
    signatory_position: str | None = None
    language: str = "ru"
    notes: str = ""


def client_record(ws: Workspace, client_id: int) -> ClientRecord:
    with ws.db.session() as s:
        c = s.get(Client, client_id)
        if c is None:
            raise NotFound("this client no longer exists; someone removed it meanwhile")
        return _record(c)


def _record(c: Client) -> ClientRecord:
    return ClientRecord(
        id=c.id, name=c.name, plan=c.plan.code if c.plan else None, contract_no=c.contract_no,
        contract_date=c.contract_date, active_from=c.active_from, active_until=c.active_until,
        priority_support=c.priority_support, inn=c.inn, kpp=c.kpp, address=c.address,
        signatory=c.signatory, signatory_position=c.signatory_position, language=c.language or "ru",
        notes=c.notes or "",
        emails=tuple(sorted(a.value for a in c.addresses if a.kind == "email")),
        domains=tuple(sorted(a.value for a in c.addresses if a.kind == "domain")),
    )


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def check_client_fields(f: ClientFields) -> ClientFields:
    """The fields cleaned (trimmed, lower-cased addresses), or a plain ValidationError naming the
    field. Pure, so the dialog and :func:`add_client_record` check before anything is stored."""
    name = f.name.strip()
    if not name:
        raise ValidationError("a client needs a name")
    domains = tuple(dict.fromkeys(d.strip().lower().lstrip("@") for d in f.domains if d.strip()))
    for d in domains:
        if not _DOMAIN.match(d):
            raise ValidationError("{domain!r} is not a mail domain like example.ru", domain=d)
    emails = tuple(dict.fromkeys(normalise_address(e) for e in f.emails if e.strip()))
    for e in emails:
        if not _EMAIL.match(e):
            raise ValidationError("{address!r} is not an e-mail address", address=e)
    inn, kpp = _blank(f.inn), _blank(f.kpp)
    if inn is not None and not _INN.match(inn):
        raise ValidationError("the INN {inn!r} must be 10 digits (a company) or 12 digits (a person)", inn=inn)
    if kpp is not None:
        kpp = kpp.upper()
        if not _KPP.match(kpp):
            raise ValidationError("the KPP {kpp!r} must be 9 characters, like 770101001", kpp=kpp)
    if f.language not in CLIENT_LANGUAGES:
        raise ValidationError("the client's language must be ru or en, not {language!r}", language=f.language)
    if f.active_from and f.active_until and f.active_until < f.active_from:
        raise ValidationError(
            "the service cannot end ({until}) before it starts "
            "({since})", until=f.active_until.isoformat(), since=f.active_from.isoformat()
        )
    return ClientFields(
        name=name, domains=domains, emails=emails, plan=_blank(f.plan), contract_no=_blank(f.contract_no),
        contract_date=f.contract_date, active_from=f.active_from, active_until=f.active_until,
        priority=f.priority, inn=inn, kpp=kpp, address=_blank(f.address), signatory=_blank(f.signatory),
        signatory_position=_blank(f.signatory_position), language=f.language, notes=f.notes.strip(),
    )


def add_client_record(ws: Workspace, fields: ClientFields) -> int:
    """Add a client with every field the form has (``add_client`` is the CLI's smaller set)."""
    f = check_client_fields(fields)
    client_id = add_client(
        ws, f.name, domains=list(f.domains), emails=list(f.emails), plan=f.plan,
        contract_no=f.contract_no, contract_date=f.contract_date, active_until=f.active_until,
        priority=f.priority, inn=f.inn, kpp=f.kpp, address=f.address, signatory=f.signatory,
    )
    with ws.db.session() as s:
        c = s.get(Client, client_id)
        if c is not None:
            c.active_from, c.signatory_position = f.active_from, f.signatory_position
            c.language, c.notes = f.language, f.notes
    return client_id


def update_client(
    ws: Workspace, client_id: int, fields: ClientFields, expected: ClientRecord | None = None
) -> ClientRecord:
    """Replace a client's fields and addresses; refuse if it changed since ``expected`` was read.

    Tickets already opened keep the plan they were opened under; the new plan applies to new
    tickets (the plan is copied onto a ticket when it is created)."""
    f = check_client_fields(fields)
    try:
        with ws.db.session() as s:
            c = s.get(Client, client_id)
            if c is None:
                raise NotFound("this client no longer exists; someone removed it meanwhile")
            if expected is not None and _record(c) != expected:
                raise ConflictError(
                    "the client {name!r} was changed by someone else while you edited it; "
                    "your changes are still in the form — look at theirs and save again to replace them", name=c.name
                )
            plan_id = None
            if f.plan:
                plan_id = s.scalar(select(Plan.id).where(Plan.code == f.plan.lower()))
                if plan_id is None:
                    known = ", ".join(s.scalars(select(Plan.code).order_by(Plan.position)))
                    raise ValidationError("unknown plan {plan!r}; known plans: {known}", plan=f.plan, known=known)
            if f.name != c.name and s.scalar(select(Client.id).where(Client.name == f.name)) is not None:
                raise ValidationError("a client named {name!r} already exists", name=f.name)
            c.name, c.plan_id, c.contract_no, c.contract_date = f.name, plan_id, f.contract_no, f.contract_date
            c.active_from, c.active_until, c.priority_support = f.active_from, f.active_until, f.priority
            c.inn, c.kpp, c.address, c.signatory = f.inn, f.kpp, f.address, f.signatory
            c.signatory_position, c.language, c.notes = f.signatory_position, f.language, f.notes
            wanted = {("domain", d) for d in f.domains} | {("email", e) for e in f.emails}
            for a in list(c.addresses):
                if (a.kind, a.value) not in wanted:
                    c.addresses.remove(a)
            s.flush()  # removed addresses go first, so moving one between kinds is no clash
            have = {(a.kind, a.value) for a in c.addresses}
            for kind, value in sorted(wanted - have):
                c.addresses.append(ClientAddress(kind=kind, value=value))
            s.flush()
            s.expire(c, ["plan"])  # the relationship still holds the plan before plan_id changed
            return _record(c)
    except IntegrityError as exc:
        raise ValidationError(
            "one of these addresses or domains already belongs to another client"
        ) from exc


def delete_client(ws: Workspace, expected: ClientRecord) -> None:
    """Remove a client entered by mistake, with its addresses.

    A client with tickets is part of the support history (acts, reports, the tickets' client
    cards), so it is refused in plain words: ending its service keeps the history and stops new
    mail from counting as covered. A change made elsewhere since ``expected`` was read is refused
    too, so nobody deletes what they have not seen."""
    from sqlalchemy import func

    from desktop.store.models import Ticket

    with ws.db.session() as s:
        c = s.get(Client, expected.id)
        if c is None:
            raise NotFound("this client no longer exists; someone removed it meanwhile")
        if _record(c) != expected:
            raise ConflictError(
                "the client {name!r} was changed by someone else meanwhile; look at it again before removing it",
                name=c.name,
            )
        tickets = int(s.scalar(select(func.count(Ticket.id)).where(Ticket.client_id == c.id)) or 0)
        if tickets:
            raise ValidationError(
                "the client {name!r} has {count} tickets, so it stays in the history; set the end "
                "of its service instead", name=c.name, count=tickets,
            )
        s.delete(c)
