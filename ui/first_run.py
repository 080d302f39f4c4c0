"""The first-run page: what a new agent sees instead of a blank queue on an empty workspace.

An empty workspace (no mail account, no ticket) used to open on an empty table; the only hint
was "Mail: no account set up" in the status bar, and a missing or locked keyring was explained
only inside File ▸ Mail accounts. Now the queue and the ticket pane give way to a page that
offers the ways in, in the order a newcomer needs them:

* **Connect a mailbox** — the accounts dialog with its provider presets and its connection test
  before anything is saved;
* **Open the demo** — sample clients, plans and tickets in a window of its own
  (``ui.demo_launch``: this workspace is not touched);
* **Clients and plans** — Settings ▸ Clients, for a team that enters its clients first (there
  is no import of clients or a regulation to offer here);
* a keyring problem — none, or a locked Secret Service — said on the page in plain words with
  what to do, before the agent types a password the window could not keep.

Whether the workspace is empty is read in the background (``desktop.services.reads.first_run``)
at start and again on the window's periodic pass, after the accounts dialog closes and when a
ticket is made by hand: the page goes as soon as an account or a ticket exists, and comes back
only if the workspace is empty again. The keyring is asked off the GUI thread too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.reads.first_run import StartState, start_state
from desktop.services.workspace import Workspace
from ui.about import window_icon
from ui.countdown import state_style
from ui.errors import user_message
from ui.workers import Runner

#: The page's column: wide enough for a sentence per line, narrow enough to read at a glance.
COLUMN_WIDTH = 620


def check_keyring() -> str:
    """The keyring's readiness (for a worker: it talks to the OS keyring service)."""
    from desktop import secrets

    return secrets.check_ready()


class FirstRunPage(QWidget):
    """The page itself; its buttons say what was asked for, :class:`FirstRun` acts on it."""

    connectRequested = Signal()
    demoRequested = Signal()
    clientsRequested = Signal()
    shortcutsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run")
        self.setAutoFillBackground(True)
        column = QWidget(self)
        column.setFixedWidth(COLUMN_WIDTH)
        lay = self._column = QVBoxLayout(column)
        lay.setSpacing(10)
        icon = QLabel(column)
        icon.setPixmap(window_icon().pixmap(64, 64))
        lay.addWidget(icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(column)
        self.title.setObjectName("first_run_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        self.intro = QLabel(column)
        self.intro.setWordWrap(True)
        self.intro.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(self.intro)
        lay.addSpacing(8)
        self.connect_button = QCommandLinkButton(column)
        self.connect_button.setObjectName("first_run_connect")
        self.connect_button.setDefault(True)
        self.demo_button = QCommandLinkButton(column)
        self.demo_button.setObjectName("first_run_demo")
        self.clients_button = QCommandLinkButton(column)
        self.clients_button.setObjectName("first_run_clients")
        for button in (self.connect_button, self.demo_button, self.clients_button):
            lay.addWidget(button)
        self.keyring_note = QLabel(column)
        self.keyring_note.setObjectName("first_run_keyring")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.keyring_note.setMargin(8)
        self.keyring_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_note.hide()
        lay.addWidget(self.keyring_note)
        self.demo_note = QLabel(column)
        self.demo_note.setObjectName("first_run_demo_note")
        self.demo_note.setWordWrap(True)
        self.demo_note.hide()
        lay.addWidget(self.demo_note)
        lay.addSpacing(8)
        self.hint = QLabel(column)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.connect_button.clicked.connect(self.connectRequested)
        self.demo_button.clicked.connect(self.demoRequested)
        self.clients_button.clicked.connect(self.clientsRequested)
        self.retranslate()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """"?" opens the keyboard shortcuts, as in the queue this page stands in for (the key
        comes here from whichever button has the focus: none of them takes it)."""
        if event.text() == "?":
            self.shortcutsRequested.emit()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        tr = QCoreApplication.translate
        self.title.setText(tr("FirstRun", "Welcome to Reglament"))
        self.intro.setText(tr(
            "FirstRun", "Tickets come from your support mailbox: every client's letter becomes a "
                        "ticket, with its deadlines counted in the working hours of the client's plan."))
        self.connect_button.setText(tr("FirstRun", "Connect a mailbox"))
        self.connect_button.setDescription(tr(
            "FirstRun", "Your provider, address and password. The connection is tested before "
                        "anything is saved; the password is kept in the system keyring."))
        self.demo_button.setText(tr("FirstRun", "Open the demo"))
        self.demo_button.setDescription(tr(
            "FirstRun", "Sample clients, plans and tickets in a window of its own. This workspace "
                        "stays as it is; closing the demo removes it."))
        self.clients_button.setText(tr("FirstRun", "Enter clients and plans first"))
        self.clients_button.setDescription(tr(
            "FirstRun", "Settings ▸ Clients: who you support and under which plan. Their mail "
                        "then lands on the right deadlines from the first letter."))
        self.hint.setText(tr(
            "FirstRun", "Press ? for the keyboard shortcuts. Help ▸ About shows where your data "
                        "and logs are kept."))
        self._fit()

    def _fit(self) -> None:
        """Each wrapped text gets the height it needs at the column's width: a layout does not
        carry a height-for-width up through a centred fixed-width column, and the buttons'
        descriptions were cut after their first line."""
        margins = self._column.contentsMargins()
        width = COLUMN_WIDTH - margins.left() - margins.right()
        for w in (self.title, self.intro, self.connect_button, self.demo_button, self.clients_button,
                  self.keyring_note, self.demo_note, self.hint):
            w.setMinimumHeight(max(w.heightForWidth(width), 0))  # -1: no text yet

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()
        super().changeEvent(event)

    def say_keyring(self, problem: str | None) -> None:
        if problem is None:
            self.keyring_note.hide()
            return
        self.keyring_note.setText(QCoreApplication.translate(
            "FirstRun", "⚠ Passwords cannot be kept yet. {0}").format(problem))
        self.keyring_note.setStyleSheet(state_style("warning", self.keyring_note))
        self.keyring_note.show()
        self._fit()

    def say_demo(self, started: bool) -> None:
        self.demo_note.setText(
            QCoreApplication.translate("FirstRun", "The demo is opening in a window of its own.") if started
            else QCoreApplication.translate("FirstRun", "The demo could not be started; see the log."))
        self.demo_note.setStyleSheet("" if started else state_style("warning", self.demo_note))
        self.demo_note.show()
        self._fit()


class FirstRun(QObject):
    """Shows the page in place of the queue while the workspace is empty.

    ``queue`` is the queue-and-detail widget the page stands in for; :attr:`stack` takes its
    place in the window's layout. ``actions`` are the window's ways to do what the page
    offers: ``connect``, ``demo`` (returns whether it started), ``clients``, ``shortcuts``.
    """

    shownChanged = Signal(bool)

    def __init__(self, frame: QWidget, runner: Runner, ws: Workspace, queue: QWidget,
                 actions: dict[str, Callable[[], object]]) -> None:
        super().__init__(frame)
        self.runner, self.ws, self.actions = runner, ws, actions
        self.stack = QStackedWidget(frame)
        self.stack.setObjectName("queue_or_first_run")
        self.queue = queue
        self.stack.addWidget(queue)
        self.page = FirstRunPage()
        #: The page scrolls rather than clips where the window is short (1280×720 at 150 %).
        self.scroll = QScrollArea(self.stack)
        self.scroll.setObjectName("first_run_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.page)
        self.stack.addWidget(self.scroll)
        self.stack.setCurrentWidget(queue)
        self.state: StartState | None = None
        self.keyring_problem: str | None = None
        self._asking = False
        self._again = False
        self.page.connectRequested.connect(lambda: self.actions["connect"]())
        self.page.demoRequested.connect(self._open_demo)
        self.page.clientsRequested.connect(lambda: self.actions["clients"]())
        self.page.shortcutsRequested.connect(lambda: self.actions["shortcuts"]())

    def is_shown(self) -> bool:
        return self.stack.currentWidget() is self.scroll

    def check(self) -> None:
        """Ask again whether the workspace is empty (in the background; one question at a time,
        a request meanwhile makes one more)."""
        if self._asking:
            self._again = True
            return
        self._asking, self._again = True, False
        ws = self.ws
        self.runner.read(lambda: start_state(ws), self._got_state, self._failed)

    def _failed(self, _exc: BaseException) -> None:
        # The periodic pass says a database that cannot be read in the status bar; the page
        # keeps its state until a read succeeds.
        self._asking = False
        if self._again:
            self.check()

    def _got_state(self, state: StartState) -> None:
        self._asking = False
        self.state = state
        if state.empty and self.is_shown():
            self.check_keyring()  # unlocked meanwhile, or locked again: said as it is now
        self.show_page(state.empty)
        if self._again:
            self.check()

    def show_page(self, empty: bool) -> None:
        if empty == self.is_shown():
            return
        self.stack.setCurrentWidget(self.scroll if empty else self.queue)
        if empty:
            self.page.connect_button.setFocus()
            self.check_keyring()
        self.shownChanged.emit(empty)

    def check_keyring(self) -> None:
        self.runner.read(check_keyring, lambda _name: self._keyring(None), self._keyring_failed)

    def _keyring_failed(self, exc: BaseException) -> None:
        # The keyring's own words (what to install, what to unlock); anything else is a bug,
        # said as one with the log's place by ``user_message``.
        self._keyring(user_message(exc))

    def _keyring(self, problem: str | None) -> None:
        self.keyring_problem = problem
        self.page.say_keyring(problem)

    def _open_demo(self) -> None:
        self.page.say_demo(bool(self.actions["demo"]()))
