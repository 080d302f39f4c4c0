"""Long work in the status bar: what runs, n of N, the time left, and Cancel where it is safe.

One small model for every kind of long work — a mailbox's first sync of 20,000 messages, the
dashboard's build, a bulk reassign — so they all look and behave alike: the work reports
``update(key, title, done, total)`` as it goes and ``finish(key)`` at the end; whoever shows
it (:class:`ProgressStatus` in the main window's status bar) reads the model. A task offers
Cancel only when its owner passed a ``cancel`` callable, which it does only where stopping is
safe (the sync between batches: each batch commits with its checkpoint, nothing is lost).

The time left comes from the same estimate as the terminal's bar of ``reglament sync --once``
(``desktop.services.background.eta``) and is said only after a few items.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from desktop.services.background.eta import Estimate, rounded_minutes
from ui import i18n

#: Work shorter than this never shows (a dashboard read each minute would flicker the bar).
SHOW_AFTER_S = 0.5


@dataclass
class Task:
    key: str
    title: str
    started: float = 0.0
    estimate: Estimate = field(default_factory=Estimate)
    cancel: Callable[[], None] | None = None
    cancelling: bool = False

    @property
    def done(self) -> int:
        return self.estimate.done

    @property
    def total(self) -> int:
        return self.estimate.total


class ProgressModel(QObject):
    """The long work running now, newest last; ``changed`` after every step."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.clock = clock
        self._tasks: dict[str, Task] = {}

    def update(self, key: str, title: str, done: int, total: int,
               cancel: Callable[[], None] | None = None) -> None:
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = Task(key, title, self.clock(), cancel=cancel)
        task.title = title
        if cancel is not None:
            task.cancel = cancel
        task.estimate.step(done, total, self.clock())
        self.changed.emit()

    def finish(self, key: str) -> None:
        if self._tasks.pop(key, None) is not None:
            self.changed.emit()

    def cancel(self, key: str) -> bool:
        """Ask the task's owner to stop it; False when it cannot be cancelled."""
        task = self._tasks.get(key)
        if task is None or task.cancel is None or task.cancelling:
            return False
        task.cancelling = True
        task.cancel()
        self.changed.emit()
        return True

    def tasks(self) -> list[Task]:
        return list(self._tasks.values())

    def current(self) -> Task | None:
        """The task shown: the one started last."""
        return next(reversed(self._tasks.values()), None)

    def get(self, key: str) -> Task | None:
        return self._tasks.get(key)

    def lasting(self, after: float = SHOW_AFTER_S) -> list[Task]:
        """The tasks that have run at least ``after`` seconds (worth showing), oldest first."""
        now = self.clock()
        return [t for t in self._tasks.values() if now - t.started >= after]

    def steps(self, key: str, title: str, cancel: Callable[[], None] | None = None) -> ThreadSteps:
        """A ``progress(done, total)`` callback for work on a worker thread (see :class:`ThreadSteps`)."""
        return ThreadSteps(self, key, title, cancel)


class ThreadSteps(QObject):
    """``progress(done, total)`` for an engine call running in a worker: each step crosses to
    the GUI thread as a queued signal, where the model is updated (the model is not
    thread-safe, and its ``changed`` repaints widgets). :meth:`finish` on the GUI thread when
    the work is over; a step still queued after it is dropped."""

    stepped = Signal(int, int)

    def __init__(self, model: ProgressModel, key: str, title: str,
                 cancel: Callable[[], None] | None = None) -> None:
        super().__init__(model)
        self.model, self.key, self.title, self.cancel = model, key, title, cancel
        self.over = False
        self.stepped.connect(self._step)

    def __call__(self, done: int, total: int) -> None:
        self.stepped.emit(done, total)

    def _step(self, done: int, total: int) -> None:
        if not self.over:
            self.model.update(self.key, self.title, done, total, self.cancel)

    def finish(self) -> None:
        self.over = True
        self.model.finish(self.key)
        self.deleteLater()


def number(n: int) -> str:
    """A count as the window's language writes it: "20,000", "20 000"."""
    if i18n.current() == "ru":
        locale = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    else:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale.toString(n)


def time_left_text(seconds: float | None) -> str:
    if seconds is None:
        return QCoreApplication.translate("Progress", "estimating the time left…")
    if seconds < 60:
        return QCoreApplication.translate("Progress", "less than a minute left")
    minutes = rounded_minutes(seconds)
    if minutes < 60:
        return QCoreApplication.translate("Progress", "about %n min left", "", minutes)
    return QCoreApplication.translate("Progress", "about {0} h {1} min left").format(
        number(minutes // 60), f"{minutes % 60:02d}")


def task_text(task: Task) -> str:
    """"Mail: support — 1 250 of 20 000 · about 4 min left" in the window's language."""
    count = QCoreApplication.translate("Progress", "{0} of {1}").format(number(task.done), number(task.total))
    if task.cancelling:
        tail = QCoreApplication.translate("Progress", "stopping after the current step…")
    else:
        tail = time_left_text(task.estimate.seconds_left())
    return f"{task.title} — {count} · {tail}"


class ProgressStatus(QWidget):
    """The status bar's view of a :class:`ProgressModel`: hidden while nothing long runs."""

    def __init__(self, model: ProgressModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress_status")
        self.model = model
        self.label = QLabel(self)
        self.label.setObjectName("progress_text")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("progress_bar")
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(140)
        self.bar.setMaximumHeight(self.fontMetrics().height())
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("progress_cancel")
        self.cancel_button.clicked.connect(self._cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(int(SHOW_AFTER_S * 1000) + 50)
        self._later.timeout.connect(self.show_current)
        model.changed.connect(self.show_current)
        self.show_current()

    def show_current(self) -> None:
        shown = self.model.lasting()
        if len(shown) < len(self.model.tasks()):  # a young task shows once it has lasted
            self._later.start()
        task = shown[-1] if shown else None
        if task is None:
            self.hide()
            return
        text = task_text(task)
        others = len(shown) - 1
        if others:
            text += " " + QCoreApplication.translate("Progress", "(+%n more)", "", others)
        self.label.setText(text)
        self.label.setToolTip("\n".join(task_text(t) for t in shown))
        self.bar.setRange(0, max(task.total, 1))
        self.bar.setValue(min(task.done, max(task.total, 1)))
        self.cancel_button.setText(QCoreApplication.translate("Progress", "Cancel"))
        self.cancel_button.setToolTip(QCoreApplication.translate(
            "Progress", "Stop after the current step; what is done so far is kept"))
        self.cancel_button.setVisible(task.cancel is not None)
        self.cancel_button.setEnabled(not task.cancelling)
        self.show()

    def _cancel(self) -> None:
        shown = self.model.lasting()
        if shown:
            self.model.cancel(shown[-1].key)
