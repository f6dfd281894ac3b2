"""The one chart code path of the reports: horizontal bars (or a line over months), drawn
as SVG by the server.

Every chart of the app (headcounts, pyramid, retirements, establishment, dashboard) is a
`Chart` — labelled rows of one or more series — laid out here and drawn by one small
template (`reports/_chart.html`), with the same numbers as an accessible table under it.
No JavaScript, no external service; greys and outlines so that it prints and photocopies
(each series has its own fill: dark, white outlined, hatched), and the value is written
at the end of each bar. A pyramid is the same chart with two series drawn either side of
the axis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# Fills readable in grey: dark, outlined white, hatched (pattern defined in the template).
FILLS = ("#3a3a3a", "#ffffff", "hatch", "#9a9a9a")
WIDTH = 640
ROW = 18
GAP = 6
LABEL_WIDTH = 190
VALUE_ROOM = 44
TOP = 8
# Beyond this many rows the chart shows the largest ones; the table keeps every row.
MAX_ROWS = 30


@dataclass(frozen=True)
class ChartRow:
    label: str
    values: tuple[int, ...]
    href: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    href: str = ""
    bold: bool = False


@dataclass
class Chart:
    ident: str
    title: str
    series: list[str]
    rows: list[ChartRow]
    mirror: bool = False  # two series either side of a central axis (age pyramid)
    trend: bool = False  # one series over time, as a line (rows in date order)
    label_header: str = ""  # heading of the table's first column
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    points: str = ""  # the trend's line, as SVG polyline points
    height: int = 0
    truncated: int = 0

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(name, FILLS[i % len(FILLS)]) for i, name in enumerate(self.series)]

    @property
    def table_rows(self) -> list[tuple[ChartRow, int]]:
        return [(r, sum(r.values)) for r in self.rows]


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


TREND_HEIGHT = 120
TREND_LEFT = 56


def _trend(chart: Chart) -> Chart:
    """A line over the rows, scaled between their lowest and highest values (written on the
    left axis, so that a small change is seen and not mistaken for a large one)."""
    values = [r.values[0] for r in chart.rows]
    low, high = min(values), max(values)
    span = (high - low) or 1
    plot = TREND_HEIGHT - 2 * TOP - 18
    step = (WIDTH - TREND_LEFT - VALUE_ROOM) / max(1, len(values) - 1)
    chart.height = TREND_HEIGHT
    xy = []
    for i, (row, value) in enumerate(zip(chart.rows, values, strict=True)):
        x = round(TREND_LEFT + i * step, 1)
        y = round(TOP + plot * (high - value) / span, 1)
        xy.append(f"{x},{y}")
        chart.rects.append(Rect(round(x - 2, 1), round(y - 2, 1), 4, 4, FILLS[0]))
        if i % 2 == 0 or i == len(values) - 1:
            chart.texts.append(Text(x, TREND_HEIGHT - 6, row.label, "middle"))
    chart.points = " ".join(xy)
    chart.texts.append(Text(TREND_LEFT - 8, TOP + 4, _fmt(high), "end"))
    chart.texts.append(Text(TREND_LEFT - 8, TOP + plot + 4, _fmt(low), "end"))
    if xy:
        last = xy[-1].split(",")
        chart.texts.append(Text(float(last[0]) + 6, float(last[1]) + 4, _fmt(values[-1])))
    return chart


def layout(chart: Chart) -> Chart:
    """Compute the rectangles and texts of the chart (pure arithmetic, no drawing)."""
    if chart.trend:
        return _trend(chart) if chart.rows else chart
    rows = chart.rows
    if len(rows) > MAX_ROWS:
        chart.truncated = len(rows) - MAX_ROWS
        rows = sorted(rows, key=lambda r: -sum(r.values))[:MAX_ROWS]
    series = max(1, len(chart.series))
    bar = ROW if chart.mirror else max(6.0, ROW / series)
    band = (ROW if chart.mirror else bar * series) + GAP
    chart.height = int(TOP * 2 + band * len(rows) + 18)
    if chart.mirror:
        half = (WIDTH - 2 * VALUE_ROOM - 60) / 2
        axis = WIDTH / 2
        peak = max([v for r in rows for v in r.values[:2]] or [0]) or 1
        for i, row in enumerate(rows):
            y = TOP + i * band
            left, right = ((*row.values, 0, 0))[:2]
            wl, wr = half * left / peak, half * right / peak
            chart.rects.append(Rect(round(axis - 30 - wl, 1), y, round(wl, 1), bar, FILLS[0]))
            chart.rects.append(Rect(axis + 30, y, round(wr, 1), bar, FILLS[1]))
            mid = y + bar / 2 + 4
            chart.texts.append(Text(axis, mid, row.label, "middle", row.href))
            chart.texts.append(Text(round(axis - 34 - wl, 1), mid, _fmt(left), "end"))
            chart.texts.append(Text(round(axis + 34 + wr, 1), mid, _fmt(right)))
        return chart
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    peak = max([v for r in rows for v in r.values] or [0]) or 1
    for i, row in enumerate(rows):
        y = TOP + i * band
        chart.texts.append(
            Text(LABEL_WIDTH - 6, y + (band - GAP) / 2 + 4, row.label[:32], "end", row.href)
        )
        for s, value in enumerate(row.values):
            w = room * value / peak
            yy = y + s * bar
            chart.rects.append(
                Rect(LABEL_WIDTH, round(yy, 1), round(w, 1), round(bar - 1, 1), FILLS[s % 4])
            )
            chart.texts.append(
                Text(round(LABEL_WIDTH + w + 4, 1), round(yy + bar / 2 + 3, 1), _fmt(value))
            )
    return chart


def render_chart(chart: Chart, **context: Any) -> SafeString:
    """The chart's SVG and its table, as HTML to put in a page or a PDF."""
    return SafeString(render_to_string("reports/_chart.html", {"chart": layout(chart), **context}))


def trend(
    ident: str, title: str, rows: list[ChartRow], series: list[str], **options: Any
) -> SafeString:
    return render_chart(
        Chart(ident=ident, title=title, series=series, rows=rows, trend=True, **options)
    )


def bars(
    ident: str,
    title: str,
    rows: list[ChartRow],
    series: list[str],
    **options: Any,
) -> SafeString:
    return render_chart(Chart(ident=ident, title=title, series=series, rows=rows, **options))
