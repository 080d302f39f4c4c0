"""The Calendars tab knows which production-calendar years are confirmed, imports one with a
preview of the days and deadlines it changes, and the status bar warns from 1 October; a tray
warning the timers addressed to this agent is shown once."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate
from sqlalchemy import select

from desktop.services import calendar_import
from desktop.store.models import Agent, SlaWarning, Ticket
from tests.ui.conftest import save_screenshot, settle
from tests.ui.test_settings_dialogs import _answer, _open, _pick
from tests.unit.test_calendar_years import XML_2027


def test_calendars_tab_warns_about_2028_and_imports_2027(qtbot, window, demo_ws, tmp_path):
    dlg = _open(qtbot, window, "calendars")
    page = dlg.calendars
    _pick(page.listing, "moscow_9_18")
    box = page.years_box
    qtbot.waitUntil(lambda: box.known is not None)
    assert "2027 (holidays package)" in box.years.text()
    page.date.setDate(QDate(2028, 3, 1))
    settle(qtbot, window)
    assert box.warning.isVisible() and "2028" in box.warning.text()
    save_screenshot(dlg, "settings-calendar-years.png", tmp_path, (600, 400))
    page.date.setDate(QDate(2027, 3, 1))
    assert not box.warning.isVisible()

    path = tmp_path / "calendar-2027.xml"
    path.write_text(XML_2027, encoding="utf-8")
    box.import_file(path)
    settle(qtbot, window)
    preview = box.preview_dialog
    extra = preview.findChild(type(box.years), "preview_extra")
    assert "05.11.2027" in extra.text() and "30.12.2027" in extra.text()
    save_screenshot(preview, "calendar-import-preview.png", tmp_path, (300, 200))
    assert _answer(qtbot, window, box, apply=False)
    assert calendar_import.year_records(demo_ws, 2027, 2027)[0].source == "package"
    box.import_file(path)
    settle(qtbot, window)
    assert _answer(qtbot, window, box)
    assert "Imported" in box.status.text()
    assert calendar_import.year_records(demo_ws, 2027, 2027)[0].source == "import"
    qtbot.waitUntil(lambda: "2027 (imported)" in box.years.text())

    def listed() -> list[str]:
        return [page.holidays.item(i).text()[:10] for i in range(page.holidays.count())]

    qtbot.waitUntil(lambda: "30.12.2027" in listed())  # the holidays list shows the imported year
    assert "05.11.2027" not in listed()
    dlg.close()


def test_status_bar_warns_from_1_october_and_tray_shows_a_warning_once(qtbot, window, demo_ws, demo_clock):
    label = window.deadline_warnings.year_label
    settle(qtbot, window)
    assert label.isHidden()  # December 2026: 2027 is known
    demo_clock.t = datetime(2027, 10, 1, 9, 0, tzinfo=UTC)
    with demo_ws.db.session() as s:
        me = s.scalar(select(Agent).where(Agent.login == "anna"))
        if me is None:
            me = Agent(login="anna", name="Анна", role="agent")
            s.add(me)
            s.flush()
        t = s.scalar(select(Ticket).limit(1))
        s.add(SlaWarning(ticket_id=t.id, kind="reaction", level="assignee", recipient="anna", channel="tray",
                         due_at=demo_clock.t, sent_at=demo_clock.t))
        tid = t.tid
    before = len(window.notifier.sent)
    window.deadline_warnings.poll()
    settle(qtbot, window)
    assert not label.isHidden() and "2028" in label.text()
    assert [text for _title, text in window.notifier.sent[before:]] and tid in window.notifier.sent[-1][0]
    window.deadline_warnings.poll()
    settle(qtbot, window)
    assert len(window.notifier.sent) == before + 1  # shown once


def test_client_moved_to_another_plan_with_its_open_tickets_after_a_preview(qtbot, window, demo_ws):
    from desktop.domain.tickets import OPEN_STATUSES
    from desktop.store.models import Client, Plan

    with demo_ws.db.session() as s:
        name, plan = s.execute(
            select(Client.name, Plan.code).join(Plan, Plan.id == Client.plan_id).join(Ticket, Ticket.client_id == Client.id)
            .where(Ticket.status.in_([x.value for x in OPEN_STATUSES]), Ticket.archived.is_(False),
                   Plan.code != "priority").limit(1)).one()
    dlg = _open(qtbot, window, "clients")
    page = dlg.clients
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == name)
    page.table.setCurrentCell(row, 0)
    settle(qtbot, window)
    assert page.current is not None and page.current.name == name
    page.plan.setCurrentIndex(page.plan.findData("priority"))
    page.move_open.setChecked(True)
    page.save()
    settle(qtbot, window)
    preview = page.preview_dialog
    assert preview.isVisible() and preview.moves.checked >= 1
    assert _answer(qtbot, window, page, apply=False)
    assert "Not saved" in page.status.text()
    with demo_ws.db.session() as s:
        assert s.scalar(select(Plan.code).join(Client, Client.plan_id == Plan.id).where(Client.name == name)) == plan
    page.save()
    settle(qtbot, window)
    assert _answer(qtbot, window, page)
    with demo_ws.db.session() as s:
        cid = s.scalar(select(Client.id).where(Client.name == name))
        plans = set(s.scalars(select(Plan.code).join(Ticket, Ticket.plan_id == Plan.id).where(
            Ticket.client_id == cid, Ticket.status.in_([x.value for x in OPEN_STATUSES]), Ticket.archived.is_(False))))
    assert plans == {"priority"}
    dlg.close()


def test_dashboard_counts_the_warnings_sent(qtbot, window, demo_ws, demo_clock):
    with demo_ws.db.session() as s:
        t = s.scalar(select(Ticket).limit(1))
        for level, who, channel in (("assignee", "anna", "tray"), ("lead", "lead1", "mail")):
            s.add(SlaWarning(ticket_id=t.id, kind="reaction", level=level, recipient=who, channel=channel,
                             due_at=demo_clock.t, sent_at=demo_clock.t))
    d = window.dashboard_entry.open()
    qtbot.waitUntil(lambda: d.warnings_line.counts is not None, timeout=10_000)
    settle(qtbot, window)
    counts = d.warnings_line.counts
    assert (counts.assignee, counts.lead, counts.to_tray, counts.by_mail, counts.tickets) == (1, 1, 1, 1, 1)
    assert "1 to assignees, 1 to team leads" in d.warnings_line.text()
    d.close()
