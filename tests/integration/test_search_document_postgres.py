"""The per-ticket search document on PostgreSQL (migration 0017): every path that changes what a
ticket says keeps its document in step — a message added, edited, moved, merged, deleted, a
subject edited, a ticket deleted, a bulk load — and a ticket whose mail outgrows one tsvector
is still found and never refuses a write. The same searches give the same tickets on SQLite,
and an existing database gets its documents when it is upgraded."""

from __future__ import annotations

import random
import shutil
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text, update

from desktop.services.reads import queue as qs
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.tickets.fields import update_fields
from desktop.services.tickets.thread_fix import move_message
from desktop.services.tickets.threads import merge
from desktop.services.workspace import open_workspace
from desktop.store.db import alembic_config
from desktop.store.models import Message, Ticket
from tests.conftest import DEMO_NOW, FixedClock
from tests.integration.test_search_postgres import _MESSAGE, _search, _ticket

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_ws(tmp_path: Path, postgres_url: str):
    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    yield ws
    ws.close()


def _add(ws, tid: str, body: str, author: str | None = None) -> int:
    with ws.db.session() as s:
        s.execute(_MESSAGE, {"tid": tid, "body": body, "direction": "in" if author is None else "out",
                             "author": author})
        return int(s.scalar(select(Message.id).order_by(Message.id.desc()).limit(1)))


def _ticket_id(ws, tid: str) -> int:
    with ws.db.reading() as s:
        return int(s.scalar(select(Ticket.id).where(Ticket.tid == tid)))


def _documents_match_a_rebuild(ws) -> None:
    """What the triggers kept equals each ticket's document written afresh."""
    with ws.db.engine.begin() as con:
        kept = dict(con.execute(text("SELECT ticket_id, document::text FROM ticket_search")).all())
        con.execute(text("SELECT reglament_search_rebuild(ARRAY(SELECT id FROM tickets))"))
        fresh = dict(con.execute(text("SELECT ticket_id, document::text FROM ticket_search")).all())
        con.rollback()
    assert kept == fresh


def test_a_new_message_adds_its_words_and_automatic_mail_does_not(pg_ws) -> None:
    ws = pg_ws
    tid = _ticket(ws, "Форма", "Не работает форма")
    assert _search(ws, "выгрузка") == set()
    _add(ws, tid, "И выгрузка каталога тоже сломалась")
    _add(ws, tid, "Ваше обращение зарегистрировано", author="system")
    assert _search(ws, "выгрузка") == {tid}
    assert _search(ws, "зарегистрировано") == set()
    # every word somewhere in the conversation, not necessarily in one message
    assert _search(ws, "форма выгрузка") == {tid}
    _documents_match_a_rebuild(ws)


def test_an_edited_message_leaves_its_old_words_behind(pg_ws) -> None:
    ws = pg_ws
    tid = _ticket(ws, "Сайт", "Не открывается баннер")
    with ws.db.session() as s:
        s.execute(update(Message).where(Message.ticket_id == _ticket_id(ws, tid)).values(text="Не открывается корзина"))
    assert _search(ws, "баннер") == set()
    assert _search(ws, "корзина") == {tid}
    _documents_match_a_rebuild(ws)


def test_a_moved_message_takes_its_words_to_the_other_ticket(pg_ws) -> None:
    ws = pg_ws
    first = _ticket(ws, "Сайт", "Не открывается страница")
    second = _ticket(ws, "Почта", "Не приходят письма")
    stray = _add(ws, first, "Пароль от сервера утерян")
    assert _search(ws, "пароль") == {first}
    move_message(ws, stray, second)
    assert _search(ws, "пароль") == {second}
    assert _search(ws, "страница") == {first}
    _documents_match_a_rebuild(ws)


def test_a_merge_moves_the_whole_thread_in_one_rebuild(pg_ws) -> None:
    ws = pg_ws
    original = _ticket(ws, "Оплата", "Не проходит оплата")
    duplicate = _ticket(ws, "Оплата", "Снова не проходит оплата, ошибка 500")
    _add(ws, duplicate, "Телефон для связи: приложил")
    merge(ws, duplicate, original, notify=False)
    assert _search(ws, "телефон") == {original}
    assert _search(ws, "ошибка оплата") == {original}
    _documents_match_a_rebuild(ws)


def test_a_deleted_message_takes_its_words_away(pg_ws) -> None:
    ws = pg_ws
    tid = _ticket(ws, "Каталог", "Пропал раздел")
    extra = _add(ws, tid, "Отчёт не выгружается")
    with ws.db.session() as s:
        s.execute(delete(Message).where(Message.id == extra))
    assert _search(ws, "отчёт") == set()
    assert _search(ws, "раздел") == {tid}
    _documents_match_a_rebuild(ws)


def test_a_subject_edit_is_searched_by_its_new_words(pg_ws) -> None:
    ws = pg_ws
    with ws.db.session() as s:  # a ticket logged by hand: its words are its subject's alone
        tid = create_ticket_in(s, ws, NewTicket(subject="Баннер на главной", requester="c@example.org",
                                                received_at=ws.now())).tid
    with ws.db.session() as s:
        s.execute(text("INSERT INTO messages (ticket_id, direction, from_addr, from_name, subject, received_at, "
                       "text, threaded_by, created_at, size, \"references\", to_addrs, cc_addrs) SELECT id, "
                       "'note', '', '', '', received_at, 'Текст письма', 'note', received_at, 0, '[]', '[]', "
                       "'[]' FROM tickets WHERE tid = :tid"), {"tid": tid})
    assert _search(ws, "баннер") == {tid}
    assert update_fields(ws, tid, subject="Доставка на главной") == ["subject"]
    assert _search(ws, "баннер") == set()
    assert _search(ws, "доставка") == {tid}
    assert _search(ws, "текст") == {tid}  # the messages stay in the document
    _documents_match_a_rebuild(ws)


_BARE_TICKET = (
    "INSERT INTO tickets (number, tid, subject, requester, requester_name, channel, category, priority, "
    "priority_rank, status, reason_note, paid, paid_reason, paid_confirmed, written_only, "
    "password_reminder, flags, received_at, created_at, updated_at, version) VALUES (:n, :tid, "
    ":subject, 'a@b.example', '', 'email', 'other', 'normal', 1, 'new', '', false, '', "
    "false, false, false, '[]', now(), now(), now(), 1) RETURNING id")


def test_a_deleted_ticket_takes_its_document_with_it(pg_ws) -> None:
    ws = pg_ws
    with ws.db.session() as s:  # a ticket a script wrote, without history to keep it
        ticket_id = s.scalar(text(_BARE_TICKET), {"n": 900001, "tid": "TID-900001", "subject": "Упал сервер"})
    _add(ws, "TID-900001", "Сервер не отвечает")
    assert _search(ws, "сервер") == {"TID-900001"}
    with ws.db.session() as s:
        s.execute(delete(Message).where(Message.ticket_id == ticket_id))
        s.execute(delete(Ticket).where(Ticket.id == ticket_id))
    with ws.db.reading() as s:
        assert s.scalar(text("SELECT count(*) FROM ticket_search WHERE ticket_id = :t"), {"t": ticket_id}) == 0
    assert _search(ws, "сервер") == set()


def test_a_bulk_load_of_many_tickets_gets_every_document(pg_ws) -> None:
    ws = pg_ws
    tids = [_ticket(ws, f"Заявка {i}", "Первое письмо") for i in range(3)]
    with ws.db.session() as s:  # one statement for every ticket's second message, as COPY would
        s.execute(text(
            "INSERT INTO messages (ticket_id, direction, from_addr, from_name, subject, received_at, text, "
            "threaded_by, created_at, size, \"references\", to_addrs, cc_addrs) SELECT id, 'in', requester, '', "
            "subject, received_at, 'Второе письмо: ' || (ARRAY['корзина', 'доставка', 'баннер'])[number], 'references', received_at, 0, '[]', '[]', '[]' "
            "FROM tickets WHERE tid = ANY(:tids)"), {"tids": tids})
    assert _search(ws, "второе") == set(tids)
    assert _search(ws, "второе доставка") == {tids[1]}
    _documents_match_a_rebuild(ws)


def test_a_ticket_whose_mail_outgrows_a_tsvector_is_still_found(pg_ws) -> None:
    ws = pg_ws
    rng = random.Random(20)
    tid = _ticket(ws, "Журнал", "Прикладываю журнал сервера")

    def blob() -> str:  # ~40,000 distinct words: under 1 MB alone, over it together
        return " ".join("".join(rng.choices(string.ascii_lowercase, k=12)) for _ in range(40_000))

    for _ in range(3):
        _add(ws, tid, blob())  # never refused
    _add(ws, tid, "последнее письмо: сломалась корзина")
    with ws.db.reading() as s:
        assert s.scalar(text("SELECT partial FROM ticket_search WHERE ticket_id = :t"), {"t": _ticket_id(ws, tid)})
    assert _search(ws, "корзина") == {tid}   # in one of its messages, read one by one
    assert _search(ws, "журнал") == {tid}    # its own subject
    other = _ticket(ws, "Корзина", "Не работает корзина")
    assert _search(ws, "корзина") == {tid, other}


#: Words as their stems (PostgreSQL's stemmer also finds "оплату" for "оплата", SQLite's prefix
#: search does not), alone and together — every word anywhere in the ticket, on both engines.
_SAME_ON_BOTH = ("заказ", "оплат", "сайт", "не работает", "письм", "договор", "каталог страниц", "ошибк", "форм",
                 "заказ оплат", "сайт ошибк", "example", "nothing-like-this")


def test_the_same_searches_find_the_same_tickets_on_sqlite(tmp_path: Path, postgres_url: str,
                                                           demo_template: Path) -> None:
    from desktop.services.demo import fill_demo

    pg = open_workspace(home=tmp_path / "pg", db_url=postgres_url, clock=FixedClock(DEMO_NOW), actor="anna")
    home = tmp_path / "lite"
    shutil.copytree(demo_template, home)
    lite = open_workspace(home=home, clock=FixedClock(DEMO_NOW), actor="anna")
    try:
        fill_demo(pg)
        found_any = False
        for words in _SAME_ON_BOTH:
            on_pg, on_lite = _search(pg, words), _search(lite, words)
            assert on_pg == on_lite, words
            found_any = found_any or bool(on_pg)
        assert found_any
    finally:
        pg.close()
        lite.close()


def test_an_existing_database_gets_its_documents_on_upgrade(postgres_url: str) -> None:
    from alembic import command

    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(postgres_url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0012")
            conn.execute(text(_BARE_TICKET), {"n": 1, "tid": "TID-000001", "subject": "Вопрос по договору"})
            conn.execute(text(
                "INSERT INTO messages (ticket_id, direction, from_addr, from_name, subject, received_at, text, "
                "threaded_by, author, created_at, size, \"references\", to_addrs, cc_addrs) SELECT id, :d, '', '', "
                "'', now(), :body, 'new_ticket', :author, now(), 0, '[]', '[]', '[]' FROM tickets"),
                [{"d": "in", "body": "Пришлите счета", "author": None},
                 {"d": "out", "body": "Обращение зарегистрировано", "author": "system"}])
            command.upgrade(cfg, "head")
        with engine.connect() as conn:
            hits = {q: len(conn.execute(text("SELECT 1 FROM ticket_search WHERE document @@ to_tsquery('russian', :q)"),
                                        {"q": q}).all())
                    for q in ("счета:*", "договор:*", "зарегистрировано:*")}
            assert hits == {"счета:*": 1, "договор:*": 1, "зарегистрировано:*": 0}
    finally:
        engine.dispose()


def test_a_search_head_on_postgresql_is_one_search_for_screen_count_and_list(pg_ws) -> None:
    from sqlalchemy import event

    ws = pg_ws
    tids = [_ticket(ws, f"Заказ {i}", "Не пришёл заказ") for i in range(7)]
    searches: list[str] = []

    def seen(_conn, _cursor, statement, *_a) -> None:
        if "to_tsquery" in statement:
            searches.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", seen)
    try:
        head = qs.fetch_head(ws, qs.QueueSpec(search="заказ"), 3, count=False)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", seen)
    full = qs.fetch_ids(ws, qs.QueueSpec(search="заказ"))
    assert len(searches) == 1
    assert head.all_ids == full and head.total == len(full) == len(tids) and head.ids == full[:3]
