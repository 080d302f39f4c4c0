"""Departments and refusal/postponement reasons (R-TICKET-2, R-TICKET-4): added, renamed,
moved, retired (offered nowhere, kept on old tickets) and deleted only when no ticket has one;
the same from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.domain.tickets import Direction
from desktop.errors import NotFound, ValidationError
from desktop.services import catalogs, tickets
from desktop.services.reads import listing
from desktop.services.reads.queue_spec import choices
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in


def _new(ws) -> str:
    with ws.db.session() as s:
        t = create_ticket_in(s, ws, NewTicket(subject="Вопрос", requester="a@b.ru", received_at=ws.now(), text="т"))
        add_message_in(s, ws, t, Direction.INCOMING, text="т", from_addr="a@b.ru")
        return t.tid


def test_a_department_is_added_renamed_moved_and_retired_but_stays_on_its_tickets(ws) -> None:
    entry = catalogs.add(ws, "department", "billing", "Billing", "Бухгалтерия")
    assert (entry.code, entry.title("ru"), entry.active, entry.used) == ("billing", "Бухгалтерия", True, 0)
    assert [d.code for d in choices(ws).departments][-1] == "billing"
    catalogs.move(ws, "department", "billing", -10)
    assert choices(ws).departments[0].code == "billing"
    catalogs.rename(ws, "department", "billing", title_ru="Расчёты")
    assert next(e for e in catalogs.entries(ws, "department") if e.code == "billing").title_ru == "Расчёты"

    tid = _new(ws)
    tickets.update_fields(ws, tid, department="billing")
    catalogs.retire(ws, "department", "billing")
    assert "billing" not in [d.code for d in choices(ws).departments]  # offered nowhere
    assert listing.ticket_detail(ws, tid)["department"] == "billing"  # still on its ticket
    other = _new(ws)
    with pytest.raises(ValidationError, match="retired"):
        tickets.update_fields(ws, other, department="billing")
    with pytest.raises(ValidationError, match="on 1 ticket"):
        catalogs.delete(ws, "department", "billing")
    catalogs.retire(ws, "department", "billing", retired=False)
    tickets.update_fields(ws, other, department="billing")


def test_only_an_unused_entry_is_deleted_and_codes_are_checked(ws) -> None:
    catalogs.add(ws, "reason", "no_answer", "No answer", "", use="postpone")
    entry = next(e for e in catalogs.entries(ws, "reason") if e.code == "no_answer")
    assert (entry.title_ru, entry.use) == ("No answer", "postpone")  # one title serves both
    catalogs.delete(ws, "reason", "no_answer")
    assert all(e.code != "no_answer" for e in catalogs.entries(ws, "reason"))
    with pytest.raises(ValidationError, match="taken"):
        catalogs.add(ws, "reason", "duplicate", "Again", "Снова")
    with pytest.raises(ValidationError, match="cannot be a code"):
        catalogs.add(ws, "department", "Отдел", "Dept", "Отдел")
    with pytest.raises(ValidationError, match="title"):
        catalogs.add(ws, "department", "empty", " ", "")
    with pytest.raises(ValidationError, match=r"refuse \| postpone \| both"):
        catalogs.add(ws, "reason", "odd", "Odd", "Странно", use="sometimes")
    with pytest.raises(NotFound):
        catalogs.rename(ws, "department", "nope", "X")


def test_a_retired_reason_is_refused_for_new_refusals_and_kept_on_old_ones(ws) -> None:
    tid = _new(ws)
    tickets.refuse(ws, tid, "out_of_scope", reply="")
    catalogs.retire(ws, "reason", "out_of_scope")
    assert "out_of_scope" not in [r.code for r, _use in choices(ws).reasons]
    with pytest.raises(ValidationError):
        tickets.refuse(ws, _new(ws), "out_of_scope", reply="")
    assert listing.ticket_detail(ws, tid)["status"] == "refused"
    with pytest.raises(ValidationError, match="retire it instead"):
        catalogs.delete(ws, "reason", "out_of_scope")


def test_the_last_department_in_use_stays(ws) -> None:
    for code in ("consultations", "sales"):
        catalogs.delete(ws, "department", code)
    with pytest.raises(ValidationError, match="last department"):
        catalogs.retire(ws, "department", "technical")


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True,
                          env=env, timeout=180)


def test_departments_and_reasons_on_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "departments", "add", "billing", "--en", "Billing", "--ru", "Бухгалтерия").returncode == 0
    assert _run(home, "departments", "move", "billing", "-1").returncode == 0
    assert _run(home, "departments", "retire", "billing").returncode == 0
    listed = json.loads(_run(home, "departments", "list", "--json").stdout)
    billing = next(d for d in listed if d["code"] == "billing")
    assert billing == {"code": "billing", "title_en": "Billing", "title_ru": "Бухгалтерия", "active": False,
                       "position": 2, "tickets": 0}
    assert _run(home, "reasons", "add", "holiday", "--en", "Holidays", "--ru", "Праздники",
                "--use", "postpone").returncode == 0
    assert _run(home, "reasons", "rename", "holiday", "--en", "Public holidays").returncode == 0
    reasons = json.loads(_run(home, "reasons", "list", "--json").stdout)
    assert {"code": "holiday", "title_en": "Public holidays", "use": "postpone"}.items() <= reasons[-1].items()
    bad = _run(home, "departments", "add", "Bad Code")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "cannot be a code" in bad.stderr
    assert _run(home, "reasons", "delete", "holiday").returncode == 0
    gone = _run(home, "reasons", "delete", "holiday")
    assert gone.returncode == 1 and "there is no reason 'holiday'" in gone.stderr
    assert _run(home, "departments", "retire").returncode == 2
