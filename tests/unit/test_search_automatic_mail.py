"""Search finds what clients and agents wrote, not the words of the mail Reglament sends on its
own: every new ticket's acknowledgement comes from one template, and its words would otherwise
match every ticket (migration 0004). Both search paths — SQLite's index and the portable one
PostgreSQL uses — agree."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desktop.services.reads import queue as qs
from desktop.store import queue as store_queue
from desktop.store.db import alembic_config
from tests.unit.test_ingest import account, ingest, mail


def _found(ws, word: str) -> set[int]:
    return set(qs.fetch_ids(ws, qs.QueueSpec(view="all", search=word)))


@pytest.mark.parametrize("indexed", [True, False], ids=["sqlite-index", "portable"])
def test_acknowledgement_words_do_not_match_every_ticket(ws, monkeypatch, indexed) -> None:
    if not indexed:
        monkeypatch.setattr(store_queue, "has_fts", lambda session: False)
    acc = account(ws)
    ingest(ws, acc, mail("Не работает выгрузка", body="Выгрузка падает с ошибкой квазиуникальной"),
           mail("Вопрос по счёту", sender="b@other.example", body="Пришлите счёт", msgid="<b@other.example>"),
           start_uid=1)
    with ws.db.session() as s:  # both got an acknowledgement written from the template
        assert s.execute(text("SELECT count(*) FROM messages WHERE author = 'system'")).scalar() == 2
    assert len(_found(ws, "квазиуникальной")) == 1
    assert _found(ws, "зарегистрировано") == set()  # a word only the acknowledgement has


def test_upgrade_takes_already_indexed_acknowledgements_out(tmp_path) -> None:
    """A workspace made before migration 0004 had its acknowledgements in the index."""
    from alembic import command

    from desktop.services.workspace import open_workspace
    from desktop.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0003")
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(text("INSERT INTO tickets (id, number, tid, subject, requester, requester_name, channel, "
                       "category, priority, priority_rank, status, reason_note, paid, paid_reason, paid_confirmed, "
                       "written_only, password_reminder, flags, received_at, created_at, updated_at, version) "
                       "VALUES (1, 1, 'TID-000001', 'x', 'a@b.example', '', 'email', 'other', 'normal', 1, 'new', "
                       "'', 0, '', 0, 0, 0, '[]', '2026-11-20 09:00:00', '2026-11-20 09:00:00', "
                       "'2026-11-20 09:00:00', 1)"))
        for n, (author, body) in enumerate([("system", "Обращение зарегистрировано"), (None, "Текст клиента")], 1):
            c.execute(text("INSERT INTO messages (id, ticket_id, direction, from_addr, from_name, subject, "
                           "received_at, text, threaded_by, created_at, size, \"references\", to_addrs, cc_addrs, "
                           "author) VALUES (:id, 1, 'out', 's@x', '', 's', '2026-11-20 09:00:00', :body, 'x', "
                           "'2026-11-20 09:00:00', 0, '[]', '[]', '[]', :author)"),
                      {"id": n, "body": body, "author": author})
        hits = c.execute(text("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'зарегистрировано'")).all()
        assert hits == [(1,)]  # indexed before the upgrade
    engine.dispose()
    ws = open_workspace(home=tmp_path / "home", db_url=url)  # opening upgrades to the newest schema
    try:
        assert _found(ws, "зарегистрировано") == set()
        assert _found(ws, "клиента") == {1}
        # The index is sound after rows were taken out (it holds a part of its content table now).
        with ws.db.engine.connect() as c:
            c.execute(text("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"))
    finally:
        ws.close()
