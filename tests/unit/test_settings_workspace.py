"""Settings through the workspace, the services and ``reglament settings``: typed reads, checked
writes, a bad stored value named when the workspace opens, exit 2 for a wrong key or value."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event, update

from desktop import settings
from desktop.cli import main
from desktop.errors import ConfigError, NotFound
from desktop.services import regulation
from desktop.services.workspace import open_workspace
from desktop.settings import Executor, SettingRefused, UnknownSetting
from desktop.store.models import Setting as SettingRow


def _store_raw(ws, key: str, value: object) -> None:
    """A row as a hand edit or an older version left it: past every check."""
    with ws.db.session() as s:
        if s.get(SettingRow, key) is None:
            s.add(SettingRow(key=key, value=value))
        else:
            s.execute(update(SettingRow).where(SettingRow.key == key).values(value=value))


# --- typed reads and checked writes ----------------------------------------------------------


def test_reads_come_in_the_declared_type(ws) -> None:
    with ws.db.session() as s:
        assert ws.setting(settings.AUTOCLOSE_DAYS, s) == 2
        assert ws.setting(settings.VAT_RATE, s) is None
        assert isinstance(ws.setting(settings.EXECUTOR, s), Executor)
        assert ws.setting("autoclose.unit", s) == "calendar"  # a key goes through the same declaration
    regulation.set_setting(ws, "act.vat_rate", "20")
    assert ws.setting(settings.VAT_RATE) == Decimal(20)
    regulation.set_setting(ws, "executor", {"name": "ИП Петров", "inn": "771234567890"})
    assert ws.setting(settings.EXECUTOR) == Executor(name="ИП Петров", inn="771234567890")


def test_an_undeclared_key_is_refused_on_read_and_write(ws) -> None:
    with pytest.raises(UnknownSetting, match=r"sla\.warn_share"):
        ws.setting("sla.warn_share")
    with pytest.raises(UnknownSetting):
        ws.set_setting("act.hourly_rate", "2500")
    with pytest.raises(NotFound, match=r"no\.such"):
        regulation.set_setting(ws, "no.such", 1)


def test_the_workspace_refuses_to_store_a_wrong_value(ws) -> None:
    with pytest.raises(SettingRefused, match=r"act\.vat_rate must be a number from 0 to 100"):
        ws.set_setting(settings.VAT_RATE, "twenty")
    with pytest.raises(SettingRefused, match=r"act\.number_pattern cannot be"):
        regulation.set_setting(ws, "act.number_pattern", "A-{month}")  # the act numbering's own rule
    assert ws.setting(settings.VAT_RATE) is None


def test_settings_are_read_once_per_unit_of_work(ws) -> None:
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", seen)
    try:
        with ws.db.session() as s:
            for _ in range(50):
                ws.setting(settings.REOPEN_DAYS, s)
                ws.setting("mail.autoreply_per_hour", s)
                ws.tid_format(s)
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", seen)
    reads = [st for st in statements if "FROM settings" in st]
    assert len(reads) == 4  # two settings and the two of the TID format, each once


# --- a bad value already stored, or in the settings file ----------------------------------------


def test_a_bad_stored_value_is_named_when_the_workspace_opens(tmp_path: Path, clock) -> None:
    ws = open_workspace(home=tmp_path / "home", clock=clock, actor="tester")
    _store_raw(ws, "act.vat_rate", "twenty")
    _store_raw(ws, "sla.warn_share", 7)  # an older version's key: nothing reads it, left alone
    # Read in the same process before reopening: reported by name, never an AttributeError later.
    with pytest.raises(ConfigError, match=r"stored setting act\.vat_rate is refused.*reglament settings set act\.vat_rate"):
        ws.setting(settings.VAT_RATE)
    ws.close()
    with pytest.raises(ConfigError, match=r"act\.vat_rate.*a number from 0 to 100, or none, not 'twenty'"):
        open_workspace(home=tmp_path / "home", clock=clock, actor="tester")


def test_a_bad_value_in_the_local_settings_file_is_named(tmp_path: Path, clock) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text(json.dumps({"agent": ["anna"]}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings\.json holds \['anna'\] for agent, which must be text"):
        open_workspace(home=home, clock=clock)
    (home / "settings.json").write_text(json.dumps({"agent": "anna", "theme": 3}), encoding="utf-8")
    ws = open_workspace(home=home, clock=clock)
    assert ws.actor == "anna"
    ws.close()


# --- reglament settings -----------------------------------------------------------------------


def _cli(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


@pytest.mark.parametrize(("key", "value", "words"), [
    ("act.vat_rate", "twenty", "act.vat_rate must be a number from 0 to 100, or none, not 'twenty'"),
    ("autoclose.after_days", "0", "autoclose.after_days must be a whole number from 1 to 365, not '0'"),
    ("autoclose.unit", "weekly", "autoclose.unit must be one of calendar, business, not 'weekly'"),
    ("autoclose.reminder_before_days", "5", "autoclose.reminder_before_days cannot be 5: The reminder must go out before closing"),
    ("sla.warn_share", "7", "there is no setting 'sla.warn_share'; known: acceptance.policy"),
    ("act.hour_rate", "abc", "act.hour_rate must be an amount from 0 to 10000000 roubles, or none, not 'abc'"),
    ("act.hour_rate", "12.345", "act.hour_rate must be an amount from 0 to 10000000 roubles"),
    ("executor", '{"name": "X", "bik": "044525225"}', "executor has bank details without bank_name, account"),
    ("executor", '{"name": "X", "ogrn": "12"}', "executor has ogrn '12'; it must be 13 or 15 digits"),
    ("no.such", "1", "there is no setting 'no.such'"),
])
def test_settings_set_refuses_with_exit_2_and_one_line(tmp_path: Path, capsys, key, value, words) -> None:
    assert _cli(tmp_path, "settings", "set", key, value) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("reglament: ") and words in err


def test_settings_set_and_list_show_type_bounds_and_default(tmp_path: Path, capsys) -> None:
    assert _cli(tmp_path, "settings", "set", "autoclose.after_days", "5") == 0
    assert _cli(tmp_path, "settings", "set", "act.vat_rate", "20") == 0
    capsys.readouterr()
    assert _cli(tmp_path, "settings", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert "autoclose.after_days = 5    # int: a whole number from 1 to 365; default 2" in lines
    assert 'act.vat_rate = "20"    # decimal: a number from 0 to 100, or none; default null' in lines
    assert len(lines) == len(settings.SETTINGS)

    assert _cli(tmp_path, "settings", "list", "--json") == 0
    values = json.loads(capsys.readouterr().out)
    assert values["autoclose.after_days"] == 5 and values["tid.prefix"] == "TID"  # {key: value}, as before
    assert _cli(tmp_path, "settings", "list", "--json", "--full") == 0
    described = {d["key"]: d for d in json.loads(capsys.readouterr().out)}
    assert described["autoclose.unit"] == {
        "key": "autoclose.unit", "value": "calendar", "type": "choice", "default": "calendar",
        "allowed": "one of calendar, business", "title_en": "Counting", "title_ru": "Считать",
        "description": settings.AUTOCLOSE_UNIT.about}


def test_a_bad_stored_value_fails_a_command_with_exit_1_naming_it(tmp_path: Path, clock, capsys) -> None:
    ws = open_workspace(home=tmp_path, clock=clock)
    _store_raw(ws, "autoclose.after_days", "soon")
    ws.close()
    assert _cli(tmp_path, "settings", "list") == 1  # not the user's typing: a failure, not usage
    assert "stored setting autoclose.after_days is refused" in capsys.readouterr().err


def test_the_named_remedy_works_settings_set_repairs_a_bad_stored_value(tmp_path: Path, clock, capsys) -> None:
    ws = open_workspace(home=tmp_path, clock=clock)
    _store_raw(ws, "autoclose.after_days", "soon")
    _store_raw(ws, "autoclose.reminder_before_days", "later")
    ws.close()
    # Each bad one is repaired though the other is still bad (neither waits for the other)…
    assert _cli(tmp_path, "settings", "set", "autoclose.reminder_before_days", "1") == 0
    assert _cli(tmp_path, "settings", "set", "autoclose.after_days", "4") == 0
    # …and once both are good, a value bad together with the others is refused again.
    assert _cli(tmp_path, "settings", "set", "autoclose.reminder_before_days", "4") == 2
    capsys.readouterr()
    assert _cli(tmp_path, "settings", "list", "--json") == 0
    values = json.loads(capsys.readouterr().out)
    assert (values["autoclose.after_days"], values["autoclose.reminder_before_days"]) == (4, 1)
