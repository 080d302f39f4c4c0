"""Whether a workspace is still empty — no mail account and no ticket — so the window greets
its agent with the first-run page (connect a mailbox, open the demo) instead of a blank queue.

Two existence checks, cheap on 100,000 tickets and on a team's PostgreSQL: the window asks
again on its periodic pass, so the page goes once an account or a ticket exists (added here or
by a colleague) and comes back only if the workspace is empty again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount, Ticket


@dataclass(frozen=True)
class StartState:
    has_accounts: bool
    has_tickets: bool

    @property
    def empty(self) -> bool:
        return not (self.has_accounts or self.has_tickets)


def start_state(ws: Workspace) -> StartState:
    """Any account (enabled or not: a switched-off mailbox is still set up) and any ticket
    (closed and archived ones too)."""
    with ws.db.reading() as s:
        accounts = bool(s.scalar(select(exists().where(MailAccount.id.is_not(None)))))
        tickets = bool(s.scalar(select(exists().where(Ticket.id.is_not(None)))))
    return StartState(accounts, tickets)
