"""How a countdown looks: the colour of each SLA state (R-SLA-5), on light and dark palettes.

The text colour carries the state, and only the states that need action (warning, breached)
get a translucent background tint. The system decides light or dark (R-UI-4): on a dark
palette the text colours are the lighter tones of the same hues, since the light palette's
deep ones (a red of contrast 2.8:1 on a dark base) could hardly be read there.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

_FG = {
    "ok": QColor("#2e7d32"),
    "warning": QColor("#a35200"),
    "breached": QColor("#c62828"),
    "paused": QColor("#546e7a"),
    "met": QColor("#78909c"),
    "missed": QColor("#ad1457"),
}
_FG_DARK = {
    "ok": QColor("#81c784"),
    "warning": QColor("#ffb74d"),
    "breached": QColor("#ff8a80"),
    "paused": QColor("#a7bcc7"),
    "met": QColor("#90a4ae"),
    "missed": QColor("#f48fb1"),
}
_BG = {
    "warning": QColor(255, 171, 0, 70),
    "breached": QColor(229, 57, 53, 60),
}
#: Priority clients' ticket numbers (R-SLA-6), per palette.
PRIORITY = QColor("#6a1b9a")
PRIORITY_DARK = QColor("#ce93d8")


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is light on a dark base: the system's dark mode, or a dark theme."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


def state_foreground(state: str, dark: bool = False) -> QColor | None:
    return (_FG_DARK if dark else _FG).get(state)


def state_background(state: str) -> QColor | None:
    return _BG.get(state)


#: Hints and secondary text: the palette's placeholder colour (the text colour at half
#: strength), which a style sheet keeps following when the palette changes.
MUTED = "color: palette(placeholder-text)"


def state_style(state: str, widget: QWidget) -> str:
    """A style sheet giving ``widget``'s text the state's colour on its palette (status lines:
    saved, refused; a fixed deep green or red hardly read on a dark window)."""
    colour = state_foreground(state, is_dark(widget.palette()))
    return f"color: {colour.name()}" if colour is not None else ""


def priority_foreground(dark: bool = False) -> QColor:
    return PRIORITY_DARK if dark else PRIORITY


def blend(over: QColor, base: QColor) -> QColor:
    """``over`` painted on ``base``: an opaque colour for rich text, which ignores alpha (a
    translucent red tint became solid red behind red text in the detail header)."""
    a = over.alphaF()
    return QColor.fromRgbF(
        over.redF() * a + base.redF() * (1 - a),
        over.greenF() * a + base.greenF() * (1 - a),
        over.blueF() * a + base.blueF() * (1 - a),
    )


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
