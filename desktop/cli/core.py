"""Core sub-commands: demo, client, plan, tickets, ticket, stats."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from desktop.cli import client_plan
from desktop.cli.common import opened, print_json, shorten, shown_time, table
from desktop.domain.tickets import Status
from desktop.errors import ValidationError
from desktop.services import clients, tickets
from desktop.services.reads import listing

Sub = argparse._SubParsersAction


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="fill the data folder with sample clients, plans and tickets")
    p.add_argument("--force", action="store_true", help="add the sample data even if tickets exist")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("client", help="clients")
    csub = p.add_subparsers(dest="client_command", metavar="ACTION", required=True)
    a = csub.add_parser("add", help="add a client")
    a.add_argument("--name", required=True)
    a.add_argument("--email-domain", action="append", default=[], dest="domains")
    a.add_argument("--email", action="append", default=[], dest="emails")
    a.add_argument("--plan")
    a.add_argument("--contract")
    a.add_argument("--active-until", type=_date)
    a.add_argument("--priority", action="store_true", help="extended/priority support")
    a.add_argument("--inn")
    a.add_argument("--kpp")
    a.add_argument("--address")
    a.set_defaults(handler=cmd_client_add)
    ls = csub.add_parser("list", help="list clients")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_client_list)
    client_plan.register(csub)

    p = sub.add_parser("plan", help="support plans")
    psub = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    ls = psub.add_parser("list", help="list plans")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_plan_list)

    p = sub.add_parser("tickets", help="list tickets")
    p.add_argument("--status", type=_status, help="one of: " + ", ".join(s.value for s in Status))
    p.add_argument("--view", help="a view: mine, unassigned, waiting, breaching, acceptance, all, "
                                  "or the name of a saved view (see 'reglament views list')")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_tickets)

    p = sub.add_parser("ticket", help="one ticket: show it or act on it")
    tsub = p.add_subparsers(dest="ticket_command", metavar="ACTION", required=True)
    s = tsub.add_parser("show", help="show a ticket")
    s.add_argument("tid")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_ticket_show)
    s = tsub.add_parser("take", help="take into work (the client is notified)")
    s.add_argument("tid")
    s.add_argument("--no-notify", action="store_true")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.take_into_work(ws, a.tid, notify=not a.no_notify)))
    s = tsub.add_parser("resolve", help="mark the work done")
    s.add_argument("tid")
    s.add_argument("--summary", default="")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.resolve(ws, a.tid, summary=a.summary)))
    s = tsub.add_parser("close", help="close a ticket")
    s.add_argument("tid")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.close(ws, a.tid)))
    s = tsub.add_parser("refuse", help="refuse with a reason (its reply template is sent)")
    s.add_argument("tid")
    s.add_argument("--reason", required=True)
    s.add_argument("--note", default="")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.refuse(ws, a.tid, a.reason, note=a.note)))
    s = tsub.add_parser("postpone", help="postpone with a reason")
    s.add_argument("tid")
    s.add_argument("--reason", required=True)
    s.add_argument("--note", default="")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.postpone(ws, a.tid, a.reason, note=a.note)))
    s = tsub.add_parser("reply", help="reply to the client (text as an argument or '-' for stdin)")
    s.add_argument("tid")
    s.add_argument("text")
    s.add_argument("--to", action="append", default=[], help="recipient (default: the requester); repeatable")
    s.add_argument("--cc", action="append", default=[], help="copy to this address; repeatable")
    s.add_argument("--bcc", action="append", default=[], help="blind copy to this address; repeatable")
    s.add_argument("--attach", action="append", default=[], metavar="FILE", help="attach a file; repeatable")
    s.add_argument("--quote", action="store_true", help="quote the message being answered under the text")
    s.set_defaults(handler=cmd_reply)
    s = tsub.add_parser("ask", help="request information from the client (the SLA clock pauses)")
    s.add_argument("tid")
    s.add_argument("text")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.request_information(ws, a.tid, _text(a.text))))
    s = tsub.add_parser("escalate", help="hand to development or another department")
    s.add_argument("tid")
    s.add_argument("--department")
    s.add_argument("--note", default="")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.escalate(
        ws, a.tid, to_department=a.department, note=a.note)))
    s = tsub.add_parser("assign", help="assign to an agent (login), or unassign with '-'")
    s.add_argument("tid")
    s.add_argument("login")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.assign(
        ws, a.tid, None if a.login == "-" else a.login)))
    s = tsub.add_parser("reopen", help="take a closed, refused or postponed ticket back to work")
    s.add_argument("tid")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.reopen(ws, a.tid)))
    s = tsub.add_parser("work", help="log work done (the lines of the acceptance act)")
    s.add_argument("tid")
    s.add_argument("description")
    s.add_argument("--minutes", type=int, required=True)
    s.add_argument("--amount", help="price in roubles, for paid work")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.log_work(
        ws, a.tid, a.description, a.minutes, a.amount)))
    s = tsub.add_parser("split", help="move the given messages (ids from 'ticket show --json') to a new ticket")
    s.add_argument("tid")
    s.add_argument("message_ids", type=int, nargs="+")
    s.add_argument("--subject", type=_subject, help=f"at most {SUBJECT_MAX} characters")
    s.set_defaults(handler=cmd_split)
    s = tsub.add_parser("note", help="add an internal note (text as an argument or '-' for stdin)")
    s.add_argument("tid")
    s.add_argument("text")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.add_note(ws, a.tid, _text(a.text))))
    s = tsub.add_parser("merge", help="merge a duplicate into the original (its messages move over)")
    s.add_argument("tid")
    s.add_argument("--into", required=True, metavar="TID")
    s.add_argument("--no-notify", action="store_true", help="do not tell the client")
    s.set_defaults(handler=lambda a: _act(a, lambda ws: tickets.merge(ws, a.tid, a.into, notify=not a.no_notify)))

    p = sub.add_parser("stats", help="counts of tickets, messages, quarantined and pending mail")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)


#: The longest subject a person may give: a subject is a line people read (RFC 5322 keeps a
#: header line under 998 characters; nobody reads 250 characters of subject).
SUBJECT_MAX = 250


def _subject(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > SUBJECT_MAX:
        raise argparse.ArgumentTypeError(
            f"the subject is {len(text)} characters long; at most {SUBJECT_MAX} are allowed"
        )
    return text


def _status(text: str) -> str:
    try:
        return Status(text.strip().lower()).value
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise argparse.ArgumentTypeError(f"unknown status {shorten(text)!r}; known: {known}") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not a date like 2026-12-31") from None


def _act(args: argparse.Namespace, fn) -> int:  # type: ignore[no-untyped-def]
    with opened(args) as ws:
        fn(ws)
    return 0


def _text(value: str) -> str:
    """``-`` reads the text from standard input (a pipe, a file), as ``ticket reply`` does."""
    if value != "-":
        return value
    if sys.stdin is None or sys.stdin.isatty():
        raise ValidationError("'-' reads the text from standard input; pipe it in, e.g. < note.txt")
    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise ValidationError("the text on standard input is not UTF-8; nothing was saved") from None


def cmd_reply(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.services.composer import drafts
    from desktop.services.replies import reply

    text = _text(args.text)
    with opened(args) as ws:
        stashed: list[drafts.DraftFile] = []
        for name in args.attach:
            stashed.append(drafts.stash_file(ws, Path(name), tuple(stashed)))
        reply(ws, args.tid, text, files=drafts.outgoing_files(ws, stashed), to=args.to or None,
              cc=args.cc, bcc=args.bcc, quote=args.quote)
    print(f"reply to {args.tid} queued for sending")
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        new = tickets.split(ws, args.tid, args.message_ids, args.subject)
    print(new)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.services.demo import fill_demo

    with opened(args) as ws:
        made = fill_demo(ws, force=args.force)
    print(f"demo workspace ready in {ws.paths.home}: {made} tickets added")
    return 0


def cmd_client_add(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        clients.add_client(
            ws, args.name, domains=args.domains, emails=args.emails, plan=args.plan,
            contract_no=args.contract, active_until=args.active_until, priority=args.priority,
            inn=args.inn, kpp=args.kpp, address=args.address,
        )
    print(f"client {args.name!r} added")
    return 0


def cmd_client_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        rows = clients.list_clients(ws)
        today = ws.now().date()
    if args.json:
        print_json([c.to_json(today) for c in rows])
        return 0
    table(
        [[c.name, c.plan or "-", c.contract_no or "-",
          c.active_until.isoformat() if c.active_until else "-",
          "yes" if c.service_active(today) else "EXPIRED", ", ".join(c.domains + c.emails)] for c in rows],
        ["NAME", "PLAN", "CONTRACT", "ACTIVE UNTIL", "SERVICE", "ADDRESSES"],
    )
    return 0


def cmd_plan_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        rows = listing.plans(ws)
    if args.json:
        print_json(rows)
        return 0

    def target(plan: dict[str, Any], priority: str, kind: str) -> str:
        for t in plan["targets"].get(priority, []):
            if t["kind"] == kind:
                minutes = int(t["seconds"]) // 60
                return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
        return "-"

    table(
        [[p["code"], p["name"], p["calendar_name"],
          " / ".join(target(p, pr, "reaction") for pr in ("normal", "high", "urgent")),
          " / ".join(target(p, pr, "resolution") for pr in ("normal", "high", "urgent"))]
         for p in rows],
        ["CODE", "NAME", "CALENDAR", "REACTION normal/high/urgent", "RESOLUTION normal/high/urgent"],
    )
    return 0


def cmd_tickets(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        rows = listing.list_tickets(ws, args.status, getattr(args, "view", None))
    if args.json:
        print_json(rows)
        return 0
    table(
        [[r["tid"], r["status"], (r["client"] or "—")[:24], (r["subject"] or "(no subject)")[:50],
          shown_time(r["reaction_due_at"])] for r in rows],
        ["TID", "STATUS", "CLIENT", "SUBJECT", "REACTION DUE"],
    )
    return 0


def cmd_ticket_show(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        data = listing.ticket_detail(ws, args.tid)
    if args.json:
        print_json(data)
        return 0
    print(f"{data['tid']}  [{data['status']}]  {data['subject']}")
    print(f"from {data['requester']}  client: {data['client'] or 'not identified'}  plan: {data['plan'] or '-'}")
    print(f"received {shown_time(data['received_at'])}  reaction due {shown_time(data['reaction_due_at'])}"
          f"  resolution due {shown_time(data.get('resolution_due_at'))}")
    if data["flags"]:
        print("flags: " + ", ".join(data["flags"]))
    if data.get("duplicate_candidate"):
        c = data["duplicate_candidate"]
        print(f"possible duplicate of {c['tid']} ({c['status']}): {c['subject']}")
    loops = data["autoreplies"]
    if loops["held_back_hour"] or loops["sent_hour"]:
        print(f"automatic replies held back for this sender: {loops['held_back_hour']} this hour "
              f"(sent {loops['sent_hour']} of {loops['limit']} allowed an hour)")
    if data["paid"] or "paid_suggested" in data["flags"]:
        print(("paid work: " if data["paid"] else "suggested as paid work: ") + (data["paid_reason"] or "-"))
    for act in data["acts"]:
        print(f"act {act['number']} ({act['kind']}, {act['status']})")
    for r in data["rework"]:
        print(f"rework {r['id']}: {r['description']} — due {shown_time(r['deadline_at'])}"
              + (f", done {shown_time(r['done_at'])}" if r["done_at"] else f" ({r['state']})"))
    for m in data["messages"]:
        again = f", seen again {m['seen_again']}x" if m.get("seen_again") else ""
        print(f"\n--- #{m['id']} {m['direction']} {shown_time(m['date'])} {m['from']} ({m['threaded_by']}{again})")
        print(m["text"].strip())
        for a in m["attachments"]:
            print(f"  [attachment] {a['filename']} ({a['size']} bytes)")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        data = listing.stats(ws)
    if args.json:
        print_json(data)
    else:
        for k, v in data.items():
            print(f"{k}: {v}")
    return 0
