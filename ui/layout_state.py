"""The window's layout between sessions: geometry, splitters and the queue's header.

Kept in the data folder's ``window.ini`` as Qt's own state blobs (QByteArray in an INI file, no
pickled objects), so a demo folder and a work folder each keep their own layout. Geometry and
header are restored before the window is shown; splitters only once it is shown with its real
size, or they get squeezed to the default one's proportions.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from ui.screen_fit import fit_to_screen

#: The window's size when no layout is saved yet.
DEFAULT_SIZE = (1400, 900)


def _state(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


class LayoutState:
    def __init__(self, settings: QSettings, window: QMainWindow, header: QHeaderView,
                 splitters: dict[str, QSplitter]) -> None:
        """``splitters`` by their settings key (``window/main_split``, …)."""
        self.settings, self.window, self.header, self.splitters = settings, window, header, splitters

    def restore(self) -> None:
        geometry = _state(self.settings, "window/geometry")
        if geometry is None or not self.window.restoreGeometry(geometry):
            self.window.resize(*DEFAULT_SIZE)
        # A geometry saved on a bigger screen (or the default size on a small one) is clamped
        # into this screen's available area, so nothing runs off its right edge.
        fit_to_screen(self.window)
        header = _state(self.settings, "queue/header")
        if header is not None and self.header.restoreState(header):
            self.header.setProperty("restored_layout", True)  # ui.queue_table.RESTORED

    def restore_splitters(self) -> None:
        for key, splitter in self.splitters.items():
            state = _state(self.settings, key)
            if state is not None:
                splitter.restoreState(state)

    def save(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.window.saveGeometry())
        for key, splitter in self.splitters.items():
            s.setValue(key, splitter.saveState())
        s.setValue("queue/header", self.header.saveState())
        s.sync()
