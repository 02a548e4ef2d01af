"""Charts as SVG pictures, drawn by matplotlib on the server: the distribution of
individual scores per score (coloured by band) and bars of achievements (per strategic
objective, per area, per objective of a unit). Pages show them as <img> with the same
figures in a data table beside; the Report PDF embeds the same pictures. The object API
(Figure, never pyplot and its global state) keeps drawing safe in a threaded server.
matplotlib is imported at the first chart, not with the app: it costs about 0.8 s of a
core, which every CLI command and worker would pay without drawing (an app server
imports it before forking, app.warmup.LIBRARIES)."""
from __future__ import annotations

import base64
import io
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from app.formats import italian as formatting

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE = "#0066cc"
BAND_COLOURS = {"low": "#a61919", "medium": "#995c00", "high": "#008055"}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def bars(labels: list[str], values: list[Decimal | float], *, horizontal: bool = False,
         unit: str = "%", colours: list[str] | None = None, limit: float | None = None) -> str:
    """A bar chart with the value written on each bar (Italian decimal comma). The same
    figures give the same picture, so it is drawn once: matplotlib takes about half a
    second a chart and the dashboard shows three at every visit."""
    return _bars(tuple(labels), tuple(values), horizontal, unit,
                 tuple(colours) if colours else None, limit)


@lru_cache(maxsize=64)
def _bars(labels: tuple[str, ...], values: tuple, horizontal: bool, unit: str,
          colours: tuple[str, ...] | None, limit: float | None) -> str:
    from matplotlib.figure import Figure

    height = max(2.6, 0.42 * len(labels) + 1) if horizontal else 3.2
    figure = Figure(figsize=(7, height), dpi=100)
    axes = figure.add_subplot()
    numbers = [float(v) for v in values]
    draw = axes.barh if horizontal else axes.bar
    drawn = draw(list(labels), numbers, color=list(colours) if colours else BLUE)
    axes.bar_label(drawn, labels=[f"{formatting.number(v)}{unit}" for v in values],
                   padding=3, fontsize=8)
    if horizontal:
        axes.invert_yaxis()
        axes.set_xlim(0, limit or max(numbers + [1]) * 1.18)
    else:
        axes.set_ylim(0, limit or max(numbers + [1]) * 1.18)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return _svg(figure)


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
