"""Desktop notifications (R-SLA-5): once when a ticket enters the warning zone, and when new
tickets arrive. The first look after start-up only sets the baseline, so opening the window does
not fire a burst of old news."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon, QWidget


class Notifier(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.warned: set[int] = set()
        self.sent: list[tuple[str, str]] = []  # (title, text), newest last
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon() or QIcon(), self)
            self.tray.setToolTip("Reglament")
            self.tray.activated.connect(self._activate)
            self.tray.show()

    def _activate(self, _reason: object) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def observe(self, at_risk: dict[int, str], new_tids: list[str], first: bool = False) -> None:
        fresh = [tid for i, tid in sorted(at_risk.items()) if i not in self.warned]
        self.warned.update(at_risk)
        self.warned.intersection_update(at_risk)  # a ticket that left the zone may warn again later
        if first:
            return
        if fresh:
            self.notify(
                QCoreApplication.translate("Tray", "Deadline approaching"),
                QCoreApplication.translate("Tray", "%n ticket(s) about to breach the SLA: {0}", "", len(fresh))
                .format(", ".join(fresh[:5]) + ("…" if len(fresh) > 5 else "")),
            )
        if new_tids:
            self.notify(
                QCoreApplication.translate("Tray", "New tickets"),
                QCoreApplication.translate("Tray", "%n new ticket(s): {0}", "", len(new_tids))
                .format(", ".join(new_tids[:5]) + ("…" if len(new_tids) > 5 else "")),
            )

    def notify(self, title: str, text: str) -> None:
        self.sent.append((title, text))
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
