"""How long n-of-N work has left, from how fast it went so far.

One estimate for every progress display — the window's status bar and the terminal's bar of
``reglament sync --once`` — so the two never disagree on the same sync. Time is an argument: the
caller passes its monotonic clock's reading with each step (tests pass their own).

No estimate is given until the work has moved a few items and a moment: a first batch's time
is mostly connecting and warming caches, and "about 3 hours" flashed after the first item only
misleads. The rate is measured from the first step seen, not from zero, so work resumed at
12,000 of 20,000 is not taken for having done 12,000 items in a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Items the work must have moved before an estimate is given.
MIN_ITEMS = 3
#: Seconds the work must have run before an estimate is given.
MIN_SECONDS = 1.0


@dataclass
class Estimate:
    """Feed it ``step(done, total, now)``; ``seconds_left()`` is None until it can tell."""

    min_items: int = MIN_ITEMS
    min_seconds: float = MIN_SECONDS
    done: int = 0
    total: int = 0
    _base: tuple[int, float] | None = field(default=None, repr=False)
    _last: tuple[int, float] | None = field(default=None, repr=False)

    def step(self, done: int, total: int, now: float) -> None:
        if self._base is None or done < self._base[0]:  # started again from a lower count
            self._base = (done, now)
        self.done, self.total = done, total
        self._last = (done, now)

    def rate(self) -> float | None:
        """Items per second since the first step, once there is enough to go on."""
        if self._base is None or self._last is None:
            return None
        moved = self._last[0] - self._base[0]
        elapsed = self._last[1] - self._base[1]
        if moved < self.min_items or elapsed < self.min_seconds:
            return None
        return moved / elapsed

    def seconds_left(self) -> float | None:
        rate = self.rate()
        if rate is None or rate <= 0:
            return None
        return max(self.total - self.done, 0) / rate

    @property
    def fraction(self) -> float:
        return min(self.done / self.total, 1.0) if self.total > 0 else 0.0


def rounded_minutes(seconds: float) -> int:
    """Whole minutes to say, rounded up (a display never promises less than is left)."""
    return max(1, int(-(-seconds // 60)))
