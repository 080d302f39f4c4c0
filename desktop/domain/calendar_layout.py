"""A calendar's working time laid out as absolute instants, for fast deadline arithmetic.

Why a precomputed layout: the queue recomputes deadlines for up to 100,000 tickets at once (a plan
or calendar change), and the UI asks for remaining time of every visible row each second. Walking
day by day per call is far too slow, so each calendar lazily builds one table of its working
intervals as absolute instants (integer microseconds since the Unix epoch) with the working time
accumulated before each interval. ``add`` and ``between`` are then two binary searches and a few
integer operations. Converting wall-clock intervals to absolute instants once per day also makes
DST zones exact: an interval on a day with a clock shift simply has its real length.

Apart from :class:`~desktop.domain.calendar.WorkingCalendar` because the layout is a cache with
its own rules (one contiguous span, grown on demand, rebuilt lazily after a copy); the calendar
hands it the hours of each day.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

from desktop.domain.calendar_spec import MAX_YEAR, MIN_YEAR, CalendarError, Interval

US = 1_000_000

#: (lo_us, hi_us, starts, ends, cum, lo_ordinal, hi_ordinal); cum has len(starts)+1 items
Snap = tuple[int, int, list[int], list[int], list[int], int, int]
#: The working intervals of one local date (a calendar's ``day(d).intervals``).
Hours = Callable[[date], tuple[Interval, ...]]

# One lock for all layout builds: builds are rare and short, readers never take it (they read an
# immutable snapshot), so contention is not a concern.
_BUILD_LOCK = threading.Lock()


class Layout:
    """The layout of one calendar: an immutable snapshot swapped whole when it grows.

    Held by the calendar outside its equality and hash; readers never lock (they read one
    snapshot), builders take the one lock. A copy (pickle, ``copy``) starts empty and rebuilds
    lazily.
    """

    __slots__ = ("snap", "tz")

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.snap: Snap | None = None

    def __reduce__(self) -> tuple[type[Layout], tuple[tzinfo]]:
        return (Layout, (self.tz,))  # a copy rebuilds its layout lazily

    def local_us(self, ordinal: int, minute: int) -> int:
        naive = datetime.fromordinal(ordinal) + timedelta(minutes=minute)
        return int(naive.replace(tzinfo=self.tz).timestamp()) * US

    def _build_pairs(self, hours: Hours, lo: int, hi: int) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        for ordinal in range(lo, hi):
            for start, end in hours(date.fromordinal(ordinal)):
                a, b = self.local_us(ordinal, start), self.local_us(ordinal, end)
                if a < b:
                    pairs.append((a, b))
        return pairs

    def ensure(self, hours: Hours, lo_ord: int, hi_ord: int) -> Snap:
        """Make the layout cover local dates [lo_ord, hi_ord) and return the new snapshot."""
        lo_ord = max(lo_ord, date(MIN_YEAR, 1, 1).toordinal())
        hi_ord = min(hi_ord, date(MAX_YEAR + 1, 1, 1).toordinal())
        with _BUILD_LOCK:
            snap = self.snap
            if snap is not None and snap[5] <= lo_ord and hi_ord <= snap[6]:
                return snap
            if snap is None:
                pairs = self._build_pairs(hours, lo_ord, hi_ord)
            else:
                old_lo, old_hi = snap[5], snap[6]
                lo_ord, hi_ord = min(lo_ord, old_lo), max(hi_ord, old_hi)
                pairs = (self._build_pairs(hours, lo_ord, old_lo) + list(zip(snap[2], snap[3], strict=True))
                         + self._build_pairs(hours, old_hi, hi_ord))
            pairs.sort()
            starts: list[int] = []
            ends: list[int] = []
            for a, b in pairs:  # merge touching intervals (24:00 → 00:00, DST oddities)
                if ends and a <= ends[-1]:
                    ends[-1] = max(ends[-1], b)
                else:
                    starts.append(a)
                    ends.append(b)
            cum = [0]
            total = 0
            for a, b in zip(starts, ends, strict=True):
                total += b - a
                cum.append(total)
            new = (self.local_us(lo_ord, 0), self.local_us(hi_ord, 0), starts, ends, cum,
                   lo_ord, hi_ord)
            self.snap = new
            return new

    def snap_for(self, hours: Hours, t_us: int) -> Snap:
        snap = self.snap
        if snap is not None and snap[0] <= t_us < snap[1]:
            return snap
        day = datetime.fromtimestamp(t_us // US, self.tz).date()
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise CalendarError("{day} is outside {first_year}–{last_year}.", day=day.isoformat(), first_year=MIN_YEAR, last_year=MAX_YEAR)
        lo = date(max(MIN_YEAR, day.year - 1), 1, 1).toordinal()
        hi = date(min(MAX_YEAR, day.year + 1) + 1, 1, 1).toordinal()
        if snap is not None:  # the layout stays one contiguous span: grow it towards t
            lo, hi = min(lo, snap[5]), max(hi, snap[6])
        return self.ensure(hours, lo, hi)

    def snap_for_work(self, hours: Hours, snap: Snap, work: int) -> Snap:
        """Extend forward until the layout holds ``work`` µs of working time from its start."""
        while snap[4][-1] < work:
            if snap[6] >= date(MAX_YEAR + 1, 1, 1).toordinal():
                raise CalendarError("The deadline falls after {last_year}; check the duration.", last_year=MAX_YEAR)
            span = max(366, (snap[6] - snap[5]))  # double the span: few rebuilds for long adds
            snap = self.ensure(hours, snap[5], snap[6] + span)
        return snap

    @staticmethod
    def work_at(snap: Snap, t_us: int) -> int:
        """Working µs from the layout's start up to ``t_us``."""
        starts, ends, cum = snap[2], snap[3], snap[4]
        i = bisect_right(ends, t_us)
        if i < len(starts) and t_us > starts[i]:
            return cum[i] + t_us - starts[i]
        return cum[i]

    def add_us(self, hours: Hours, t_us: int, d_us: int) -> int:
        snap = self.snap_for(hours, t_us)
        target = self.work_at(snap, t_us) + d_us
        if target > snap[4][-1]:
            snap = self.snap_for_work(hours, snap, target)
            target = self.work_at(snap, t_us) + d_us  # an earlier prefix may have been added
            snap = self.snap_for_work(hours, snap, target)
        cum = snap[4]
        j = bisect_left(cum, target) - 1
        return snap[2][j] + target - cum[j]

