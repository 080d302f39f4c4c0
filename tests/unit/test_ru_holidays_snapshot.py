"""The Russian holidays the calendars count are the ``holidays`` package's, whether read from the
snapshot of the years around today (which spares every process the package's import of all its
countries) or from the package itself."""

from __future__ import annotations

from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

from desktop.domain import calendar_days, ru_holidays_snapshot
from desktop.domain.calendar_days import (
    SNAPSHOT_LANGUAGES,
    package_confirmed_years,
    package_ru_year,
    ru_year,
    snapshot_text,
)

SNAPSHOT = Path(ru_holidays_snapshot.__file__)
REGENERATE = ("the snapshot is not what the installed holidays release says: regenerate it with\n"
              "  python -c \"from desktop.domain.calendar_days import snapshot_text as t; "
              "open('desktop/domain/ru_holidays_snapshot.py', 'w').write(t(2000, 2045))\"")


@pytest.mark.parametrize("year", [1995, 2000, 2019, 2024, 2025, 2026, 2027, 2028, 2045, 2060])
@pytest.mark.parametrize("language", SNAPSHOT_LANGUAGES)
def test_each_year_says_what_the_package_says(year: int, language: str) -> None:
    assert ru_year(year, language) == package_ru_year(year, language)


def test_the_confirmed_years_are_the_packages() -> None:
    from holidays.countries.russia import RussiaStaticHolidays

    last = max(int(y) for name in ("special_public_holidays", "special_public_holidays_observed", "special_workdays")
               for y in getattr(RussiaStaticHolidays, name, {}) or {})
    assert max(package_confirmed_years()) == last


def test_the_snapshot_is_the_installed_release_read_whole_or_is_not_used() -> None:
    installed = metadata.version("holidays")
    if installed != ru_holidays_snapshot.SOURCE_VERSION:
        # Another release may know a decree the snapshot does not: the package is asked.
        assert calendar_days._snapshot() is None
        return
    assert calendar_days._snapshot() is ru_holidays_snapshot
    years = ru_holidays_snapshot.YEARS
    assert SNAPSHOT.read_text(encoding="utf-8") == snapshot_text(min(years), max(years)), REGENERATE


def test_the_snapshot_covers_the_years_around_today() -> None:
    years = ru_holidays_snapshot.YEARS
    this_year = date.today().year
    assert min(years) <= this_year - 5 and this_year + 10 <= max(years)


def test_a_calendar_counts_the_may_holidays_without_importing_every_country() -> None:
    """In a fresh interpreter: a deadline across the 2026 May holidays, and which modules came in."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from datetime import datetime, timedelta\n"
        "from zoneinfo import ZoneInfo\n"
        "from desktop.domain.calendar_presets import preset\n"
        "cal = preset('moscow_9_18')\n"
        "due = cal.add(datetime(2026, 4, 30, 17, tzinfo=ZoneInfo('Europe/Moscow')), timedelta(hours=2))\n"
        "print(due.isoformat())\n"
        "print(sum(m.startswith('holidays.countries.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out[0] == "2026-05-04T10:00:00+03:00"  # 1–3 May are days off, 4 May a working Monday
    if calendar_days._snapshot() is not None:
        assert out[1] == "0"
