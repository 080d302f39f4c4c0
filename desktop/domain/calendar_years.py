"""Which years of Russia's production calendar are known for certain, and when to say so.

The government decrees each autumn how the next year's holidays are moved; until someone
writes that down, a deadline in that year is counted on a guess (the ``holidays`` package
knows only the statutory dates of a year it has no transfers for). A year is *confirmed* when
the package lists its transfers, or when the administrator imported the year's production
calendar or confirmed the package's days by hand. Pure: the caller passes today and the years
the workspace confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desktop.domain.calendar_days import package_confirmed_years

#: From this day of the year before (1 October) the window warns about the coming year: the
#: decree usually appears in September–October, and tickets opened in December already have
#: deadlines in January.
WARN_FROM = (10, 1)


@dataclass(frozen=True)
class YearsKnown:
    """The confirmed years: the package's plus the workspace's own (imported or by hand)."""

    package: frozenset[int]
    workspace: frozenset[int]

    @classmethod
    def of(cls, workspace: Iterable[int]) -> YearsKnown:
        return cls(package_confirmed_years(), frozenset(workspace))

    def confirmed(self, year: int) -> bool:
        return year in self.package or year in self.workspace

    def first_unconfirmed(self, from_year: int) -> int:
        year = from_year
        while self.confirmed(year):
            year += 1
        return year

    def listed(self, from_year: int, to_year: int) -> list[int]:
        """The confirmed years in a range (the package's stretch back to 1971 is not listed)."""
        return [y for y in range(from_year, to_year + 1) if self.confirmed(y)]

    def warning_year(self, today: date) -> int | None:
        """The year to warn about today, or None: this year if it is not confirmed, the next
        one from 1 October on."""
        if not self.confirmed(today.year):
            return today.year
        if (today.month, today.day) >= WARN_FROM and not self.confirmed(today.year + 1):
            return today.year + 1
        return None


def unconfirmed_warning(year: int, lang: str = "ru") -> str:
    """One sentence for a deadline or a list in an unconfirmed year."""
    if lang.startswith("ru"):
        return (f"Производственный календарь на {year} год не подтверждён: известны только "
                "установленные законом праздники, без переносов. Импортируйте календарь или "
                "подтвердите год в настройках календарей — сроки в этом году могут сдвинуться.")
    return (f"The production calendar for {year} is not confirmed: only the statutory holidays are "
            "known, no transfers. Import the calendar or confirm the year in the calendar settings — "
            "deadlines in that year may move.")
