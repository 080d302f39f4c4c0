"""One rule for times (issue 19, point 1): shown in the agent's zone, the calendar's zone named
beside it where they differ; the zone chosen once per workstation and kept in settings.json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop import settings, times
from desktop.cli.common import shown_time
from desktop.domain.sla import Clock, Target
from desktop.domain.sla_explain import explain
from desktop.domain.sla_format import format_explanation
from desktop.errors import ConfigError
from desktop.services.display_zone import choose_zone, chosen_zone
from desktop.services.workspace import open_workspace
from tests.unit.test_sla import CAL

MSK = ZoneInfo("Europe/Moscow")
NSK = ZoneInfo("Asia/Novosibirsk")
DUE = datetime(2026, 12, 7, 18, 0, tzinfo=MSK)


@pytest.fixture(autouse=True)
def _computer_zone_after() -> Iterator[None]:
    yield
    times.set_viewer_zone("")


def test_a_deadline_in_another_zone_says_both() -> None:
    times.set_viewer_zone("Asia/Novosibirsk")
    assert times.dual(DUE, MSK, "ru") == "07.12.2026 18:00 МСК — 22:00 у вас"
    assert times.dual(DUE, MSK, "en") == "07.12.2026 18:00 MSK — 22:00 your time"
    late = datetime(2026, 12, 7, 21, 30, tzinfo=MSK)  # already tomorrow for the agent
    assert times.dual(late, MSK, "en") == "07.12.2026 21:30 MSK — 08.12 01:30 your time"
    assert times.dual(DUE, MSK, "en", with_date=False) == "18:00 MSK — 22:00 your time"
    times.set_viewer_zone("Europe/Moscow")
    assert times.dual(DUE, MSK, "ru") == "07.12.2026 18:00"  # the same zone: said once


def test_the_agents_zone_is_used_for_every_screen_time() -> None:
    times.set_viewer_zone("Asia/Novosibirsk")
    assert times.viewer_zone_name() == "Asia/Novosibirsk"
    assert times.date_time(DUE) == "07.12.2026 22:00"
    assert times.short_date_time(DUE) == "07.12 22:00"
    assert times.clock_time(DUE) == "22:00"
    assert times.when(DUE, DUE + timedelta(hours=1)) == "22:00"
    assert times.when(DUE, DUE + timedelta(days=2)) == "07.12 22:00"
    assert times.when(DUE, DUE + timedelta(days=400)) == "07.12.2026"
    assert shown_time(DUE) == "2026-12-07T22:00+07:00"  # the command line: ISO 8601 with the offset
    times.set_viewer_zone("")
    assert times.viewer_tz().utcoffset(DUE) == datetime.now().astimezone().utcoffset()


def test_zone_names_as_people_say_them() -> None:
    assert times.zone_label(DUE, "ru") == "МСК" and times.zone_label(DUE, "en") == "MSK"
    assert times.zone_label(DUE.astimezone(NSK), "ru") == "МСК+4"
    assert times.zone_label(DUE.astimezone(NSK), "en") == "UTC+7"
    assert times.zone_label(DUE.astimezone(ZoneInfo("Asia/Kolkata")), "en") == "IST"
    assert times.utc_offset(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert times.utc_offset(timedelta(hours=-3)) == "UTC−3"
    assert times.utc_offset(timedelta(0)) == "UTC"


def test_a_client_reads_the_calendars_zone_named() -> None:
    times.set_viewer_zone("Asia/Novosibirsk")  # the agent's zone never leaks into a client's text
    assert times.in_zone(DUE, MSK, "ru") == "07.12.2026 18:00 (МСК)"
    assert times.in_zone(DUE.astimezone(UTC), MSK, "en", with_date=False) == "18:00 (MSK)"
    assert times.iso(DUE) == "2026-12-07T18:00:00+03:00" and times.iso(None) is None


def test_an_unknown_zone_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        times.set_viewer_zone("Mars/Olympus")
    with pytest.raises(settings.SettingRefused, match=r"display\.timezone"):
        settings.LOCAL_DISPLAY_ZONE.check("Mars/Olympus")
    assert settings.LOCAL_DISPLAY_ZONE.check("Asia/Novosibirsk") == "Asia/Novosibirsk"
    assert "Europe/Moscow" in times.zone_names() and "UTC" not in times.zone_names()


def test_the_explanation_says_the_agents_time_beside_the_calendars() -> None:
    received = datetime(2026, 12, 7, 10, 0, tzinfo=MSK)
    e = explain(CAL, Target("reaction", timedelta(hours=3)), Clock(received))
    ru = format_explanation(e, "ru", NSK)
    assert "Получено: пн 07.12.2026 10:00 (Europe/Moscow) — 14:00 у вас" in ru
    assert ru.endswith("Срок: пн 07.12.2026 13:00 (Europe/Moscow) — 17:00 у вас")
    en = format_explanation(e, "en", MSK)  # the same zone: nothing added
    assert en.endswith("Deadline: Mon 07.12.2026 13:00 (Europe/Moscow)")


def test_the_zone_is_chosen_per_workstation_and_kept(tmp_path: Path, clock) -> None:
    home = tmp_path / "home"
    ws = open_workspace(home=home, clock=clock)
    try:
        assert chosen_zone(ws) == ""
        assert choose_zone(ws, "Asia/Novosibirsk") == "Asia/Novosibirsk"
        assert times.viewer_zone_name() == "Asia/Novosibirsk"
        with pytest.raises(settings.SettingRefused):
            choose_zone(ws, "Nowhere/Special")
        assert times.viewer_zone_name() == "Asia/Novosibirsk"  # a refused name changes nothing
    finally:
        ws.close()
    assert json.loads((home / "settings.json").read_text(encoding="utf-8"))["display.timezone"] == "Asia/Novosibirsk"
    times.set_viewer_zone("")
    ws = open_workspace(home=home, clock=clock)  # the next start reads it back
    try:
        assert times.viewer_zone_name() == "Asia/Novosibirsk" and chosen_zone(ws) == "Asia/Novosibirsk"
        assert choose_zone(ws, " ") == ""  # back to the computer's zone
        assert "display.timezone" not in json.loads((home / "settings.json").read_text(encoding="utf-8"))
        assert times.viewer_zone_name() == ""
    finally:
        ws.close()
    (home / "settings.json").write_text(json.dumps({"display.timezone": "Mars/Olympus"}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"display\.timezone"):
        open_workspace(home=home, clock=clock)
