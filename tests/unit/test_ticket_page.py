"""The ticket page (desktop/services/reads/ticket_page.py): one read in a constant handful of
statements, whatever the length of the thread, and the same facts the CLI's JSON gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from desktop.errors import NotFound
from desktop.services import clients, tickets
from desktop.services.reads import listing
from desktop.services.reads.ticket_page import (
    read_ticket_page,
    read_ticket_page_of,
    ticket_countdowns,
)
from desktop.services.tickets.create import NewTicket, create_ticket_in
from tests.unit.test_ingest import T0, account, ingest

#: Statements one page read may take, however many messages, attachments and lines it has.
MAX_STATEMENTS = 10


def _mail(subject: str, n: int) -> bytes:
    """A client's message with an HTML body and an attachment (so each message has both)."""
    return (
        "From: Мария <m.ivanova@romashka.ru>\r\nTo: support@reglament.test\r\n"
        f"Subject: {subject}\r\nMessage-ID: <page-{n}@romashka.ru>\r\n"
        "Date: Tue, 17 Nov 2026 09:58:00 +0300\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        f"<p>Message {n}<script>alert(1)</script></p>\r\n"
        f"--b\r\nContent-Type: text/plain; name=\"log-{n}.txt\"\r\n"
        f"Content-Disposition: attachment; filename=\"log-{n}.txt\"\r\n\r\nline {n}\r\n"
        "--b--\r\n"
    ).encode()


def _ticket(ws, messages: int) -> str:
    """A client's ticket with ``messages`` messages from them, a note, work logged and a pause."""
    acc = account(ws)
    tid = ingest(ws, acc, _mail("Не работает форма", 0)).new_tickets[0]
    for n in range(1, messages):
        ingest(ws, acc, _mail(f"Re: [{tid}] Не работает форма", n), start_uid=n + 1)
    tickets.add_note(ws, tid, "Проверить журнал")
    tickets.log_work(ws, tid, "Посмотрел журнал", 30)
    tickets.take_into_work(ws, tid)
    tickets.request_information(ws, tid, "Пришлите снимок экрана")
    return tid


@contextmanager
def _statements(ws) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("messages", [1, 30])
def test_a_page_is_a_few_statements_whatever_the_thread(ws, messages: int) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    tid = _ticket(ws, messages)
    with _statements(ws) as seen:
        page = read_ticket_page(ws, tid, "ru")
    incoming = [m for m in page.thread if m.direction == "in"]
    assert len(incoming) == messages
    assert all(len(m.attachments) == 1 for m in incoming)
    assert len(page.notes) == 1 and len(page.work) == 1 and page.card is not None
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= MAX_STATEMENTS, "\n\n".join(selects)


def test_a_ticket_never_paused_and_without_work_is_read_without_asking_for_either(ws) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    full = _ticket(ws, 1)  # paused (waiting for the client) and with work logged
    with ws.db.session() as s:
        plain = create_ticket_in(s, ws, NewTicket(subject="Нет доступа к кабинету", requester="m.ivanova@romashka.ru",
                                                  received_at=ws.now())).tid
    with _statements(ws) as seen:
        page = read_ticket_page(ws, plain)
    assert page.work == () and page.status == "new" and page.countdowns
    assert not [s for s in seen if s.lstrip().startswith(("SELECT sla_pauses.", "SELECT work_log."))]
    with _statements(ws) as seen_full:
        full_page = read_ticket_page(ws, full)
    assert len(full_page.work) == 1 and full_page.status == "waiting_client"
    assert len(seen_full) == len(seen) + 2
    assert [s for s in seen_full if s.lstrip().startswith("SELECT sla_pauses.")]


def test_the_same_number_of_statements_for_one_message_and_thirty(tmp_path, clock) -> None:
    from desktop.services.workspace import open_workspace

    counts = []
    for messages in (1, 30):
        ws = open_workspace(home=tmp_path / f"home{messages}", clock=clock, actor="tester")
        try:
            clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
            tid = _ticket(ws, messages)
            with _statements(ws) as seen:
                read_ticket_page(ws, tid)
            counts.append(len(seen))
        finally:
            ws.close()
    assert counts[0] == counts[1]


def test_the_page_holds_what_the_pane_shows(ws, clock) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    tid = _ticket(ws, 2)
    page = read_ticket_page(ws, tid, "en")
    assert page.tid == tid and page.status == "waiting_client" and page.assignee == "tester"
    assert page.client == "Ромашка" and page.plan_name("en") and page.plan_name("ru")
    # HTML bodies are sanitized (R-MAIL-8): the script is gone, the words stay.
    bodies = [page.html_bodies[m.id] for m in page.thread if m.has_html]
    assert len(bodies) == 2 and all("<script" not in b and "Message" in b for b in bodies)
    assert page.newest_message_id == max(m.id for m in page.thread)
    assert page.history[0].action == "created"
    # Taken into work with the client told: the reaction target is met, and the header says so.
    assert [(kind, cd.state) for kind, cd in page.countdowns] == [("reaction", "met")]
    assert ticket_countdowns(ws, tid, "en") == page.countdowns
    clock.advance(hours=2)
    assert read_ticket_page(ws, tid, "en", now=clock() - timedelta(hours=2)).countdowns == page.countdowns


def test_the_cli_json_is_the_page(ws) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    tid = _ticket(ws, 3)
    page = read_ticket_page(ws, tid)
    data = listing.ticket_detail(ws, tid)
    assert data == page.to_json()
    assert data["message_count"] == len(page.thread) and data["plan_names"] == {
        "en": page.plan_en, "ru": page.plan_name("ru")}
    assert data["messages"][0]["attachments"][0]["filename"] == "log-0.txt"


def test_a_ticket_that_does_not_exist_is_named(ws) -> None:
    with pytest.raises(NotFound):
        read_ticket_page(ws, "TID-999999")


def test_a_queue_row_reads_its_page_by_the_ticket_id(ws) -> None:
    """The queue knows every row's ticket id before the row's text: the same page, by id."""
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    tid = _ticket(ws, 2)
    page = read_ticket_page(ws, tid)
    assert read_ticket_page_of(ws, page.id, now=ws.now()) == read_ticket_page(ws, tid, now=ws.now())
    with pytest.raises(NotFound):
        read_ticket_page_of(ws, page.id + 1000)


def test_a_ticket_is_found_by_its_number_typed_another_way(ws) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    tid = _ticket(ws, 1)
    prefix, _, number = tid.rpartition("-")
    assert read_ticket_page(ws, f"{prefix.lower()}-{int(number)}").tid == tid  # no zero padding
    assert read_ticket_page(ws, f"[{tid.lower()}]").tid == tid


def test_a_ticket_of_an_unknown_sender_has_no_card(ws) -> None:
    acc = account(ws)
    tid = ingest(ws, acc, _mail("Вопрос", 0), at=T0).new_tickets[0]
    page = read_ticket_page(ws, tid)
    assert page.card is None and page.client is None
