"""Search box and filters above the queue (R-UI-3): status, department, assignee, plan, SLA."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QStyle, QWidget

from desktop.domain.tickets import Status, status_name
from desktop.services.reads.queue import SLA_FILTERS, Choices, QueueSpec
from ui import i18n
from ui.countdown import state_label

SEARCH_DELAY_MS = 250


class FilterCombo(QComboBox):
    """A filter whose "any …" label — what it shows most of the time — is never cut
    ("Любое состояни") while there is room: that is its preferred width. A window narrower than
    the whole bar still squeezes it (down to a few letters), and a longer chosen name is elided
    and read whole in the tooltip."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        text = self.itemText(0)
        if text:
            hint.setWidth(max(hint.width(), self.fontMetrics().horizontalAdvance(text)
                              + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 24))
        return hint


class FilterBar(QWidget):
    """Emits ``changed`` when a filter changes; typing waits a moment before searching."""

    changed = Signal()
    #: The departments, agents and plans to choose from arrived (or changed).
    choicesSet = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: Choices | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(120)
        lay.addWidget(self.search, 3)
        self.status = self._combo("status")
        self.department = self._combo("department")
        self.assignee = self._combo("assignee")
        self.plan = self._combo("plan")
        self.sla = self._combo("sla")
        for combo in (self.status, self.department, self.assignee, self.plan, self.sla):
            lay.addWidget(combo)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_now)
        self._filling = False
        self.retranslate()

    def _combo(self, name: str) -> QComboBox:
        c = FilterCombo(self)
        c.setObjectName(f"filter_{name}")
        # Narrow by default so a small window still fits the bar; the popup shows full names.
        c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        c.setMinimumContentsLength(5)
        c.currentIndexChanged.connect(self._combo_changed)
        return c

    def _combo_changed(self, _i: int) -> None:
        sender = self.sender()
        if isinstance(sender, QComboBox):
            sender.setToolTip(sender.currentText())
        if not self._filling:
            self.changed.emit()

    def _search_now(self) -> None:
        self._debounce.stop()
        self.changed.emit()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @property
    def has_choices(self) -> bool:
        """Whether the departments, agents and plans have arrived (they are read on a worker)."""
        return self._choices is not None

    def set_choices(self, choices: Choices) -> None:
        self._choices = choices
        self.retranslate()
        self.choicesSet.emit()

    def retranslate(self) -> None:
        lang = i18n.current()
        self.search.setPlaceholderText(
            QCoreApplication.translate("Filters", "Search tickets and mail ({0})").format(
                QKeySequence(QKeySequence.StandardKey.Find).toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self._filling = True
        try:
            self._fill(self.status, QCoreApplication.translate("Filters", "Any status"),
                       [(s.value, status_name(s, lang)) for s in Status])
            ch = self._choices
            self._fill(self.department, QCoreApplication.translate("Filters", "Any department"),
                       [(d.code, d.label(lang)) for d in ch.departments] if ch else [])
            self._fill(self.assignee, QCoreApplication.translate("Filters", "Anyone"),
                       [("", QCoreApplication.translate("Filters", "Nobody"))]
                       + ([(a.code, a.label(lang)) for a in ch.agents] if ch else []))
            self._fill(self.plan, QCoreApplication.translate("Filters", "Any plan"),
                       [(p.code, p.label(lang)) for p in ch.plans] if ch else [])
            self._fill(self.sla, QCoreApplication.translate("Filters", "Any SLA state"),
                       [(s, state_label(s)) for s in SLA_FILTERS])
        finally:
            self._filling = False

    @staticmethod
    def _fill(combo: QComboBox, any_label: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(any_label, None)
        for value, label in items:
            combo.addItem(label, value)
        idx = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(idx, 0))
        combo.setToolTip(combo.currentText())
        combo.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_filter(self, name: str, value: str | None) -> None:
        """Choose a filter value by its code (tests and saved layouts)."""
        combo: QComboBox = getattr(self, name)
        idx = combo.findData(value) if value is not None else 0
        if idx < 0:
            raise KeyError(f"{name} has no choice {value!r}")
        combo.setCurrentIndex(idx)

    def spec(self, view: str, sort: str, descending: bool) -> QueueSpec:
        return QueueSpec(
            view=view,
            status=self.status.currentData(),
            department=self.department.currentData(),
            assignee=self.assignee.currentData(),
            plan=self.plan.currentData(),
            sla=self.sla.currentData(),
            search=self.search.text(),
            sort=sort,
            descending=descending,
        )
