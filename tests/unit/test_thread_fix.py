"""Putting a message in the right ticket and merging duplicates (R-MAIL-3, R-TICKET-5), on a real
SQLite file through the real mail ingest: a stranger quoting a ticket number ends in a ticket of
their own client or of none — never under the victim's client and plan."""

from __future__ import annotations

import pytest

from desktop.domain.tickets import Direction, Flag
from desktop.errors import ConflictError, NotFound, ValidationError
from desktop.services import clients, tickets
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.reads import listing
from desktop.services.reads.message_moves import move_choices
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in
from desktop.services.tickets.duplicates import reason_offer
from tests.unit.test_ingest import account, mail


def _in(ws, acc, raw: bytes, uid: int):
    return ingest_batch(ws, acc, "INBOX", 1, [IncomingMail(uid=uid, internaldate=ws.now(), raw=raw)])


def _show(ws, tid: str) -> dict:
    return listing.ticket_detail(ws, tid)


def _incoming(d: dict) -> list[dict]:
    return [m for m in d["messages"] if m["direction"] == "in"]


@pytest.fixture
def victim(ws):
    """ООО «Ромашка» on Premium with a ticket waiting for its client; ООО «Лютик» on Commercial."""
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
    clients.add_client(ws, "ООО «Лютик»", domains=["lutik.ru"], plan="commercial")
    acc = account(ws)
    tid = _in(ws, acc, mail("Не работает оплата", body="Оплата картой падает с ошибкой."), 1).new_tickets[0]
    tickets.update_fields(ws, tid, priority="urgent")
    tickets.request_information(ws, tid, "Пришлите, пожалуйста, номер заказа.")
    return acc, tid


def test_the_stranger_case_ends_in_the_strangers_own_client(ws, clock, victim) -> None:
    acc, tid = victim
    clock.advance(minutes=30)
    r = _in(ws, acc, mail(f"Re: [{tid}] Не работает оплата", sender="ivan@lutik.ru",
                          body="У нас тоже не проходит оплата, помогите."), 2)
    assert r.joined == [tid]
    d = _show(ws, tid)
    assert "thread_confirm" in d["flags"]
    assert d["status"] == "waiting_client", "a stranger's mail moved the victim's clock"
    stranger = _incoming(d)[-1]
    assert stranger["threaded_by"] == "tid_unconfirmed"
    # A second mail of the same stranger is not let in silently because the first one waits.
    clock.advance(minutes=5)
    _in(ws, acc, mail(f"Re: [{tid}] Не работает оплата", sender="ivan@lutik.ru", body="Ещё скриншот."), 3)
    second = _incoming(_show(ws, tid))[-1]
    assert second["threaded_by"] == "tid_unconfirmed"

    new_tid = tickets.move_to_new(ws, stranger["id"], expected_version=_show(ws, tid)["version"])
    tickets.move_message(ws, second["id"], new_tid)

    new, old = _show(ws, new_tid), _show(ws, tid)
    assert (new["client"], new["plan"], new["requester"]) == ("ООО «Лютик»", "commercial", "ivan@lutik.ru")
    assert new["priority"] == "normal", "the victim's urgency came along"
    assert [m["from"] for m in _incoming(new)] == ["ivan@lutik.ru", "ivan@lutik.ru"]
    assert [m["threaded_by"] for m in _incoming(new)] == ["split", "moved"]
    assert "thread_confirm" not in old["flags"] and "thread_confirm" not in new["flags"]
    assert [m["from"] for m in _incoming(old)] == ["m.ivanova@romashka.ru"]
    assert (old["client"], old["plan"], old["status"]) == ("ООО «Ромашка»", "premium", "waiting_client")
    assert {h["action"] for h in old["history"]} >= {"split", "move_out"}
    assert {h["action"] for h in new["history"]} >= {"created", "split_from", "move_in"}


def test_a_stranger_nobody_knows_gets_a_ticket_of_no_client(ws, clock, victim) -> None:
    acc, tid = victim
    _in(ws, acc, mail(f"Fwd: [{tid}] оплата", sender="someone@gmail.com", body="Это мне переслали."), 2)
    msg = _incoming(_show(ws, tid))[-1]
    # `ticket split` follows the same rule as the move to a new ticket.
    new_tid = tickets.split(ws, tid, [msg["id"]])
    new = _show(ws, new_tid)
    assert (new["client"], new["plan"], new["requester"]) == (None, "free", "someone@gmail.com")
    assert "client_not_identified" in new["flags"]
    assert "thread_confirm" not in _show(ws, tid)["flags"]


def test_a_split_of_the_clients_own_messages_keeps_their_client_and_urgency(ws, clock, victim) -> None:
    acc, tid = victim
    clock.advance(minutes=10)
    _in(ws, acc, mail(f"Re: [{tid}] Не работает оплата", sender="a.orlov@romashka.ru",
                      body="И ещё: как выгрузить заказы?"), 2)
    msg = _incoming(_show(ws, tid))[-1]
    assert msg["threaded_by"] == "tid"  # a colleague of the same client joins at once
    new = _show(ws, tickets.split(ws, tid, [msg["id"]], "Выгрузка заказов"))
    assert (new["client"], new["plan"], new["priority"], new["subject"]) == (
        "ООО «Ромашка»", "premium", "urgent", "Выгрузка заказов")


def test_confirming_the_thread_lets_the_sender_in_for_good(ws, clock, victim) -> None:
    acc, tid = victim
    clock.advance(minutes=30)
    _in(ws, acc, mail(f"Re: [{tid}] Не работает оплата", sender="buh@partner.example",
                      body="Я бухгалтер Ромашки, номер заказа 10452."), 2)
    d = _show(ws, tid)
    msg = _incoming(d)[-1]
    with pytest.raises(ConflictError):
        tickets.confirm_thread(ws, tid, msg["id"], expected_version=d["version"] - 1)
    tickets.confirm_thread(ws, tid, msg["id"], expected_version=d["version"])
    d = _show(ws, tid)
    assert "thread_confirm" not in d["flags"]
    assert d["status"] == "in_progress", "the confirmed answer resumes the clock"
    assert _incoming(d)[-1]["threaded_by"] == "tid_confirmed"
    line = next(h for h in d["history"] if h["action"] == "thread_confirmed")
    assert line["new"] == "buh@partner.example" and line["details"]["message"] == msg["id"]
    with pytest.raises(ValidationError, match="needs no confirmation"):
        tickets.confirm_thread(ws, tid, msg["id"])
    clock.advance(minutes=5)
    _in(ws, acc, mail(f"Re: [{tid}] Не работает оплата", sender="buh@partner.example", body="Спасибо!"), 3)
    d = _show(ws, tid)
    assert _incoming(d)[-1]["threaded_by"] == "tid" and "thread_confirm" not in d["flags"]


def test_moving_a_message_is_refused_where_it_makes_no_sense(ws, clock, victim) -> None:
    _acc, tid = victim
    with ws.db.session() as s:  # a ticket of one message (no acknowledgement went out)
        lone = create_ticket_in(s, ws, NewTicket(subject="Вопрос по доставке", requester="x@lutik.ru",
                                                 received_at=ws.now()))
        only = add_message_in(s, ws, lone, Direction.INCOMING, text="Где посылка?", from_addr="x@lutik.ru").id
    first = _incoming(_show(ws, tid))[0]["id"]
    with pytest.raises(ValidationError, match="already in"):
        tickets.move_message(ws, first, tid)
    with pytest.raises(ValidationError, match="at least one message"):
        tickets.move_message(ws, only, tid)  # the ticket would be left empty
    with pytest.raises(NotFound):
        tickets.move_message(ws, 999_999, tid)
    with pytest.raises(ValidationError, match="not in"):
        tickets.confirm_thread(ws, tid, only)


# --- duplicates --------------------------------------------------------------------------------


def test_the_likely_original_is_named_and_merged_in_one_step(ws, clock, victim) -> None:
    acc, tid = victim
    before = _show(ws, tid)
    clock.advance(hours=2)
    dup = _in(ws, acc, mail("Не работает оплата!", sender="a.orlov@romashka.ru",
                            body="Оплата картой снова падает с ошибкой."), 2).new_tickets[0]
    d = _show(ws, dup)
    assert "possible_duplicate" in d["flags"]
    assert d["duplicate_candidate"]["tid"] == tid and d["duplicate_candidate"]["score"] > 0.6

    tickets.merge(ws, dup, tid, expected_version=d["version"])
    orig, gone = _show(ws, tid), _show(ws, dup)
    assert gone["status"] == "duplicate" and gone["duplicate_of"] == tid and gone["messages"] == []
    assert "possible_duplicate" not in gone["flags"]
    assert [m["from"] for m in _incoming(orig)] == ["m.ivanova@romashka.ru", "a.orlov@romashka.ru"]
    assert _incoming(orig)[-1]["threaded_by"] == "merged"
    assert (orig["reaction_due_at"], orig["resolution_due_at"], orig["status"]) == (
        before["reaction_due_at"], before["resolution_due_at"], "waiting_client")
    assert next(h for h in gone["history"] if h["action"] == "merged_into")["new"] == tid
    assert next(h for h in orig["history"] if h["action"] == "merge")["old"] == dup


def test_a_like_subject_with_another_question_is_no_duplicate(ws, clock, victim) -> None:
    acc, _tid = victim
    clock.advance(hours=1)
    other = _in(ws, acc, mail("Не работает оплата", sender="a.orlov@romashka.ru",
                              body="Как подключить оплату через СБП для юрлиц?"), 2).new_tickets[0]
    d = _show(ws, other)
    assert "possible_duplicate" not in d["flags"] and d["duplicate_candidate"] is None


def test_a_ticket_merges_only_into_its_own_clients(ws, clock, victim) -> None:
    acc, tid = victim
    other = _in(ws, acc, mail("Не работает оплата", sender="x@lutik.ru", body="Оплата падает."), 2).new_tickets[0]
    with pytest.raises(ValidationError, match="own client"):
        tickets.merge(ws, other, tid)
    assert _show(ws, other)["status"] == "new"


def test_the_refusal_reasons_offer_split_and_merge(ws) -> None:
    with ws.db.session() as s:
        assert reason_offer(s, "several_problems") == "split"
        assert reason_offer(s, "duplicate") == "merge"
        assert reason_offer(s, "offensive") is None and reason_offer(s, "nope") is None


def test_an_older_ticket_is_no_duplicate_of_a_newer_one(ws, clock, victim) -> None:
    acc, tid = victim
    clock.advance(hours=1)
    dup = _in(ws, acc, mail("Не работает оплата", sender="a.orlov@romashka.ru",
                            body="Оплата картой падает с ошибкой, уже второй день."), 2).new_tickets[0]
    assert _show(ws, dup)["duplicate_candidate"]["tid"] == tid
    tickets.set_flag(ws, tid, Flag.POSSIBLE_DUPLICATE, True)
    assert _show(ws, tid)["duplicate_candidate"] is None  # the original is not its repeat's duplicate
    tickets.set_flag(ws, dup, Flag.POSSIBLE_DUPLICATE, False)  # "not a duplicate": the mark goes
    d = _show(ws, dup)
    assert d["duplicate_candidate"] is None and d["history"][-1]["action"] == "flag"


def test_the_move_dialog_is_told_whose_ticket_a_new_one_would_be(ws, clock, victim) -> None:
    acc, tid = victim
    clients.add_client(ws, "ИП Сидоров", emails=["sidorov@gmail.com"], plan="free")
    other = _in(ws, acc, mail("Вопрос по доставке", sender="x@lutik.ru", body="Где посылка?"), 2).new_tickets[0]
    for uid, sender in enumerate(("ivan@lutik.ru", "sidorov@gmail.com", "nobody@mail.example"), start=3):
        _in(ws, acc, mail(f"Re: [{tid}] оплата", sender=sender, body="Вопрос"), uid)
    by_sender = {m["from"]: m["id"] for m in _incoming(_show(ws, tid))}
    ivan = move_choices(ws, by_sender["ivan@lutik.ru"])
    assert (ivan.client, ivan.found_by, [t.tid for t in ivan.targets]) == ("ООО «Лютик»", "domain", [other])
    sidorov = move_choices(ws, by_sender["sidorov@gmail.com"])
    assert (sidorov.client, sidorov.found_by) == ("ИП Сидоров", "address")
    nobody = move_choices(ws, by_sender["nobody@mail.example"])
    assert (nobody.client, nobody.found_by, nobody.targets) == (None, None, ())
