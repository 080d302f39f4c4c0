"""Windows open inside the screen's available area (issue 19, point 6).

A window restored from another session's geometry, or opened at its default 1400×900, ran off a
1280×720 screen: the time-left column, a filter and the client card were cut. Every top-level
window of the workstation calls :func:`fit_to_screen` after sizing itself: its size is clamped
to the available geometry of the screen it is on (the taskbar left out), and it is moved inside.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available(widget: QWidget) -> QRect | None:
    """The available geometry of the screen ``widget`` is on (the primary one before it is shown)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget) -> None:
    """Clamp ``widget``'s size into its screen's available area and move it inside."""
    area = available(widget)
    if area is None or area.isEmpty():
        return
    frame, inner = widget.frameGeometry(), widget.geometry()
    extra_w = max(0, frame.width() - inner.width())
    extra_h = max(0, frame.height() - inner.height())
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, 1), max(height, 1))
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.left()), max(y, area.top()))
