"""The settings dialog's services: whole-record edits, plain refusals, changes made meanwhile."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from desktop.errors import ConflictError, NotFound, ValidationError
from desktop.services import clients, regulation, replies
from desktop.services.clients import ClientFields
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, create_ticket_in


def _ticket(ws, clock, client: str = "Вектор") -> str:
    clients.add_client(ws, client, domains=["vector.ru"], plan="commercial")
    with ws.db.session() as s:
        return create_ticket_in(s, ws, NewTicket(subject="x", requester="a@vector.ru", received_at=clock())).tid


def due(ws, tid) -> datetime:
    return datetime.fromisoformat(listing.ticket_detail(ws, tid)["reaction_due_at"])


def _plan(ws, code: str) -> regulation.PlanRecord:
    return next(p for p in regulation.plan_records(ws) if p.code == code)


# --- clients -----------------------------------------------------------------------------------


def test_update_client_replaces_fields_and_addresses(ws) -> None:
    cid = clients.add_client(ws, "Вектор", domains=["vector.ru"], emails=["boss@mail.ru"], plan="free")
    before = clients.client_record(ws, cid)
    after = clients.update_client(ws, cid, ClientFields(
        name=" Вектор-Плюс ", domains=("Vector.ru", "@vektor.com"), emails=(), plan="premium",
        contract_no="Д-17", contract_date=date(2026, 1, 15), active_from=date(2026, 2, 1),
        active_until=date(2027, 1, 31), priority=True, inn="7701234567", kpp="770101001",
        address="Москва", signatory="Петров П. П.", signatory_position="Директор", language="en",
        notes="звонить до 17:00"), expected=before)
    assert after.name == "Вектор-Плюс" and after.plan == "premium" and after.language == "en"
    assert after.domains == ("vector.ru", "vektor.com") and after.emails == ()
    assert clients.client_record(ws, cid) == after
    [info] = clients.list_clients(ws)
    assert (info.name, info.plan, info.contract_no, info.priority_support) == ("Вектор-Плюс", "premium", "Д-17", True)
    with ws.db.session() as s:
        assert clients.identify_client(s, "x@vektor.com").id == cid
        assert clients.identify_client(s, "boss@mail.ru") is None  # the address was removed


@pytest.mark.parametrize(("change", "words"), [
    ({"name": "  "}, "needs a name"),
    ({"inn": "12345"}, "INN"),
    ({"kpp": "77"}, "KPP"),
    ({"language": "de"}, "ru or en"),
    ({"domains": ("not a domain",)}, "mail domain"),
    ({"emails": ("nobody",)}, "e-mail address"),
    ({"active_from": date(2026, 5, 1), "active_until": date(2026, 4, 1)}, "cannot end"),
    ({"plan": "gold"}, "unknown plan"),
])
def test_update_client_refuses_in_plain_words(ws, change, words) -> None:
    cid = clients.add_client(ws, "Вектор", domains=["vector.ru"])
    fields = replace(ClientFields(name="Вектор", domains=("vector.ru",)), **change)
    with pytest.raises(ValidationError, match=words):
        clients.update_client(ws, cid, fields)
    assert clients.client_record(ws, cid).name == "Вектор"  # nothing half-stored


def test_update_client_clashes_and_conflicts(ws) -> None:
    a = clients.add_client(ws, "Альфа", domains=["alfa.ru"])
    b = clients.add_client(ws, "Бета", domains=["beta.ru"])
    with pytest.raises(ValidationError, match="already belongs to another client"):
        clients.update_client(ws, b, ClientFields(name="Бета", domains=("beta.ru", "alfa.ru")))
    with pytest.raises(ValidationError, match="already exists"):
        clients.update_client(ws, b, ClientFields(name="Альфа"))
    seen = clients.client_record(ws, a)
    clients.update_client(ws, a, ClientFields(name="Альфа", domains=("alfa.ru",), contract_no="1"))
    with pytest.raises(ConflictError, match="changed by someone else"):
        clients.update_client(ws, a, ClientFields(name="Альфа", domains=("alfa.ru",), contract_no="2"), seen)
    assert clients.client_record(ws, a).contract_no == "1"
    with pytest.raises(NotFound):
        clients.update_client(ws, 999, ClientFields(name="Гамма"))


def test_add_client_record_keeps_every_field(ws) -> None:
    cid = clients.add_client_record(ws, ClientFields(
        name="Gamma Ltd", emails=("CEO@Gamma.example.com",), language="en", signatory_position="CEO",
        notes="English only", active_from=date(2026, 1, 1)))
    rec = clients.client_record(ws, cid)
    assert (rec.language, rec.signatory_position, rec.notes, rec.emails) == (
        "en", "CEO", "English only", ("ceo@gamma.example.com",))
    with pytest.raises(ValidationError, match="INN"):
        clients.add_client_record(ws, ClientFields(name="Delta", inn="abc"))
    assert [c.name for c in clients.list_clients(ws)] == ["Gamma Ltd"]


def test_delete_client_only_without_history_and_only_as_seen(ws, clock) -> None:
    cid = clients.add_client_record(ws, ClientFields(name="Ошибочный", domains=("oshibka.example",)))
    seen = clients.client_record(ws, cid)
    clients.update_client(ws, cid, ClientFields(name="Ошибочный", domains=("oshibka.example", "two.example")))
    with pytest.raises(ConflictError):
        clients.delete_client(ws, seen)
    clients.delete_client(ws, clients.client_record(ws, cid))
    assert all(c.name != "Ошибочный" for c in clients.list_clients(ws))
    with pytest.raises(NotFound):
        clients.delete_client(ws, seen)

    _ticket(ws, clock, "Вектор")
    vector = next(c for c in clients.list_clients(ws) if c.name == "Вектор")
    with pytest.raises(ValidationError, match="has 1 tickets"):
        clients.delete_client(ws, clients.client_record(ws, vector.id))
    assert any(c.name == "Вектор" for c in clients.list_clients(ws))


# --- plans -------------------------------------------------------------------------------------


def test_save_plan_moves_deadlines_like_plan_set(ws, clock) -> None:
    tid = _ticket(ws, clock)
    seen = _plan(ws, "commercial")
    assert seen.reaction["normal"] == 24 * 60
    edited = replace(seen, name="Business", name_ru="Бизнес", reaction={**seen.reaction, "normal": 120},
                     resolution={**seen.resolution, "normal": 600}, warn_share=0.5, priority_support=True)
    assert regulation.save_plan(ws, edited, expected=seen) == 1
    assert due(ws, tid) == datetime(2026, 11, 17, 9, 0, tzinfo=UTC)  # the same as `plan-set … normal=120`
    stored = _plan(ws, "commercial")
    assert stored == edited
    assert listing.ticket_detail(ws, tid)["resolution_due_at"] is not None
    with pytest.raises(ConflictError, match="changed by someone else"):
        regulation.save_plan(ws, replace(seen, name="Old"), expected=seen)
    assert _plan(ws, "commercial").name == "Business"


@pytest.mark.parametrize(("change", "words"), [
    ({"name": ""}, "needs a name"),
    ({"reaction": {"low": None, "normal": 60, "high": 60, "urgent": 60}}, "reaction time for low"),
    ({"resolution": {"low": 0}}, "longer than zero"),
    ({"warn_share": 1.5}, "warning share"),
    ({"calendar": "mars"}, "no calendar"),
])
def test_save_plan_refuses_in_plain_words(ws, change, words) -> None:
    seen = _plan(ws, "free")
    with pytest.raises((ValidationError, NotFound), match=words):
        regulation.save_plan(ws, replace(seen, **change), expected=seen)
    assert _plan(ws, "free") == seen


# --- calendars ---------------------------------------------------------------------------------


def test_calendar_edit_day_off_and_conflict(ws, clock) -> None:
    tid = _ticket(ws, clock)
    [seen] = [c for c in regulation.calendar_records(ws) if c.code == "moscow_9_18"]
    assert "free" in seen.plans
    spec = {**seen.spec, "week": {**seen.spec["week"], "tue": ["09:00-13:00", "14:00-18:00"]}}
    assert regulation.save_calendar_record(ws, seen.code, "Офис", spec, seen) > 0
    [now] = [c for c in regulation.calendar_records(ws) if c.code == "moscow_9_18"]
    assert now.name == "Офис" and now.spec["week"]["tue"] == ["09:00-13:00", "14:00-18:00"]
    with pytest.raises(ConflictError):
        regulation.save_calendar_record(ws, seen.code, "Старое", seen.spec, seen)
    before = due(ws, tid)
    regulation.add_calendar_day(ws, "moscow_9_18", date(2026, 11, 18), working=False)
    assert due(ws, tid) > before
    regulation.remove_calendar_day(ws, "moscow_9_18", date(2026, 11, 18))
    assert due(ws, tid) == before
    with pytest.raises(NotFound, match="not an exception"):
        regulation.remove_calendar_day(ws, "moscow_9_18", date(2026, 11, 18))


def test_new_calendar_and_plain_refusals(ws) -> None:
    spec = {"timezone": "+06:00", "week": {"mon": ["09:00-18:00"]}}
    regulation.save_calendar_record(ws, "novosib", "Новосибирск", spec, new=True)
    assert any(c.code == "novosib" and c.spec["timezone"] == "+06:00" for c in regulation.calendar_records(ws))
    with pytest.raises(ValidationError, match="already exists"):
        regulation.save_calendar_record(ws, "novosib", "Ещё", spec, new=True)
    with pytest.raises(ValidationError, match="calendar code"):
        regulation.save_calendar_record(ws, "Моя зона", "x", spec, new=True)
    with pytest.raises(ValidationError, match="Unknown time zone"):
        regulation.save_calendar_record(ws, "mars", "Марс", {**spec, "timezone": "Mars/Olympus"}, new=True)
    with pytest.raises(ValidationError, match="overlap"):
        regulation.save_calendar_record(ws, "x", "X", {"week": {"mon": ["09:00-13:00", "12:00-18:00"]}}, new=True)


def test_ru_holidays_include_transfers() -> None:
    days = {h.day: h for h in regulation.ru_holidays(2025, "en")}
    assert not days[date(2025, 1, 1)].working and days[date(2025, 1, 1)].name
    assert days[date(2025, 11, 1)].working  # a Saturday made working by the 2025 transfer
    assert date(2025, 5, 2) in days  # a transferred day off


# --- templates ---------------------------------------------------------------------------------


def test_canned_round_trip_and_preview(ws, clock) -> None:
    tid = _ticket(ws, clock)
    rec = replies.add_canned(ws, "Перезагрузка", "ru", "Здравствуйте, {{ client }}! Обращение {{ tid }}.")
    assert ("Перезагрузка", "ru") in {(c.name, c.language) for c in replies.canned_responses(ws)}
    preview = replies.preview_canned(ws, rec.body)
    assert preview.tid == tid and preview.text == f"Здравствуйте, Вектор! Обращение {tid}."
    rec2 = replies.update_canned(ws, rec, "Перезагрузка", "ru", "{{ agent }}")
    with pytest.raises(ConflictError):
        replies.update_canned(ws, rec, "Перезагрузка", "ru", "другое")
    with pytest.raises(ValidationError, match="unknown placeholder"):
        replies.update_canned(ws, rec2, "Перезагрузка", "ru", "{{ ticket_owner }}")
    with pytest.raises(ValidationError, match="already a template"):
        replies.add_canned(ws, "Greeting", "en", "hi")  # a built-in name
    with pytest.raises(ValidationError, match="broken"):
        replies.add_canned(ws, "Сломанный", "ru", "{% if %}")
    replies.delete_canned(ws, rec2)
    assert replies.stored_canned(ws) == []
    with pytest.raises(ConflictError, match="deleted"):
        replies.delete_canned(ws, rec2)


def test_preview_without_tickets_uses_sample(ws) -> None:
    assert replies.preview_canned(ws, "{{ tid }}").tid is None
    assert replies.preview_canned(ws, "{{ tid }}").text == "TID-000123"


def test_reason_reply_and_mail_files(ws) -> None:
    first = replies.reason_replies(ws)[0]
    changed = replies.set_reason_reply(ws, first, "en", "Sorry, {{ tid }} lacks details.")
    assert changed.template_en == "Sorry, {{ tid }} lacks details." and changed.template_ru == first.template_ru
    with pytest.raises(ConflictError):
        replies.set_reason_reply(ws, first, "ru", "x")
    files = replies.mail_template_files()
    assert {("ack", "ru"), ("ack", "en")} <= {(f.kind, f.language) for f in files}
    assert all(f.source.startswith("Subject:") for f in files)
