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

from desktop.errors import NotFound, ValidationError
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
            raise ValidationError(f"{d!r} is not a mail domain like example.ru")
    clean_emails = [normalise_address(e) for e in emails]
    for e in clean_emails:
        if not _EMAIL.match(e):
            raise ValidationError(f"{e!r} is not an e-mail address")
    try:
        with ws.db.session() as s:
            plan_row = None
            if plan:
                plan_row = s.scalar(select(Plan).where(Plan.code == plan.lower()))
                if plan_row is None:
                    known = ", ".join(s.scalars(select(Plan.code).order_by(Plan.position)))
                    raise ValidationError(f"unknown plan {plan!r}; known plans: {known}")
            if s.scalar(select(Client).where(Client.name == name)) is not None:
                raise ValidationError(f"a client named {name!r} already exists")
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
            raise NotFound(f"there is no client {name!r}")
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
