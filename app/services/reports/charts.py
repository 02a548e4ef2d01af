"""Charts as SVG pictures, written directly (rectangles, lines and text, no plotting
library): the distribution of individual scores per score (coloured by band) and bars of
achievements (per strategic objective, per area, per objective of a unit). Pages show
them as <img> with the same figures in a data table beside; the Report PDF embeds the
same pictures. Drawing one takes well under a millisecond (matplotlib took 100-350 ms),
so the dashboard draws its three at every visit, and a distribution that changes with
each final evaluation costs nothing under load."""
from __future__ import annotations

import base64
from decimal import Decimal
from xml.sax.saxutils import escape

from app.formats import italian as formatting

BLUE = "#0066cc"
BAND_COLOURS = {"low": "#a61919", "medium": "#995c00", "high": "#008055"}
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="11" fill="#222"'
AXIS = 'stroke="#222" stroke-width="1"'
CHAR = 6.6  # the width of a character of FONT, to leave room for the labels
TICKS = 5


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _text(x: float, y: float, content: str, anchor: str = "middle") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT}>'
            f"{escape(content)}</text>")


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{colour}"/>')


def _length(value: float, top: float, room: float) -> float:
    """A bar's length on an axis of `room` pixels from 0 to `top` (clipped to it)."""
    return room * max(0.0, min(value, top)) / top


def _svg(width: float, height: float, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">'
            + "".join(parts) + "</svg>")


def _ticks(top: float) -> list[float]:
    """TICKS evenly spaced round values from 0 within `top` (0, 20, 40... for 110)."""
    raw = top / TICKS
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(int(top // step) + 1)]


def _tick_label(value: float) -> str:
    return formatting.number(Decimal(str(value)), 0 if value == int(value) else 1)


def bars(labels: list[str], values: list[Decimal | float], *, horizontal: bool = False,
         unit: str = "%", colours: list[str] | None = None, limit: float | None = None) -> str:
    """A bar chart with the value written at the end of each bar (Italian decimal comma),
    axes on the left and at the bottom, ticks at round values; `limit` is the end of the
    value axis (else the largest value plus room for its label)."""
    numbers = [float(v) for v in values]
    top = limit or max(numbers + [1]) * 1.18
    colours = colours or [BLUE] * len(numbers)
    written = [f"{formatting.number(v)}{unit}" for v in values]
    draw = _horizontal if horizontal else _vertical
    return draw([str(label) for label in labels], numbers, written, colours, top)


def _vertical(labels, numbers, written, colours, top) -> str:
    width, height, left, right, above, below = 700, 320, 44, 10, 12, 28
    plot_w, plot_h = width - left - right, height - above - below
    base, slot = above + plot_h, plot_w / max(len(numbers), 1)
    parts = []
    for tick in _ticks(top):
        y = base - plot_h * tick / top
        parts += [f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" {AXIS}/>',
                  _text(left - 7, y + 4, _tick_label(tick), "end")]
    for i, (label, value, text, colour) in enumerate(zip(labels, numbers, written, colours)):
        x, bar_h = left + slot * i + slot * 0.1, _length(value, top, plot_h)
        parts += [_rect(x, base - bar_h, slot * 0.8, bar_h, colour),
                  _text(x + slot * 0.4, base - bar_h - 4, text),
                  _text(x + slot * 0.4, base + 16, label)]
    parts += [f'<line x1="{left}" y1="{above}" x2="{left}" y2="{base}" {AXIS}/>',
              f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" {AXIS}/>']
    return _svg(width, height, parts)


def _horizontal(labels, numbers, written, colours, top) -> str:
    left = 12 + CHAR * max((len(label) for label in labels), default=1)
    longest = CHAR * max((len(text) for text in written), default=1)
    width, row, above, below = 700, 30, 8, 28
    plot_w, height = width - left - longest - 12, above + below + row * len(numbers)
    base = above + row * len(numbers)
    parts = []
    for tick in _ticks(top):
        x = left + plot_w * tick / top
        parts += [f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" {AXIS}/>',
                  _text(x, base + 17, _tick_label(tick))]
    for i, (label, value, text, colour) in enumerate(zip(labels, numbers, written, colours)):
        y, bar_w = above + row * i + row * 0.15, _length(value, top, plot_w)
        parts += [_rect(left, y, bar_w, row * 0.7, colour),
                  _text(left + bar_w + 4, y + row * 0.35 + 4, text, "start"),
                  _text(left - 6, y + row * 0.35 + 4, label, "end")]
    parts += [f'<line x1="{left}" y1="{above}" x2="{left}" y2="{base}" {AXIS}/>',
              f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" {AXIS}/>']
    return _svg(width, height, parts)


def score_distribution(table, bands, not_evaluable_label: str) -> str:
    """Share of people per score 0-6 (and not evaluable), coloured by the cycle's bands."""
    from app.scoring.individual import checked_bands

    bands = checked_bands(bands)
    labels = [str(score) for score in table.by_score] + [not_evaluable_label]
    values = [share.share for share in table.by_score.values()] + [table.not_evaluable.share]
    colours = [BAND_COLOURS[bands.of_integer(s)] for s in table.by_score] + [BAND_COLOURS["low"]]
    return bars(labels, values, colours=colours)


def public_distribution(table) -> str:
    """The published distribution (app.services.reports.disclosure): one bar per
    published class, none for a class hidden under the minimum."""
    rows = [row for row in table.by_score if row.share is not None]
    return bars([row.label for row in rows], [row.share for row in rows],
                colours=[BAND_COLOURS[row.band] for row in rows])


def achievements(rows: list[tuple[str, Decimal | None]]) -> str | None:
    """Horizontal bars of achievements in percent, one per (label, value); what is not
    measured yet is left out. None when nothing is measured."""
    measured = [(label, value) for label, value in rows if value is not None]
    if not measured:
        return None
    return bars([label for label, _value in measured], [value for _label, value in measured],
                horizontal=True, limit=110)


def achievements_src(rows: list[tuple[str, Decimal | None]]) -> str | None:
    """The achievements chart as an <img> source (data URI), or None."""
    svg = achievements(rows)
    return data_uri(svg) if svg else None
