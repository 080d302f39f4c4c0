"""What of the main window the queue works with: the parts around its table, named here so
the queue's modules never import the window that creates them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QStatusBar

if TYPE_CHECKING:
    from ui.actions import TicketActions
    from ui.filter_bar import FilterBar
    from ui.sync import SyncController
    from ui.ticket_detail import TicketDetail
    from ui.tray import Notifier
    from ui.views_panel import ViewsPanel


class QueueWindow(Protocol):
    """What of the window the queue works with (the parts around the table)."""

    settings: QSettings
    views: ViewsPanel
    filters: FilterBar
    detail: TicketDetail
    ticket_actions: TicketActions
    notifier: Notifier
    sync: SyncController
    count_label: QLabel
    store_label: QLabel

    def statusBar(self) -> QStatusBar: ...
