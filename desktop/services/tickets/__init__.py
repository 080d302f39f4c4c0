"""Ticket use cases (R-TICKET-1..8), the only path by which tickets change: ``create``,
``lifecycle`` (statuses), ``fields`` (assignee, fields, flags, notes, work), ``threads`` (merge),
``thread_fix`` (confirm a thread, move a message, split), ``duplicates`` (the likely original). This face only hands their use cases on, so the GUI's actions and the CLI name one
subject — ``tickets.take_into_work(...)``; other use cases import from the module holding a name.
"""

from desktop.services.tickets.contact import log_contact
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.tickets.fields import (
    add_note,
    assign,
    log_work,
    set_flag,
    update_fields,
)
from desktop.services.tickets.lifecycle import (
    client_replied_in,
    close,
    escalate,
    postpone,
    refuse,
    reopen,
    request_information,
    resolve,
    take_into_work,
)
from desktop.services.tickets.paid import clear_paid, confirm_paid, set_paid
from desktop.services.tickets.thread_fix import confirm_thread, move_message, move_to_new, split
from desktop.services.tickets.threads import merge

__all__ = ["NewTicket", "add_note", "assign", "clear_paid", "client_replied_in", "close", "confirm_paid",
           "confirm_thread", "create_ticket_in", "escalate", "log_contact", "log_work", "merge", "move_message",
           "move_to_new", "postpone", "refuse",
           "reopen", "request_information", "resolve", "set_flag", "set_paid", "split",
           "take_into_work", "update_fields"]
