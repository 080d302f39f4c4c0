"""The Settings window's requisites and numbering groups (R-UI-6): the same checks and words as
``reglament settings set``, saved all or nothing against what was read, a preview of the next
ticket and act numbers from the counters as they stand, and the bank details and hour rate on
the act."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.errors import ConflictError
from desktop.services import acts, clients, tickets
from desktop.services import regulation_settings as rs
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.settings import Executor, SettingRefused


def _cli_refusal(home: Path, key: str, value: str) -> str:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    r = subprocess.run([sys.executable, "-m", "desktop.cli", "settings", "set", key, value], capture_output=True,
                       text=True, env=env, timeout=120)
    assert r.returncode == 2
    return r.stderr.strip().removeprefix("reglament: ")


@pytest.mark.parametrize(("key", "value"), [
    ("act.vat_rate", "двадцать"), ("act.hour_rate", "12.345"), ("tid.prefix", "Т-1"), ("tid.width", "2"),
    ("act.number_pattern", "А-{month}"), ("executor", '{"name": "X", "inn": "123"}'),
])
def test_the_window_refuses_what_the_command_line_refuses_in_the_same_words(tmp_path, key, value) -> None:
    with pytest.raises(SettingRefused) as refused:
        rs.check_value(key, value)
    assert str(refused.value) == _cli_refusal(tmp_path / "home", key, value)


def test_a_group_is_saved_whole_and_a_change_meanwhile_is_a_conflict(ws) -> None:
    before = rs.read_group(ws, "requisites")
    assert before["act.hour_rate"] is None and isinstance(before["executor"], Executor)
    executor = {**before["executor"].__dict__, "bank_name": "ПАО Сбербанк", "bik": "044525225",
                "account": "40702810938000012345", "ogrn": "1027700132195"}
    with pytest.raises(SettingRefused, match="bank details without account"):
        rs.save_group(ws, "requisites", {"executor": {**executor, "account": ""}, "act.hour_rate": "2500"}, before)
    assert rs.read_group(ws, "requisites") == before  # nothing of a refused group is kept
    assert rs.save_group(ws, "requisites", {"executor": executor, "act.vat_rate": "20", "act.hour_rate": "2 500,00"},
                         before) == ["executor", "act.vat_rate", "act.hour_rate"]
    after = rs.read_group(ws, "requisites")
    assert after["act.hour_rate"] == Decimal("2500.00") and after["executor"].bik == "044525225"
    with pytest.raises(ConflictError, match=r"act\.vat_rate was changed meanwhile"):
        rs.save_group(ws, "requisites", {"act.vat_rate": "10"}, before)
    assert rs.save_group(ws, "requisites", {"act.vat_rate": "20"}, after) == []


def test_the_preview_gives_the_next_numbers(ws, clock) -> None:
    with ws.db.session() as s:
        for _ in range(41):
            create_ticket_in(s, ws, NewTicket(subject="Вопрос", requester="a@b.ru", received_at=clock()))
    counters = rs.counters(ws)
    shown = rs.preview(counters, {"tid.prefix": "SUP", "tid.width": 4, "act.number_pattern": "{seq}/{year}"})
    assert shown == {"tid": "SUP-0042", "act": "1/2026"}
    bad = rs.preview(counters, {"tid.prefix": "1X", "tid.width": 4, "act.number_pattern": "{nope}"})
    assert isinstance(bad["tid"], SettingRefused) and isinstance(bad["act"], SettingRefused)
    rs.save_group(ws, "numbering", {"tid.prefix": "SUP", "tid.width": 4}, rs.read_group(ws, "numbering"))
    with ws.db.session() as s:
        assert create_ticket_in(s, ws, NewTicket(subject="Ещё", requester="a@b.ru", received_at=clock())).tid == "SUP-0042"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_act_carries_the_bank_details_and_prices_work_by_the_hour_rate(ws, clock, tmp_path, qapp) -> None:
    clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="commercial", contract_no="К-1",
                       inn="7714123456", address="Москва")
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject="Форма", requester="m@romashka.ru", received_at=clock())).tid
    tickets.take_into_work(ws, tid, notify=False)
    tickets.log_work(ws, tid, "Исправление формы", 90)  # no amount of its own: 1.5 h at the rate
    tickets.log_work(ws, tid, "Проверка", 30, "100.00")
    tickets.set_paid(ws, tid, True, "Вне тарифа")
    tickets.resolve(ws, tid, notify=False)
    before = rs.read_group(ws, "requisites")
    executor = {**before["executor"].__dict__, "bank_name": "ПАО Сбербанк", "bik": "044525225",
                "account": "40702810938000012345"}
    rs.save_group(ws, "requisites", {"executor": executor, "act.hour_rate": "3000"}, before)
    path = acts.issue_act(ws, tid, out_dir=tmp_path).path
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "40702810938000012345" in text and "044525225" in text
    assert "4 500,00" in text and "4 600,00" in text  # 1.5 h × 3,000 and the total with the priced line
