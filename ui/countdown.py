"""How a countdown looks: the colour of each SLA state (R-SLA-5).

Colours are chosen to read on both light and dark palettes: the text colour carries the state,
and only the states that need action (warning, breached) get a translucent background tint.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

_FG = {
    "ok": QColor("#2e7d32"),
    "warning": QColor("#a35200"),
    "breached": QColor("#c62828"),
    "paused": QColor("#546e7a"),
    "met": QColor("#78909c"),
    "missed": QColor("#ad1457"),
}
_BG = {
    "warning": QColor(255, 171, 0, 70),
    "breached": QColor(229, 57, 53, 60),
}


def state_foreground(state: str) -> QColor | None:
    return _FG.get(state)


def state_background(state: str) -> QColor | None:
    return _BG.get(state)


def state_label(state: str) -> str:
    labels = {
        "ok": QCoreApplication.translate("Countdown", "On time"),
        "warning": QCoreApplication.translate("Countdown", "Breaching soon"),
        "breached": QCoreApplication.translate("Countdown", "Overdue"),
        "paused": QCoreApplication.translate("Countdown", "Paused"),
        "met": QCoreApplication.translate("Countdown", "Met"),
        "missed": QCoreApplication.translate("Countdown", "Met late"),
        "none": QCoreApplication.translate("Countdown", "No deadline"),
    }
    return labels.get(state, state)
