"""The queue's SQL: views, filters, search, order, counts — and that the SQL's idea of the SLA
state agrees with the domain's countdown for every ticket."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.errors import ConflictError, ValidationError
from desktop.services import replies, tickets
from desktop.services.reads import listing, ticket_page
from desktop.services.reads import queue as qs
from desktop.store import queue as store_queue
from tests.conftest import DEMO_NOW, FixedClock


@pytest.fixture
def dws(tmp_path: Path, demo_template: Path) -> Iterator[object]:
    from desktop.services.workspace import open_workspace

    shutil.copytree(demo_template, tmp_path / "home")
    ws = open_workspace(home=tmp_path / "home", clock=FixedClock(DEMO_NOW), actor="anna")
    yield ws
    ws.close()


def rows(ws, spec: qs.QueueSpec) -> list[qs.QueueRow]:
    ids = qs.fetch_ids(ws, spec)
    got = qs.fetch_rows(ws, ids)
    return [got[i] for i in ids]


def test_default_order_is_priority_then_fifo(dws):
    r = rows(dws, qs.QueueSpec())
    assert [(x.priority_rank, x.received_at, x.id) for x in r] == sorted(
        (x.priority_rank, x.received_at, x.id) for x in r)
    assert len(r) == len(listing.list_tickets(dws))


@pytest.mark.parametrize("sort", store_queue.SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_key_orders_all_tickets(dws, sort, descending):
    ids = qs.fetch_ids(dws, qs.QueueSpec(sort=sort, descending=descending))
    assert sorted(ids) == sorted(qs.fetch_ids(dws, qs.QueueSpec()))


def test_sort_by_received_and_assignee_empty_last(dws):
    r = rows(dws, qs.QueueSpec(sort="received", descending=True))
    assert [x.received_at for x in r] == sorted((x.received_at for x in r), reverse=True)
    for desc in (False, True):
        r = rows(dws, qs.QueueSpec(sort="assignee", descending=desc))
        names = [x.assignee_name for x in r]
        first_none = names.index(None)
        assert all(n is None for n in names[first_none:])
        named = names[:first_none]
        assert named == sorted(named, reverse=desc)


def test_sort_by_due_follows_the_running_deadline(dws):
    r = rows(dws, qs.QueueSpec(view="unassigned", sort="due"))
    book = qs.sla_book(dws)
    deadlines = [book.countdown(x, DEMO_NOW).deadline for x in r]
    running = [d for d in deadlines if d is not None]
    assert running == sorted(running)


def test_views_and_counts_agree(dws):
    counts = qs.view_counts(dws)
    for view in qs.VIEWS:
        assert counts[view] == len(qs.fetch_ids(dws, qs.QueueSpec(view=view))), view
    r = rows(dws, qs.QueueSpec(view="mine"))
    assert r and {x.assignee_login for x in r} == {"anna"}
    assert all(x.status in qs.OPEN for x in r)
    assert {x.status for x in rows(dws, qs.QueueSpec(view="waiting"))} == {"waiting_client"}
    assert {x.status for x in rows(dws, qs.QueueSpec(view="acceptance"))} == {"resolved"}
    assert all(x.assignee_login is None for x in rows(dws, qs.QueueSpec(view="unassigned")))


@pytest.mark.parametrize("hours", [0, 3, 8, 30, 80])
def test_sql_sla_state_agrees_with_the_domain(dws, hours):
    """For each ticket, the SQL filter and the countdown computed by the domain say the same."""
    now = DEMO_NOW + timedelta(hours=hours)
    book = qs.sla_book(dws)
    every = rows(dws, qs.QueueSpec())
    states = {x.id: book.countdown(x, now).state for x in every}
    for sla in ("ok", "warning", "breached", "paused"):
        got = set(qs.fetch_ids(dws, qs.QueueSpec(sla=sla), now))
        want = {i for i, st in states.items() if st == sla}
        if sla == "paused":  # waiting tickets pause whichever clock runs, or none is left
            want = {x.id for x in every if x.status == "waiting_client"}
        assert got == want, (sla, hours)
    at_risk = set(qs.fetch_ids(dws, qs.QueueSpec(view="breaching"), now))
    assert at_risk == {i for i, st in states.items() if st in ("warning", "breached")}


def test_filters_combine(dws):
    r = rows(dws, qs.QueueSpec(status="in_progress", assignee="olga"))
    assert r and {(x.status, x.assignee_login) for x in r} == {("in_progress", "olga")}
    assert rows(dws, qs.QueueSpec(view="waiting", status="new")) == []
    assert {x.plan_en for x in rows(dws, qs.QueueSpec(plan="premium"))} == {"Premium"}
    assert {x.department_en for x in rows(dws, qs.QueueSpec(department="consultations"))} == {"Consultations"}
    assert {x.assignee_login for x in rows(dws, qs.QueueSpec(assignee=""))} == {None}
    assert rows(dws, qs.QueueSpec(view="mine", assignee="olga")) == []
    with pytest.raises(ValidationError):
        qs.fetch_ids(dws, qs.QueueSpec(plan="gold"))
    with pytest.raises(ValidationError):
        qs.fetch_ids(dws, qs.QueueSpec(view="nonsense"))


def _search(ws, text: str) -> set[str]:
    return {x.tid for x in rows(ws, qs.QueueSpec(search=text))}


def test_search_words_prefixes_numbers_clients(dws):
    found = _search(dws, "заказ")
    assert found
    for tid in found:
        d = listing.ticket_detail(dws, tid)
        blob = " ".join([d["subject"], d["client"] or ""] + [m["text"] + m["subject"] for m in d["messages"]])
        assert "заказ" in blob.lower()
    assert _search(dws, "TID-000007") == {"TID-000007"}
    assert "TID-000007" in _search(dws, "7")
    assert _search(dws, "Ромашка") == {t["tid"] for t in listing.list_tickets(dws) if t["client"] == "ООО «Ромашка»"}
    assert _search(dws, "ромашка") == _search(dws, "Ромашка")
    for hostile in ['"', "a*", "-", "NEAR(", "AND OR NOT", "%", "_", "\\", "'; DROP TABLE tickets; --"]:
        _search(dws, hostile)  # never a syntax error


def test_search_index_follows_every_change(dws):
    with dws.db.session() as s:
        t = tickets.create_ticket_in(s, dws, tickets.NewTicket(
            subject="Абракадабра в корзине", requester="x@unknown.example", received_at=DEMO_NOW))
        tid = t.tid
    assert _search(dws, "абракадабра") == {tid}
    tickets.update_fields(dws, tid, subject="Корзина пуста")
    assert _search(dws, "абракадабра") == set()
    assert tid in _search(dws, "корзина пуста")
    tickets.add_note(dws, tid, "Проверить квазиуникальное слово")
    assert _search(dws, "квазиуникальное") == {tid}
    other = listing.list_tickets(dws, "new")[0]["tid"]
    note_id = next(m["id"] for m in listing.ticket_detail(dws, tid)["messages"] if m["direction"] == "note")
    tickets.move_message(dws, note_id, other)
    assert _search(dws, "квазиуникальное") == {other}


def test_like_fallback_finds_the_same(dws, monkeypatch):
    """The portable path (PostgreSQL) gives the same answers as FTS5 for whole words."""
    words = ["заказ", "Ромашка", "TID-000003", "screenshot"]
    with_fts = {w: _search(dws, w) for w in words}
    monkeypatch.setattr(store_queue, "has_fts", lambda session: False)
    for w in words:
        assert _search(dws, w) == with_fts[w], w


def test_rows_carry_what_the_columns_show(dws):
    [row] = rows(dws, qs.QueueSpec(search="TID-000002"))
    d = listing.ticket_detail(dws, "TID-000002")
    assert (row.tid, row.subject, row.status, row.client) == (d["tid"], d["subject"], d["status"], d["client"])
    assert row.version == d["version"]
    assert qs.fetch_rows(dws, []) == {}


def test_ticket_countdowns_and_client_card(dws):
    cds = dict(ticket_page.ticket_countdowns(dws, "TID-000002", "en"))
    assert "reaction" in cds and cds["reaction"].state == "ok"
    card = ticket_page.client_card(dws, "TID-000002")
    assert card is not None and card.service_active and card.contract_no


# --- replies ---------------------------------------------------------------------------------


def test_reply_collision_names_who_wrote(dws):
    tid = listing.list_tickets(dws, "in_progress")[0]["tid"]
    seen = replies.newest_message_id(dws, tid)
    other = type(dws)(paths=dws.paths, db=dws.db, clock=dws.clock, actor="olga")
    replies.reply(other, tid, "Ответ коллеги")
    with pytest.raises(ConflictError, match="Ольга Новикова replied meanwhile"):
        replies.reply(dws, tid, "Мой ответ", seen_message_id=seen)
    replies.reply(dws, tid, "Мой ответ", seen_message_id=replies.newest_message_id(dws, tid))
    assert listing.ticket_detail(dws, tid)["messages"][-1]["text"] == "Мой ответ"


def test_reply_version_check_and_drafts(dws):
    tid = listing.list_tickets(dws, "in_progress")[0]["tid"]
    version = listing.ticket_detail(dws, tid)["version"]
    tickets.add_note(dws, tid, "заметка")
    tickets.assign(dws, tid, "olga")
    with pytest.raises(ConflictError):
        replies.reply(dws, tid, "текст", expected_version=version)
    with pytest.raises(ValidationError):
        replies.reply(dws, tid, "   ")
    replies.save_draft(dws, tid, "черновик")
    assert replies.load_draft(dws, tid) == "черновик"
    replies.save_draft(dws, tid, "черновик 2")
    assert replies.load_draft(dws, tid) == "черновик 2"
    replies.reply(dws, tid, "готово")
    assert replies.load_draft(dws, tid) == ""
    replies.save_draft(dws, tid, "ещё")
    replies.discard_draft(dws, tid)
    assert replies.load_draft(dws, tid) == ""


def test_canned_responses_render_placeholders(dws):
    tid = listing.list_tickets(dws, "new")[0]["tid"]
    canned = replies.canned_responses(dws)
    assert {c.language for c in canned} == {"ru", "en"}
    text = replies.render_canned(dws, tid, "{{ tid }} / {{ agent }} / {{ requester_name }}")
    d = listing.ticket_detail(dws, tid)
    assert text == f"{tid} / Анна Смирнова / {d['requester_name']}"
    assert replies.reason_template(dws, tid, "out_of_scope").strip()
