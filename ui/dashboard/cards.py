"""The dashboard's headline numbers: one card per figure, coloured by the state it reports."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.services.reads.dashboard import Dashboard
from ui import numbers
from ui.dashboard.honesty import both_times, excluded_line, excluded_tooltip
from ui.dashboard.labels import Labels, minutes_text, state_colour, tr


class Card(QFrame):
    """One headline number with its caption."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(0)
        self.value = QLabel("—", self)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setForegroundRole(self.caption.foregroundRole())
        #: What the number counts and leaves out (SLA figures only), small, under the caption.
        self.note = QLabel(self)
        self.note.setObjectName(f"note_{key}")
        self.note.setWordWrap(True)
        small = QFont(self.note.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.note.setFont(small)
        self.note.hide()
        lay.addWidget(self.value)
        lay.addWidget(self.caption)
        lay.addWidget(self.note)
        lay.addStretch(1)

    def show_value(self, text: str, color: QColor | None = None) -> None:
        self.value.setText(text)
        self.value.setStyleSheet(f"color: {color.name()}" if color is not None else "")

    def show_note(self, text: str, tooltip: str = "") -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.setToolTip(tooltip)


CARDS = ("backlog", "breached", "warning", "forecast", "median", "p90", "compliance", "acts", "inactive")


def captions(horizon: int) -> dict[str, str]:
    return {
        "backlog": tr("Open backlog"), "breached": tr("Breached now"), "warning": tr("In warning"),
        "forecast": tr("Will breach within {0} business h").format(horizon),
        "median": tr("First reaction, median"), "p90": tr("First reaction, 90th percentile"),
        "compliance": tr("SLA compliance"), "acts": tr("Awaiting acceptance"),
        "inactive": tr("Auto-closed as inactive"),
    }


def show_cards(c: dict[str, Card], d: Dashboard, lb: Labels) -> None:
    # The counts the views panel also shows come from their one definition (reads.counts).
    breached, warning = d.counts.get("breached", 0), d.counts.get("warning", 0)
    forecast = len({r.tid for r in d.forecast})
    c["backlog"].show_value(str(d.counts.get("open", 0)))
    c["breached"].show_value(str(breached), state_colour("breached") if breached else None)
    c["warning"].show_value(str(warning), state_colour("warning") if warning else None)
    c["forecast"].show_value(str(forecast), state_colour("warning") if forecast else None)
    c["forecast"].caption.setText(tr("Will breach within {0} business h").format(d.forecast_hours))
    lines = (("median", d.first_reaction_median_minutes, d.first_reaction_median_clock_minutes),
             ("p90", d.first_reaction_p90_minutes, d.first_reaction_p90_clock_minutes))
    for key, minutes, clock in lines:
        c[key].show_value("—" if minutes is None else minutes_text(minutes, lb.lang))
        both = both_times(minutes, clock, lb.lang)
        left_out = tr("{0} tickets measured · {1}").format(
            d.reactions_measured, excluded_line(d.reaction_excluded, lb.lang))
        c[key].show_note(f"{both}\n{left_out}" if both else left_out,
                         excluded_tooltip(d.reaction_excluded, lb.lang))
    pct = d.sla_compliance_pct
    c["compliance"].show_value("—" if pct is None else numbers.percent(pct),
                               None if pct is None else state_colour("breached" if pct < 90 else "ok"))
    c["compliance"].show_note(
        tr("{0} met, {1} missed · {2}").format(d.sla_met, d.sla_missed, excluded_line(d.compliance_excluded, lb.lang)),
        excluded_tooltip(d.compliance_excluded, lb.lang))
    c["acts"].show_value(str(d.counts.get("awaiting_acceptance", 0)))
    # Tickets, as the "Rework due" view counts them (one definition: reads.counts), not items.
    overdue = len({r["tid"] for r in d.rework_due if r.get("state") == "breached"})
    note = tr("acts sent, not answered: {0}").format(len(d.acts_awaiting))
    if d.rework_due:
        note += " · " + tr("Rework due: {0}, overdue: {1}").format(d.counts.get("rework_due", 0), overdue)
    c["acts"].show_note(note)
    c["acts"].note.setStyleSheet(f"color: {state_colour('breached').name()}" if overdue else "")
    c["inactive"].show_value(str(d.auto_closed_inactive))
