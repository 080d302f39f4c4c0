"""The settings dialog (R-UI-6) round-trips plans, calendars, clients and templates through the
real services on the demo workspace; refusals and changes made meanwhile are plain messages."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from sqlalchemy import select

from desktop.domain.tickets import OPEN_STATUSES
from desktop.services import clients, regulation, replies
from desktop.store.models import Plan, Ticket
from tests.ui.conftest import save_screenshot, settle
from ui import errors


def _open(qtbot, window, tab: str):
    window.settings_entry.actions[tab].trigger()
    dlg = window.settings_entry.dialog
    assert dlg is not None and dlg.isVisible() and dlg.tabs.currentWidget() is dlg.pages[tab]
    settle(qtbot, window)
    return dlg


def _pick(listing, data) -> None:
    for i in range(listing.count()):
        if listing.item(i).data(0x0100) == data:
            listing.setCurrentRow(i)
            return
    raise AssertionError(f"{data!r} is not listed")


def _answer(qtbot, window, owner, apply: bool = True) -> bool:
    """Press Apply (or Cancel) on the preview of moving deadlines, if one is open; True if it was."""
    dlg = getattr(owner, "preview_dialog", None)
    if dlg is None or not dlg.isVisible():
        return False
    owner.preview_dialog = None
    (dlg.apply_button if apply else dlg.cancel_button).click()
    settle(qtbot, window)
    return True


def _open_ticket_on(ws, plan_code: str, priority: str) -> tuple[str, object]:
    with ws.db.session() as s:
        t = s.scalars(
            select(Ticket).join(Plan, Plan.id == Ticket.plan_id).where(
                Plan.code == plan_code, Ticket.priority == priority, Ticket.first_reply_at.is_(None),
                Ticket.taken_at.is_(None), Ticket.reaction_due_at.is_not(None),
                Ticket.status.in_([x.value for x in OPEN_STATUSES]))
        ).first()
        assert t is not None, f"the demo has an unanswered {priority} ticket on {plan_code}"
        return t.tid, t.reaction_due_at


def _due(ws, tid: str):
    with ws.db.session() as s:
        return s.scalar(select(Ticket.reaction_due_at).where(Ticket.tid == tid))


def test_plan_edit_moves_a_tickets_deadline(qtbot, window, demo_ws, tmp_path):
    plan_code = "commercial"
    tid, before = _open_ticket_on(demo_ws, plan_code, "normal")
    dlg = _open(qtbot, window, "plans")
    page = dlg.plans
    _pick(page.listing, plan_code)
    assert page.current.code == plan_code and page.reaction["normal"].hours.value() == 24
    page.reaction["normal"].hours.setValue(1)
    page.reaction["normal"].minutes.setValue(30)
    page.resolution["urgent"].enabled.setChecked(False)
    page.name_ru.setText("Коммерческий плюс")
    assert page.is_dirty()
    save_screenshot(dlg, "settings-plans.png", tmp_path, (600, 400))
    page.save()
    settle(qtbot, window)
    preview = page.preview_dialog
    assert preview.isVisible() and preview.table.rowCount() >= 1
    assert any(preview.table.item(r, 0).text().startswith(tid) for r in range(preview.table.rowCount()))
    save_screenshot(preview, "settings-plans-preview.png", tmp_path, (600, 300))
    assert _answer(qtbot, window, page, apply=False)  # cancelled: nothing stored, the edit stays
    assert _due(demo_ws, tid) == before and page.is_dirty() and "Not saved" in page.status.text()
    page.save()
    settle(qtbot, window)
    assert _answer(qtbot, window, page)
    stored = next(p for p in regulation.plan_records(demo_ws) if p.code == plan_code)
    assert stored.reaction["normal"] == 90 and stored.resolution["urgent"] is None
    assert stored.name_ru == "Коммерческий плюс"
    assert _due(demo_ws, tid) != before and _due(demo_ws, tid) < before
    assert "recomputed" in page.status.text() and not page.is_dirty()
    dlg.close()
    settle(qtbot, window)


def test_plan_changed_meanwhile_keeps_the_edit(qtbot, window, demo_ws):
    dlg = _open(qtbot, window, "plans")
    page = dlg.plans
    _pick(page.listing, "free")
    page.reaction["low"].hours.setValue(10)
    regulation.set_plan(demo_ws, "free", reaction={"low": 7 * 60})  # a colleague, meanwhile
    page.save()
    settle(qtbot, window)
    _answer(qtbot, window, page)
    assert "changed by someone else" in page.status.text()
    assert errors.QUIET["last"] and "changed by someone else" in str(errors.QUIET["last"])
    assert page.reaction["low"].hours.value() == 10  # nothing typed is lost
    assert next(p for p in regulation.plan_records(demo_ws) if p.code == "free").reaction["low"] == 7 * 60
    page.save()  # now knowingly over the colleague's change
    settle(qtbot, window)
    _answer(qtbot, window, page)
    assert next(p for p in regulation.plan_records(demo_ws) if p.code == "free").reaction["low"] == 10 * 60
    dlg.close()


def test_calendar_hours_and_day_off(qtbot, window, demo_ws, tmp_path):
    dlg = _open(qtbot, window, "calendars")
    page = dlg.calendars
    _pick(page.listing, "moscow_9_18")
    qtbot.waitUntil(lambda: page.holidays.count() > 5)
    assert page.ru_holidays.isChecked() and page.days[0].text() == "09:00-18:00"

    page.days[1].setText("09:00-13:00, 14:00-18:00")
    page.days[2].setText("25:00-26:00")
    page.save()
    settle(qtbot, window)
    assert "not a valid time" in page.status.text()
    assert page.days[1].text() == "09:00-13:00, 14:00-18:00"  # the form keeps the edit
    page.days[2].setText("09:00-18:00")
    page.save()
    settle(qtbot, window)
    _answer(qtbot, window, page)
    [cal] = [c for c in regulation.calendar_records(demo_ws) if c.code == "moscow_9_18"]
    assert cal.spec["week"]["tue"] == ["09:00-13:00", "14:00-18:00"]

    page.date.setDate(QDate(2026, 12, 30))
    page.add_day(working=False)
    settle(qtbot, window)
    _answer(qtbot, window, page)
    [cal] = [c for c in regulation.calendar_records(demo_ws) if c.code == "moscow_9_18"]
    assert "2026-12-30" in cal.spec["days_off"]
    assert page.exceptions.count() == 1 and "30.12.2026" in page.exceptions.item(0).text()
    assert not page.is_dirty()  # our own exception does not count as an unsaved edit
    save_screenshot(dlg, "settings-calendars.png", tmp_path, (600, 400))
    page.exceptions.setCurrentRow(0)
    page.remove_day()
    settle(qtbot, window)
    _answer(qtbot, window, page)
    [cal] = [c for c in regulation.calendar_records(demo_ws) if c.code == "moscow_9_18"]
    assert cal.spec["days_off"] == []

    page.new_calendar()
    page.code.setText("novosibirsk")
    page.name.setText("Новосибирск 10–19")
    page.zone.setCurrentText("Asia/Novosibirsk")
    for w in page.days[:5]:
        w.setText("10:00-19:00")
    page.save()
    settle(qtbot, window)
    assert any(c.code == "novosibirsk" and c.spec["timezone"] == "Asia/Novosibirsk"
               for c in regulation.calendar_records(demo_ws))
    assert dlg.plans.calendar.findData("novosibirsk") >= 0  # offered to plans at once
    dlg.close()


def test_client_add_and_edit(qtbot, window, demo_ws, tmp_path):
    dlg = _open(qtbot, window, "clients")
    page = dlg.clients
    assert page.table.rowCount() == len(clients.list_clients(demo_ws))
    page.new_client()
    page.name.setText("ООО «Северный ветер»")
    page.domains.setText("sever-veter.ru, @sv.example.com")
    page.plan.setCurrentIndex(page.plan.findData("premium"))
    page.inn.setText("12345")
    page.contract_no.setText("СВ-2026/14")
    page.active_until.set_value(date(2027, 3, 31), date(2027, 3, 31))
    page.language.setCurrentIndex(page.language.findData("en"))
    page.save()
    settle(qtbot, window)
    assert "INN" in page.status.text()
    assert all(c.name != "ООО «Северный ветер»" for c in clients.list_clients(demo_ws))
    page.inn.setText("7712345678")
    page.save()
    settle(qtbot, window)
    info = clients.get_client(demo_ws, "ООО «Северный ветер»")
    assert (info.plan, info.contract_no, info.active_until, info.domains) == (
        "premium", "СВ-2026/14", date(2027, 3, 31), ["sever-veter.ru", "sv.example.com"])
    rec = clients.client_record(demo_ws, info.id)
    assert rec.inn == "7712345678" and rec.language == "en"
    assert page.current is not None and page.current.id == info.id
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == info.name)
    assert page.table.item(row, 1).text() == "Premium"  # the plan's name in the window's language
    assert page.plan.currentText() == "Premium (premium)"

    page.contract_no.setText("СВ-2026/15")
    page.kpp.setText("771201001")
    page.save()
    settle(qtbot, window)
    rec = clients.client_record(demo_ws, info.id)
    assert (rec.contract_no, rec.kpp) == ("СВ-2026/15", "771201001")
    page.search.setText("sever")
    assert sum(not page.table.isRowHidden(r) for r in range(page.table.rowCount())) == 1
    page.search.clear()
    save_screenshot(dlg, "settings-clients.png", tmp_path, (600, 400))

    # Someone renames the client meanwhile: a plain message, the typed contract stays.
    clients.update_client(demo_ws, info.id, clients.ClientFields(
        name="Северный ветер", domains=rec.domains, plan="premium"))
    page.contract_no.setText("СВ-2026/16")
    page.save()
    settle(qtbot, window)
    assert "changed by someone else" in page.status.text() and page.contract_no.text() == "СВ-2026/16"
    dlg.close()


def test_remove_client_from_the_dialog(qtbot, window, demo_ws):
    """A client without tickets goes; one with tickets is refused beside the form and stays."""
    dlg = _open(qtbot, window, "clients")
    page = dlg.clients
    page.new_client()
    page.name.setText("Ошибочный клиент")
    page.save()
    settle(qtbot, window)
    assert page.current is not None and page.current.name == "Ошибочный клиент"
    page.remove_client(confirmed=True)
    settle(qtbot, window)
    assert all(c.name != "Ошибочный клиент" for c in clients.list_clients(demo_ws))
    assert page.current is None and "Removed" in page.status.text()

    busy = next(c for c in clients.list_clients(demo_ws) if c.name == "ООО «Ромашка»")
    page.table.setCurrentCell(next(r for r, c in enumerate(page.infos) if c.id == busy.id), 0)  # a click
    settle(qtbot, window)
    assert page.current is not None and page.current.id == busy.id
    page.remove_client(confirmed=True)
    settle(qtbot, window)
    assert "tickets" in page.status.text() and any(c.id == busy.id for c in clients.list_clients(demo_ws))
    dlg.close()


def test_template_round_trip_reaches_the_reply_editor(qtbot, window, demo_ws, tmp_path):
    dlg = _open(qtbot, window, "templates")
    page = dlg.templates
    assert page.tree.topLevelItemCount() == 3
    page.new_template()
    page.name.setText("Плановые работы")
    page.language.setCurrentIndex(page.language.findData("ru"))
    page.body.setPlainText("Здравствуйте, {{ requester_name }}! По обращению {{ tid }} идут плановые работы.")
    page.save()
    settle(qtbot, window)
    [rec] = replies.stored_canned(demo_ws)
    assert rec.name == "Плановые работы" and page.kind == "canned"
    page.sample_tid.setText("TID-000002")
    page.preview()
    settle(qtbot, window)
    assert "TID-000002" in page.preview_text.toPlainText() and "{{" not in page.preview_text.toPlainText()
    save_screenshot(dlg, "settings-templates.png", tmp_path, (600, 400))

    page.body.setPlainText("{{ no_such_placeholder }}")
    page.save()
    settle(qtbot, window)
    assert "unknown placeholder" in page.status.text()
    page.revert()

    # A built-in template is read-only; automatic mails are editable (own wording).
    page._open(("built_in", 0))
    assert page.body.isReadOnly() and not page.save_button.isEnabled()
    page._open(("mail", 0))
    assert not page.body.isReadOnly() and page.body.toPlainText().startswith("Subject:")
    dlg.close()

    # The reply editor offers the new template.
    window.views.select("all")
    settle(qtbot, window)
    assert window.select_tid("TID-000002")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000002")
    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    window.ticket_actions.actions["reply"].trigger()
    settle(qtbot, window)
    reply = opened[-1]
    names = [reply.templates.itemText(i) for i in range(reply.templates.count())]
    assert "Плановые работы (ru)" in names
    reply.close_keep()
    settle(qtbot, window)


def test_reason_reply_edit(qtbot, window, demo_ws):
    dlg = _open(qtbot, window, "templates")
    page = dlg.templates
    first = replies.reason_replies(demo_ws)[0]
    page.language.setCurrentIndex(page.language.findData("en"))
    page._open(("reason", first.code))
    page.language.setCurrentIndex(page.language.findData("en"))
    assert page.body.toPlainText() == first.template_en
    page.body.setPlainText("We need more details about {{ tid }}.")
    page.save()
    settle(qtbot, window)
    assert replies.reason_replies(demo_ws)[0].template_en == "We need more details about {{ tid }}."
    assert replies.reason_replies(demo_ws)[0].template_ru == first.template_ru
    dlg.close()


def test_language_switch_rebuilds_a_closed_dialog(qtbot, window):
    dlg = _open(qtbot, window, "clients")
    dlg.close()
    settle(qtbot, window)
    window.set_language("ru")
    settle(qtbot, window)
    assert window.settings_entry.dialog is None
    again = _open(qtbot, window, "plans")
    assert again is not dlg and again.isVisible()
    again.close()
    settle(qtbot, window)


def test_automatic_mail_own_wording_round_trip(qtbot, window, demo_ws):
    """An automatic mail reworded in the Templates tab is stored for the workspace; a wording
    with an unknown placeholder is refused beside the form; an empty text restores the file."""
    dlg = _open(qtbot, window, "templates")
    page = dlg.templates
    index = next(n for n, f in enumerate(page.files) if (f.kind, f.language) == ("ack", "ru"))
    page._open(("mail", index))
    page.body.setPlainText("Subject: Письмо получено — {{ tid }}\nЗдравствуйте! Ваш номер {{ tid }}.")
    assert page.is_dirty()
    page.save()
    settle(qtbot, window)
    [ack] = [f for f in replies.mail_template_files(demo_ws) if (f.kind, f.language) == ("ack", "ru")]
    assert ack.override == "Subject: Письмо получено — {{ tid }}\nЗдравствуйте! Ваш номер {{ tid }}."
    assert page.kind == "mail" and page.body.toPlainText() == ack.override

    page.body.setPlainText("Subject: {{ tid }}\n{{ invoice_total }}")
    page.save()
    settle(qtbot, window)
    assert "cannot use invoice_total" in page.status.text()
    page.body.setPlainText("")
    page.save()
    settle(qtbot, window)
    [ack] = [f for f in replies.mail_template_files(demo_ws) if (f.kind, f.language) == ("ack", "ru")]
    assert ack.override is None
    assert page.body.toPlainText() == ack.source  # the shipped wording is shown again
    dlg.close()


def test_regulation_tab_round_trips_the_timers_settings(qtbot, window, demo_ws, tmp_path):
    dlg = _open(qtbot, window, "regulation")
    page = dlg.pages["regulation"]
    settle(qtbot, window)
    assert page.spins["autoclose.after_days"].value() == 2
    assert page.choices["acceptance.policy"].currentData() == "follow_up"
    page.spins["autoclose.after_days"].setValue(5)
    page.choices["autoclose.unit"].setCurrentIndex(page.choices["autoclose.unit"].findData("business"))
    page.choices["acceptance.policy"].setCurrentIndex(
        page.choices["acceptance.policy"].findData("deemed_accepted"))
    page.spins["mail.ack_history_hours"].setValue(72)
    page.save()
    settle(qtbot, window)
    assert regulation.get_setting(demo_ws, "autoclose.after_days") == 5
    assert regulation.get_setting(demo_ws, "autoclose.unit") == "business"
    assert regulation.get_setting(demo_ws, "acceptance.policy") == "deemed_accepted"
    assert regulation.get_setting(demo_ws, "mail.ack_history_hours") == 72
    assert regulation.get_setting(demo_ws, "reopen.window_days") == 14  # untouched
    save_screenshot(dlg, "settings-regulation.png", tmp_path)
    reminder = page.spins["autoclose.reminder_before_days"]
    assert reminder.value() == 1 and reminder.text().startswith("1 day before")  # not "1 days"
    reminder.setValue(2)
    assert reminder.text().startswith("2 days before")
    reminder.setValue(1)

    # Someone else changes one meanwhile: refused in plain words, what was typed is kept.
    regulation.set_setting(demo_ws, "autoclose.after_days", 7)
    page.spins["autoclose.after_days"].setValue(3)
    page.save()
    settle(qtbot, window)
    assert "changed meanwhile" in page.status.text()
    assert page.spins["autoclose.after_days"].value() == 3
    assert regulation.get_setting(demo_ws, "autoclose.after_days") == 7
    page.save()  # a second Save replaces the other change on purpose
    settle(qtbot, window)
    assert regulation.get_setting(demo_ws, "autoclose.after_days") == 3
    dlg.reject()


def test_regulation_settings_are_all_or_nothing(demo_ws):
    expected = regulation.regulation_settings(demo_ws)
    bad = {**expected, "autoclose.after_days": 4, "autoclose.reminder_before_days": 10}
    import pytest

    from desktop.errors import ConfigError

    with pytest.raises(ConfigError):
        regulation.save_regulation_settings(demo_ws, bad, expected)
    assert regulation.regulation_settings(demo_ws) == expected


def test_regulation_settings_valid_together_are_stored_together(demo_ws):
    regulation.set_setting(demo_ws, "autoclose.after_days", 7)
    regulation.set_setting(demo_ws, "autoclose.reminder_before_days", 5)
    expected = regulation.regulation_settings(demo_ws)
    # Closing earlier and reminding earlier at once: valid as a whole, though the new close
    # (3 days) alone would come before the old reminder (5 days).
    regulation.save_regulation_settings(
        demo_ws, {**expected, "autoclose.after_days": 3, "autoclose.reminder_before_days": 1}, expected)
    assert regulation.get_setting(demo_ws, "autoclose.after_days") == 3
    assert regulation.get_setting(demo_ws, "autoclose.reminder_before_days") == 1
