"""Applying the timers every minute whether or not any mailbox is connected (R-AUTO-1..3).

The mail sync loop applies them between its rounds, but it starts only when a mailbox is set
up: a workstation without one never reminded a silent client nor closed a ticket as inactive.
This loop runs on its own — in the window beside the sync, and behind ``reglament run-timers
--every``. Each pass goes through :func:`~desktop.services.background.timers.run_timers`, whose
lease in the database lets exactly one workstation of a team apply a pass (and a lock lets one
loop of a process), so running it next to the sync, or on every workstation, applies nothing twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from desktop.errors import ReglamentError
from desktop.services.background.timers import TimerReport, run_timers
from desktop.services.workspace import Workspace

log = logging.getLogger("reglament.timers")

#: How often the timers are looked at: they count in hours and days, a minute late is on time.
INTERVAL_S = 60.0


def run_timers_forever(
    ws: Workspace,
    stop: threading.Event,
    *,
    interval: float = INTERVAL_S,
    on_report: Callable[[TimerReport], None] | None = None,
) -> None:
    """Apply due timers now and then every ``interval`` seconds until ``stop`` is set.

    A pass that fails (the team's database restarting) is logged and tried again at the next
    interval; ``on_report`` hears every pass, including those another workstation had the turn
    for (``skipped_lease``).
    """
    while not stop.is_set():
        try:
            report = run_timers(ws)
        except ReglamentError as error:
            log.warning("timers failed: %s", error)
        except Exception:  # a bug must not end the timers for the rest of the day
            log.exception("timers failed on an unexpected error")
        else:
            if on_report is not None:
                try:
                    on_report(report)
                except Exception:
                    log.exception("timers report listener failed")
        stop.wait(interval)
