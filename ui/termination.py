"""SIGTERM and Ctrl+C end the window the way closing it does.

Python runs a signal handler only when the interpreter next gets control, and Qt's event loop
may sleep in C++ for long; qutebrowser's answer is used here: the C-level handler writes the
signal number to a socket (``signal.set_wakeup_fd``) whose notifier wakes the loop, so the
Python handler runs at once and asks the application to quit. ``run`` then closes the
workspace and the command removes a demo's temporary folder — nothing is left behind, as when
the agent closes the window.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from types import FrameType

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)


@contextlib.contextmanager
def quit_on_signals(app: QApplication) -> Iterator[None]:
    """While the loop runs, SIGINT and SIGTERM quit ``app``; the previous handlers come back
    after."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_: _drain(reader))

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: quitting", signal.Signals(signum).name)
        app.quit()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    try:
        yield
    finally:
        signal.set_wakeup_fd(old_fd)
        for s, h in previous.items():
            signal.signal(s, h)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()


def _drain(reader: socket.socket) -> None:
    """The bytes only woke the loop; the Python handler has run by now."""
    with contextlib.suppress(BlockingIOError, OSError):
        while reader.recv(64):
            pass
