"""Working-time benchmark: 100,000 deadlines "received + 24 business hours" (issue 3).

Calendar: Moscow, Mon–Fri 09:00–18:00, Russian public holidays with transfers. Inputs: seeded
random received instants (to the second) over 2025–2026. Measured side by side in one run:

* ours, one call per ticket: ``WorkingCalendar.add`` (what a single ticket update does);
* ours, batch: ``WorkingCalendar.add_many`` (what ``desktop.domain.sla.deadlines_many`` — the
  bulk recompute on a plan/calendar change — runs for tickets without pauses);
* ``businesstimedelta`` 1.0.1 (``WorkDayRule`` + ``HolidayRule(holidays.RU)``), the reference.

Each "ours" run starts on a *fresh* calendar object, so building the layout is inside the time.
businesstimedelta is slow (~80 s for 100,000); ``--btd-sample N`` runs it on a seeded random
subset of N inputs and extrapolates its rate (the output says so); the default runs it on all.
Results are compared on the inputs both computed; every disagreement is classified: does the
span from received to the later result contain a transferred working Saturday/Sunday (which
businesstimedelta cannot express: it only knows days *off*)? Anything else would be a bug.

Run: ``.venv/bin/python tests/bench/bench_working_time.py [--n 100000] [--btd-sample N]``
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import businesstimedelta
import holidays
import pytz

from desktop.domain.calendar_presets import moscow_9_18

MSK = ZoneInfo("Europe/Moscow")
TARGET = timedelta(hours=24)


def make_inputs(n: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    lo = int(datetime(2025, 1, 1, tzinfo=MSK).timestamp())
    hi = int(datetime(2027, 1, 1, tzinfo=MSK).timestamp())
    return [datetime.fromtimestamp(rng.randrange(lo, hi), MSK) for _ in range(n)]


def run_ours_single(starts: list[datetime]) -> tuple[list[datetime], float]:
    cal = moscow_9_18()
    t0 = time.perf_counter()
    out = [cal.add(s, TARGET) for s in starts]
    return out, time.perf_counter() - t0


def run_ours_batch(starts: list[datetime]) -> tuple[list[datetime], float]:
    cal = moscow_9_18()
    t0 = time.perf_counter()
    out = cal.add_many(starts, TARGET)
    return out, time.perf_counter() - t0


def run_btd(starts: list[datetime]) -> tuple[list[datetime], float]:
    tz = pytz.timezone("Europe/Moscow")
    workday = businesstimedelta.WorkDayRule(start_time=dtime(9), end_time=dtime(18),
                                            working_days=[0, 1, 2, 3, 4], tz=tz)
    ru = holidays.RU(years=range(2024, 2029))
    rules = businesstimedelta.Rules([workday, businesstimedelta.HolidayRule(ru, tz=tz)])
    delta = businesstimedelta.BusinessTimeDelta(rules, timedelta=TARGET)
    t0 = time.perf_counter()
    out = [s + delta for s in starts]
    return out, time.perf_counter() - t0


def transferred_workdays() -> set[date]:
    return {d for y in range(2024, 2029) for d in holidays.RU(years=y).weekend_workdays}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20251101)
    ap.add_argument("--btd-sample", type=int, default=0,
                    help="run businesstimedelta on a random subset of this size (0 = all)")
    args = ap.parse_args()

    starts = make_inputs(args.n, args.seed)
    print(f"inputs: {args.n:,} received instants over 2025–2026 (seed {args.seed}), "
          f"+{TARGET // timedelta(hours=1)} business hours, Moscow 09–18 Mon–Fri + RU holidays")

    t0 = time.perf_counter()  # one-off costs, kept out of the rates below and shown here
    moscow_9_18().add(starts[0], TARGET)
    print(f"first call (holiday years + layout, once per process): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    single, t_single = run_ours_single(starts)
    batch, t_batch = run_ours_batch(starts)
    assert single == batch, "add_many must equal add"
    r_single, r_batch = args.n / t_single, args.n / t_batch
    print(f"ours, add() per call : {t_single:8.3f} s  {r_single:12,.0f} deadlines/s")
    print(f"ours, add_many()     : {t_batch:8.3f} s  {r_batch:12,.0f} deadlines/s")

    if args.btd_sample and args.btd_sample < args.n:
        idx = sorted(random.Random(args.seed + 1).sample(range(args.n), args.btd_sample))
        note = f"random subset of {len(idx):,}, rate extrapolated"
    else:
        idx = list(range(args.n))
        note = "all inputs"
    theirs, t_btd = run_btd([starts[i] for i in idx])
    r_btd = len(idx) / t_btd
    print(f"businesstimedelta    : {t_btd:8.3f} s  {r_btd:12,.0f} deadlines/s  ({note})")
    print(f"ratio ours/btd       : per call {r_single / r_btd:,.0f}x, batch {r_batch / r_btd:,.0f}x"
          f"  (target >= 100x)")

    workdays = transferred_workdays()
    disagree = on_workday = 0
    unexplained: list[tuple[datetime, datetime, datetime]] = []
    for k, i in enumerate(idx):
        ours, other = single[i], theirs[k]
        if ours == other:
            continue
        disagree += 1
        first = starts[i].astimezone(MSK).date()
        last = max(ours, other).astimezone(MSK).date()
        if any(first <= d <= last for d in workdays):
            on_workday += 1
        else:
            unexplained.append((starts[i], ours, other))
    share = 100 * disagree / len(idx)
    print(f"disagreements        : {disagree:,} of {len(idx):,} ({share:.2f}%); "
          f"{on_workday:,} span a transferred working day "
          f"({', '.join(sorted(d.isoformat() for d in workdays if d.year in (2025, 2026)))}), "
          f"{len(unexplained)} other")
    for s, o, t in unexplained[:10]:
        print(f"  UNEXPLAINED received {s.isoformat()}: ours {o.isoformat()}, "
              f"btd {t.astimezone(MSK).isoformat()}")
    if disagree:
        k = next(k for k, i in enumerate(idx) if single[i] != theirs[k])
        i = idx[k]
        print(f"example              : received {starts[i]:%a %Y-%m-%d %H:%M:%S}: ours "
              f"{single[i]:%a %Y-%m-%d %H:%M:%S}, btd "
              f"{theirs[k].astimezone(MSK):%a %Y-%m-%d %H:%M:%S}")


if __name__ == "__main__":
    main()
