"""The dashboard's charts (Qt Charts, loaded only with the dashboard): horizontal bars for the
backlog and refusals, a line for incoming mail per day, themed light or dark with the palette."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QFont

from desktop import times
from desktop.services.reads.dashboard import Dashboard
from ui.countdown import is_dark
from ui.dashboard.labels import Labels, largest, tr

CHARTS = ("status", "department", "agent", "incoming", "refusals")
BLUE = QColor("#1f6fb2")


def new_chart() -> QChart:
    chart = QChart()
    theme(chart)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(10, 4, 12, 4))
    chart.setBackgroundRoundness(4)
    chart.legend().hide()
    return chart


def theme(chart: QChart) -> None:
    """Qt Charts' dark theme on a dark palette: its light one drew white cards on a dark window.
    (A theme also resets the title font and the series' colours: the caller sets them after.)"""
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def _value_axis(top: float) -> QValueAxis:
    """Whole tickets on the scale, at most about five intervals, and room above the longest bar."""
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    top = max(1, int(top))
    step = -(-top // 5)
    intervals = -(-top // step) + (1 if top % step == 0 else 0)
    axis.setRange(0, step * intervals)
    axis.setTickCount(intervals + 1)
    return axis


#: A category name longer than this is broken onto two lines, so a long reason
#: ("Нет действующего договора или услуги") stays inside a third of a small screen.
WRAP_AT = 22


def two_lines(label: str) -> str:
    """``label`` broken at the space nearest its middle when it is long; unchanged otherwise."""
    if len(label) <= WRAP_AT or " " not in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return label[:cut] + "\n" + label[cut + 1:]


def fill_bars(chart: QChart, items: Sequence[tuple[str, int]], color: QColor) -> None:
    """Horizontal bars, the first item on top (Qt stacks categories from the bottom up)."""
    _clear(chart)
    shown = list(reversed(items))
    bars = QBarSet(tr("Tickets"))
    bars.setColor(color)
    bars.setLabelColor(QColor("#ffffff"))
    for _label, value in shown:
        bars.append(value)
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setBarWidth(0.65)
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append([two_lines(label) for label, _ in shown] or ["—"])
    cats.setGridLineVisible(False)
    cats.setTruncateLabels(False)  # a reason or a department is read whole; the bars give way
    values = _value_axis(max((v for _, v in shown), default=0))
    chart.addAxis(cats, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(cats)
    series.attachAxis(values)


def fill_line(chart: QChart, days: Sequence[tuple[str, int]]) -> None:
    """Incoming per day as a line over a date axis, readable for 7 days as well as 90."""
    _clear(chart)
    series = QLineSeries()
    series.setName(tr("Tickets"))
    series.setPointsVisible(len(days) <= 31)
    pen = series.pen()
    pen.setWidth(2)
    pen.setColor(BLUE)
    series.setPen(pen)
    for day, count in days:
        d = QDate.fromString(day, Qt.DateFormat.ISODate)
        series.append(float(QDateTime(d.startOfDay()).toMSecsSinceEpoch()), float(count))
    chart.addSeries(series)
    axis_x = QDateTimeAxis()
    axis_x.setFormat("dd.MM")
    axis_x.setTickCount(min(8, max(2, len(days))))
    if days:
        axis_x.setRange(QDate.fromString(days[0][0], Qt.DateFormat.ISODate).startOfDay(),
                        QDate.fromString(days[-1][0], Qt.DateFormat.ISODate).startOfDay())
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_y = _value_axis(max((c for _, c in days), default=0))
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)


def series_total(chart: QChart) -> float:
    """The sum a chart shows: its bar values or line points (what tests compare with the engine)."""
    total = 0.0
    for series in chart.series():
        if isinstance(series, QHorizontalBarSeries):
            total += sum(bs.sum() for bs in series.barSets())
        elif isinstance(series, QLineSeries):
            total += sum(p.y() for p in series.points())
    return total


def show_charts(charts: dict[str, QChart], d: Dashboard, lb: Labels) -> None:
    """Draw the period's numbers; horizontal bars, largest on top, so category names stay
    readable in both languages."""
    fill_bars(charts["status"], [(lb.status(k), v) for k, v in largest(d.backlog_by_status)], BLUE)
    fill_bars(charts["department"],
              [(lb.department(k), v) for k, v in largest(d.backlog_by_department)], QColor("#00897b"))
    fill_bars(charts["agent"], [(lb.agent(k), v) for k, v in largest(d.backlog_by_agent)], QColor("#5e35b1"))
    fill_line(charts["incoming"], d.incoming_per_day)
    fill_bars(charts["refusals"], [(lb.reason(k), v) for k, v in largest(d.refusals_by_reason)],
              QColor("#ad1457"))
    start, end = times.dmy(d.start), times.dmy(d.end)
    titles = {
        "status": tr("Backlog by status"), "department": tr("Backlog by department"),
        "agent": tr("Backlog by agent"),
        "incoming": tr("Incoming per day, {0} – {1}: {2}").format(start, end, sum(c for _, c in d.incoming_per_day)),
        "refusals": tr("Refusals by reason: {0}").format(sum(d.refusals_by_reason.values())),
    }
    for key, chart in charts.items():
        chart.setTitle(titles[key])
