"""The production calendar as data: confirmed years (2028 is not), an imported 2027 that moves a
day, company days on top, and a plan change previewed, cancelled, then applied."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.calendar import WorkingCalendar
from desktop.domain.calendar_days import package_year
from desktop.domain.calendar_import import diff_year, parse_production_calendar
from desktop.domain.calendar_spec import CalendarError
from desktop.domain.calendar_years import YearsKnown
from desktop.services import calendar_import, clients, regulation, regulation_preview
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.services.upkeep.deadlines import explain_deadline

MSK = timedelta(hours=3)

# 2027 as a decree might move it: Friday 5 November is a working day after all, and Thursday
# 30 December becomes a day off instead (the rest as the holidays package knows it).
XML_2027 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.09.20">
  <holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.02" t="1" h="1"/><day d="01.03" t="1" h="1"/>
    <day d="01.04" t="1" h="1"/><day d="01.05" t="1" h="1"/><day d="01.06" t="1" h="1"/>
    <day d="01.07" t="1"/><day d="01.08" t="1" h="1"/><day d="02.20" t="3"/><day d="02.22" t="1"/>
    <day d="02.23" t="1"/><day d="03.08" t="1"/><day d="05.01" t="1"/><day d="05.03" t="1"/>
    <day d="05.09" t="1"/><day d="05.10" t="1"/><day d="06.12" t="1"/><day d="06.14" t="1"/>
    <day d="11.03" t="2"/><day d="11.04" t="1"/><day d="12.30" t="1"/><day d="12.31" t="1"/>
  </days>
</calendar>
"""


def test_2028_is_not_confirmed_and_is_warned_from_1_october() -> None:
    known = YearsKnown.of([])
    assert known.confirmed(2027) and not known.confirmed(2028)
    assert known.first_unconfirmed(2026) == 2028
    assert known.warning_year(date(2027, 9, 30)) is None
    assert known.warning_year(date(2027, 10, 1)) == 2028
    assert known.warning_year(date(2028, 3, 1)) == 2028  # the year itself, all year long
    assert YearsKnown.of([2028]).warning_year(date(2027, 12, 1)) is None


def test_three_file_forms_read_the_same_year() -> None:
    xml = parse_production_calendar(XML_2027.encode(), "2027.xml")[0]
    days = [{"d": f"{d.month:02d}.{d.day:02d}", "t": 1} for d in sorted(xml.days_off)]
    days += [{"d": "02.20", "t": 3}, {"d": "11.03", "t": 2}]
    js = parse_production_calendar(json.dumps({"year": 2027, "days": days}).encode(), "2027.json")[0]
    rows = ["date;kind"] + [f"{d.strftime('%d.%m.%Y')};выходной" for d in sorted(xml.days_off)]
    rows += ["2027-02-20;working", "2027-11-03;shortened"]
    csv = parse_production_calendar("\n".join(rows).encode("cp1251"), "2027.csv")[0]
    assert xml == js == csv
    assert date(2027, 11, 5) not in xml.days_off and date(2027, 12, 30) in xml.days_off
    assert xml.working_days == {date(2027, 2, 20)} and xml.shortened == {date(2027, 11, 3)}
    diff = diff_year(package_year(2027), xml)
    assert diff.rows() == [(date(2027, 11, 5), "day_off", "working"), (date(2027, 12, 30), "working", "day_off")]
    with pytest.raises(CalendarError, match=r"MM\.DD"):
        parse_production_calendar(b'<calendar year="2027"><days><day d="2027-01-01" t="1"/></days></calendar>')
    with pytest.raises(CalendarError, match="kind of day"):
        parse_production_calendar(b"2027-01-01,sometimes\n")


def test_imported_day_wins_over_the_package_and_company_days_stay_on_top() -> None:
    year = parse_production_calendar(XML_2027.encode())[0]
    cal = WorkingCalendar.from_dict({**WorkingCalendar.weekly("09:00-18:00").to_dict(),
                                     "national": {"2027": year.to_dict()}, "working_days": ["2027-12-30"]})
    assert WorkingCalendar.from_dict(cal.to_dict()) == cal
    assert cal.day(date(2027, 11, 5)).is_working  # the package says holiday; the import says working
    assert cal.day(date(2027, 12, 30)).kind == "company_working"  # the company works on the new day off
    assert cal.day(date(2028, 1, 3)).kind == "holiday"  # other years: the package as before


def _ticket(ws, received: datetime, subject: str = "x") -> str:
    with ws.db.session() as s:
        return create_ticket_in(s, ws, NewTicket(subject=subject, requester="a@vector.ru", received_at=received)).tid


def _due(ws, tid: str) -> datetime:
    return datetime.fromisoformat(listing.ticket_detail(ws, tid)["reaction_due_at"])


def test_import_2027_previews_then_moves_a_deadline(ws, clock, tmp_path: Path) -> None:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    clock.t = datetime(2027, 11, 3, 7, 0, tzinfo=UTC)  # Wednesday 10:00 Moscow
    tid = _ticket(ws, clock.t)
    # 24 working hours: Wed 8 h, Thu 4 Nov and Fri 5 Nov holidays, Mon 9 h, Tue 7 h
    assert _due(ws, tid) == datetime(2027, 11, 9, 16, 0, tzinfo=UTC) - MSK
    path = tmp_path / "calendar-2027.xml"
    path.write_text(XML_2027, encoding="utf-8")
    preview = calendar_import.preview_import(ws, calendar_import.read_calendar_file(path))
    assert [m.tid for m in preview.moves.moves] == [tid]
    assert preview.moves.moves[0].after == datetime(2027, 11, 8, 16, 0, tzinfo=UTC) - MSK
    assert _due(ws, tid) == datetime(2027, 11, 9, 16, 0, tzinfo=UTC) - MSK  # a preview changes nothing

    assert calendar_import.apply_import(ws, calendar_import.read_calendar_file(path), path.name) == 1
    assert _due(ws, tid) == datetime(2027, 11, 8, 16, 0, tzinfo=UTC) - MSK  # Fri 5 Nov is worked
    records = calendar_import.year_records(ws, 2026, 2028)
    assert [(r.year, r.source) for r in records] == [(2026, "package"), (2027, "import")]
    regulation.save_calendar_record(ws, "novosib", "Новосибирск",
                                    WorkingCalendar.weekly("09:00-18:00", timezone="Asia/Novosibirsk").to_dict(), new=True)
    made_later = next(c for c in regulation.calendars(ws) if c["code"] == "novosib")
    assert "2027" in made_later["spec"]["national"]  # a calendar made after the import counts on it


def test_a_deadline_in_2028_says_the_year_is_not_confirmed(ws, clock) -> None:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    clock.t = datetime(2027, 12, 29, 7, 0, tzinfo=UTC)  # Wednesday 29 December 2027
    tid = _ticket(ws, clock.t)
    text = explain_deadline(ws, tid, "reaction", "en")
    assert "production calendar for 2028 is not confirmed" in text
    assert "не подтверждён" in explain_deadline(ws, tid, "reaction", "ru")
    calendar_import.confirm_year(ws, 2028)
    assert "not confirmed" not in explain_deadline(ws, tid, "reaction", "en")


def test_plan_change_moving_14_deadlines_previewed_cancelled_applied(ws, clock) -> None:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    start = clock.t  # Tuesday 17 November 2026, 10:00 Moscow
    tids = [_ticket(ws, start - timedelta(hours=8 * i), f"t{i}") for i in range(14)]
    before = {t: _due(ws, t) for t in tids}
    moves = regulation_preview.preview_plan(ws, "commercial", reaction={"normal": 600})
    assert moves.checked == 14 and moves.tickets_moved == 14
    assert {m.tid: m.before for m in moves.moves} == before
    assert moves.becoming_breached > 0  # 10 working hours: the oldest ones are already late
    assert all(m.after is not None and m.after < m.before for m in moves.moves)
    # Cancelled: nothing was stored.
    assert {t: _due(ws, t) for t in tids} == before
    assert regulation.set_plan(ws, "commercial", reaction={"normal": 600}) == 14
    assert {t: _due(ws, t) for t in tids} == {m.tid: m.after for m in moves.moves}


def test_cli_dry_run_prints_the_same_table_and_changes_nothing(ws, clock, tmp_path: Path, capsys) -> None:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    tid = _ticket(ws, clock.t)
    ws.close()
    home = str(tmp_path / "home")
    assert main(["--home", home, "plan-set", "commercial", "--reaction", "normal=600", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["applied"] is False and out["tickets_moved"] == 1 and out["moves"][0]["tid"] == tid
    assert main(["--home", home, "calendar", "day-off", "moscow_9_18", "2026-11-18", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert tid in text and "dry run: nothing changed" in text
    assert main(["--home", home, "calendar", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["first_unconfirmed_year"] == 2028 and "2028" in listed["warning"]
    assert main(["--home", home, "calendar", "list"]) == 0
    captured = capsys.readouterr()
    assert "first year not confirmed: 2028" in captured.out and "warning" in captured.err


def test_client_plan_change_moves_open_tickets_only_when_asked(ws, clock, capsys, tmp_path: Path) -> None:
    clients.add_client(ws, "Вектор", domains=["vector.ru"], plan="commercial")
    tid = _ticket(ws, clock.t)  # Tuesday 10:00 Moscow, 24 working hours → Thursday 16:00
    before = _due(ws, tid)
    from desktop.services import client_plan

    assert client_plan.preview_client_plan(ws, "Вектор", "premium", open_tickets=False).moves == ()
    moves = client_plan.preview_client_plan(ws, "Вектор", "premium", open_tickets=True)
    assert [m.tid for m in moves.moves] == [tid] and moves.moves[0].plan == "commercial → premium"
    assert _due(ws, tid) == before
    ws.close()
    home = str(tmp_path / "home")
    assert main(["--home", home, "client", "set-plan", "Вектор", "premium", "--open-tickets", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["moves"][0]["after"] == moves.moves[0].after.isoformat()
    assert main(["--home", home, "client", "set-plan", "Вектор", "premium", "--open-tickets"]) == 0
    assert "1 open tickets recomputed" in capsys.readouterr().out
    from desktop.services.workspace import open_workspace

    again = open_workspace(home=tmp_path / "home", clock=clock, actor="tester")
    try:
        assert _due(again, tid) == moves.moves[0].after
        assert clients.get_client(again, "Вектор").plan == "premium"
    finally:
        again.close()


def test_the_open_data_table_reads_as_the_package_knows_2025() -> None:
    """data.gov.ru's form: a row per year, each month's non-working days, weekends included."""
    import calendar as cal_module

    known = package_year(2025)
    cells = []
    for month in range(1, 13):
        days = []
        for d in range(1, cal_module.monthrange(2025, month)[1] + 1):
            day = date(2025, month, d)
            if day in known.days_off or (day.weekday() >= 5 and day not in known.working_days):
                days.append(f"{d}*" if day == date(2025, 3, 7) else str(d))
        if month == 3:
            days.append("7*")  # a shortened pre-holiday Friday
        cells.append('"' + ",".join(days) + '"')
    text = "Год/Месяц,Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь,Всего\n"
    parsed = parse_production_calendar(f"{text}2025,{','.join(cells)},247\n".encode(), "data-20241001.csv")[0]
    assert diff_year(known, parsed).rows() == []
    assert date(2025, 11, 1) in parsed.working_days and parsed.shortened == {date(2025, 3, 7)}
    assert date(2025, 1, 11) not in parsed.days_off  # an ordinary Saturday stays the calendar's own
    cal = WorkingCalendar.from_dict({**WorkingCalendar.weekly("09:00-18:00").to_dict(),
                                     "national": {"2025": parsed.to_dict()}})
    assert sum(cal.day(date.fromordinal(date(2025, 1, 1).toordinal() + i)).is_working for i in range(365)) == 247
