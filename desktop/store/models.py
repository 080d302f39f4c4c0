"""The data model (SQLAlchemy 2.0 typed mappings).

Large payloads (raw mail, attachments, rendered acts) live as content-addressed blobs in the data
folder; rows keep their sha256. Tickets carry an optimistic ``version`` (R-TEAM-2) and the
computed SLA deadlines so the queue sorts by them in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.store.base import NAMING, Base


class Setting(Base):
    """Workspace-wide configurable values (R-… "configurable" means stored here)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Sequence(Base):
    """Counters for TIDs and act numbers: incremented in the writer's transaction."""

    __tablename__ = "sequences"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Calendar(Base):
    __tablename__ = "calendars"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)


class Plan(Base):
    """A support plan (тариф): its calendar and reaction/resolution targets."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id"))
    targets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    priority_support: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    calendar: Mapped[Calendar] = relationship()


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    #: A retired department is offered nowhere but stays on the tickets that have it (0015).
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20), default="agent")  # agent | lead | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: When the agent's window last saw them at work: a warning goes to the tray while they are
    #: there, by mail when they are not.
    seen_at: Mapped[datetime | None]


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    contract_no: Mapped[str | None] = mapped_column(String(100))
    contract_date: Mapped[date | None] = mapped_column(Date)
    active_from: Mapped[date | None] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)
    priority_support: Mapped[bool] = mapped_column(Boolean, default=False)
    inn: Mapped[str | None] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    address: Mapped[str | None] = mapped_column(Text)
    signatory: Mapped[str | None] = mapped_column(String(200))
    signatory_position: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="ru")
    notes: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[Plan | None] = relationship()
    addresses: Mapped[list[ClientAddress]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )


class ClientAddress(Base):
    """How mail is recognised as a client's: an exact address or a whole domain."""

    __tablename__ = "client_addresses"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # email | domain
    value: Mapped[str] = mapped_column(String(320), index=True)
    client: Mapped[Client] = relationship(back_populates="addresses")


class ReasonRow(Base):
    """Refusal/postponement reasons with their reply templates (R-TICKET-4)."""

    __tablename__ = "reasons"
    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_ru: Mapped[str] = mapped_column(String(200))
    use: Mapped[str] = mapped_column(String(10), default="both")
    offer: Mapped[str | None] = mapped_column(String(10))
    template_en: Mapped[str] = mapped_column(Text, default="")
    template_ru: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CannedResponse(Base):
    __tablename__ = "canned_responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="ru")
    body: Mapped[str] = mapped_column(Text)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_queue", "status", "priority_rank", "received_at"),
        Index("ix_tickets_order", "priority_rank", "received_at", "id"),  # migration 0002
        Index("ix_tickets_reaction_due", "reaction_due_at"),
        # The dashboard's backlog from the index alone, and its reactions answered in a period
        # (migration 0010).
        Index("ix_tickets_backlog", "status", "department_id", "assignee_id"),
        Index("ix_tickets_first_reply", "first_reply_at", "received_at"),
        # The dashboard's tickets at risk picked from the index alone (migration 0017).
        Index("ix_tickets_running", "status", "plan_id", "first_reply_at", "reaction_due_at", "resolved_at",
              "resolution_due_at", "archived"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    tid: Mapped[str] = mapped_column(String(30), unique=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    requester: Mapped[str] = mapped_column(String(320), default="", index=True)
    requester_name: Mapped[str] = mapped_column(String(300), default="")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    channel: Mapped[str] = mapped_column(String(10), default="email")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    category: Mapped[str] = mapped_column(String(20), default="other")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    # 0 = clients with priority/extended support first (R-SLA-6), 1 = everyone else.
    priority_rank: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("reasons.code"))
    reason_note: Mapped[str] = mapped_column(Text, default="")
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_reason: Mapped[str] = mapped_column(Text, default="")
    paid_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Why the work is (or is suggested as) paid: desktop.domain.paid.PaidBasis (migration 0014).
    paid_basis: Mapped[str | None] = mapped_column(String(20))
    written_only: Mapped[bool] = mapped_column(Boolean, default=False)
    password_reminder: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Imported from what the mailbox held before it was connected (migration 0005): closed,
    #: without deadlines, not measured against the regulation.
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(index=True)
    first_reply_at: Mapped[datetime | None]
    taken_at: Mapped[datetime | None]
    waiting_since: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    last_client_message_at: Mapped[datetime | None]
    last_message_at: Mapped[datetime | None]
    reaction_due_at: Mapped[datetime | None]
    resolution_due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    client: Mapped[Client | None] = relationship()
    plan: Mapped[Plan | None] = relationship()
    department: Mapped[Department | None] = relationship()
    assignee: Mapped[Agent | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.received_at, Message.id"
    )

    __mapper_args__ = {"version_id_col": version}


class SlaPause(Base):
    """A span when the SLA clock stood still (waiting for the client)."""

    __tablename__ = "sla_pauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class MailAccount(Base):
    """An IMAP/SMTP mailbox; its password is in the OS keyring, never here (R-CRED-1)."""

    __tablename__ = "mail_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    imap_host: Mapped[str] = mapped_column(String(255))
    imap_port: Mapped[int] = mapped_column(Integer)
    smtp_host: Mapped[str | None] = mapped_column(String(255))
    smtp_port: Mapped[int | None] = mapped_column(Integer)
    security: Mapped[str] = mapped_column(String(10), default="ssl")
    smtp_security: Mapped[str | None] = mapped_column(String(10))
    username: Mapped[str] = mapped_column(String(320))
    smtp_username: Mapped[str | None] = mapped_column(String(320))  # None: as for IMAP
    ca_file: Mapped[str | None] = mapped_column(String(1000))  # a private CA, trusted besides the system's
    allow_insecure: Mapped[bool] = mapped_column(Boolean, default=False)
    folder: Mapped[str] = mapped_column(String(200), default="INBOX")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # "password" or "oauth2"; for OAuth 2.0 the grant's refresh token is in the keyring.
    auth_method: Mapped[str] = mapped_column(String(10), default="password", server_default="password")
    oauth_provider: Mapped[str | None] = mapped_column(String(20))  # microsoft|google|yandex|custom
    oauth_issuer: Mapped[str | None] = mapped_column(String(500))  # custom: OpenID discovery
    oauth_client_id: Mapped[str | None] = mapped_column(String(200))
    sent_folder: Mapped[str | None] = mapped_column(String(200))  # None: SPECIAL-USE \Sent, else usual names
    sent_copies: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Names its keyring entries: made once, never changed (see migration 0007).
    key_id: Mapped[str | None] = mapped_column(String(36))


class SyncState(Base):
    """The IMAP checkpoint, committed in the same transaction as the messages it covers."""

    __tablename__ = "sync_state"
    __table_args__ = (UniqueConstraint("account_id", "folder"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mail_accounts.id", ondelete="CASCADE"))
    folder: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    highestmodseq: Mapped[int | None] = mapped_column(BigInteger)
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    lock_holder: Mapped[str | None] = mapped_column(String(200))
    lock_expires_at: Mapped[datetime | None]


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("account_id", "uidvalidity", "uid", name="uq_messages_imap"),
        Index("ix_messages_message_id", "message_id"),
        Index("ix_messages_content_hash", "content_hash"),
        Index("ix_messages_identity", "identity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(5))  # in | out | note
    account_id: Mapped[int | None] = mapped_column(ForeignKey("mail_accounts.id"))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[str | None] = mapped_column(String(998))
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list[Any]] = mapped_column(JSON, default=list)
    from_addr: Mapped[str] = mapped_column(String(320), default="")
    from_name: Mapped[str] = mapped_column(String(300), default="")
    to_addrs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cc_addrs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    bcc_addrs: Mapped[list[Any] | None] = mapped_column(JSON)  # outgoing only (migration 0016)
    subject: Mapped[str] = mapped_column(Text, default="")
    sent_date: Mapped[datetime | None]
    received_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)
    threaded_by: Mapped[str] = mapped_column(String(30), default="new_ticket")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    # R-MAIL-11: the same message when it comes back (desktop/mail/identity.py), and how often
    # it has come back since (a restored mailbox, a copy in another folder).
    identity: Mapped[str | None] = mapped_column(String(64))
    seen_again: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    size: Mapped[int] = mapped_column(Integer, default=0)
    author: Mapped[str | None] = mapped_column(String(100))  # agent login for out/note
    created_at: Mapped[datetime]
    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content_id: Mapped[str | None] = mapped_column(String(998))
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[Message] = relationship(back_populates="attachments")


class Quarantined(Base):
    """Mail that could not be parsed: kept raw with its error, never lost (R-MAIL-5)."""

    __tablename__ = "quarantine"
    __table_args__ = (
        UniqueConstraint("account_id", "uidvalidity", "uid", name="uq_quarantine_imap"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("mail_accounts.id"))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class OutboxItem(Base):
    """Mail waiting to go out; a failed send stays here and is retried (R-MAIL-7)."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    message_row_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("mail_accounts.id"))
    kind: Mapped[str] = mapped_column(String(20))  # ack | reply | notification | act | reminder
    raw_sha256: Mapped[str] = mapped_column(String(64))
    envelope_from: Mapped[str] = mapped_column(String(320))
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    smtp_message_id: Mapped[str] = mapped_column(String(998))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class AutoReplyLog(Base):
    """When we auto-replied to whom: the per-sender hourly limit of R-MAIL-4 counts these."""

    __tablename__ = "autoreply_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(320), index=True)
    sent_at: Mapped[datetime]


class HistoryEvent(Base):
    """The audit trail (R-TICKET-6): who changed what, when."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    field: Mapped[str | None] = mapped_column(String(50))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Draft(Base):
    """A reply being written; kept so nothing typed is lost on a crash."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("ticket_id", "agent_login"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    agent_login: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime]
    # The rest of the reply being written (migration 0016): None is "as the reply would be".
    to_addrs: Mapped[list[Any] | None] = mapped_column(JSON)
    cc_addrs: Mapped[list[Any] | None] = mapped_column(JSON)
    bcc_addrs: Mapped[list[Any] | None] = mapped_column(JSON)
    quote: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    files: Mapped[list[Any] | None] = mapped_column(JSON)  # [{filename, content_type, size, sha256}]


class Act(Base):
    """An acceptance or bilateral act (R-ACT)."""

    __tablename__ = "acts"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="acceptance")  # acceptance | bilateral
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    previous_act_id: Mapped[int | None] = mapped_column(ForeignKey("acts.id"))
    act_date: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(5), default="ru")
    status: Mapped[str] = mapped_column(String(20), default="issued")
    # issued | sent | accepted | refused | deemed_accepted | follow_up | superseded
    works: Mapped[list[Any]] = mapped_column(JSON, default=list)
    total: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    docx_sha256: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    refusal_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100), default="")


class ReworkItem(Base):
    """A rework item of a bilateral act, tracked with a deadline like an SLA target."""

    __tablename__ = "rework_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    deadline_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class WorkLog(Base):
    """Work done on a ticket with its time (and price when paid): the lines of an act."""

    __tablename__ = "work_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    agent_login: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime]


# Tables kept in modules of their own, named here too so that importing this module registers
# every table in ``Base.metadata`` (migrations and their tests compare against it).
from desktop.store.live_models import ChangeLog, Presence  # noqa: E402
from desktop.store.regulation_models import CalendarYear, SlaWarning  # noqa: E402
from desktop.store.view_models import SavedView  # noqa: E402

__all__ = ["NAMING", "Base", "CalendarYear", "ChangeLog", "Presence", "SavedView", "SlaWarning"]
