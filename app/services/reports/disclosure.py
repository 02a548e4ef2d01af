"""What the public pages publish of the score distribution and the reward fund: no
published cell counts between 1 and PUBLIC_MIN_GROUP - 1 people (default 3), since a
cell of one or two people discloses their scores or their pay. Neighbouring classes are
merged as statistical publications do (app.scoring.statistics.merge_small); a
population smaller than the minimum is shown as "< N" with no share or amount."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

from app.scoring.statistics import BAND_NAMES, merge_small
from app.services.reports import figures as reports

DEFAULT_MIN_GROUP = 3


@dataclass(frozen=True)
class PublicRow:
    """One published class: count and share, or None for both when under the minimum;
    the amounts only for fund rows."""

    label: str
    count: int | None
    share: Decimal | None = None
    band: str | None = None
    amount: Decimal | None = None
    distributed: Decimal | None = None


@dataclass(frozen=True)
class PublicTable:
    minimum: int
    total: int | None
    by_score: list[PublicRow]
    by_band: list[PublicRow]
    merged: bool  # some classes were merged or hidden: the page says so


def minimum() -> int:
    return int(current_app.config.get("PUBLIC_MIN_GROUP", DEFAULT_MIN_GROUP))


def _label(labels: list[str], first: int, last: int, joiner: str = "–") -> str:
    return labels[first] if first == last else f"{labels[first]}{joiner}{labels[last]}"


def _rows(labels, counts, shares, bands, least) -> tuple[list[PublicRow], bool]:
    rows, merged = [], False
    for first, last in merge_small(counts, least):
        count = sum(counts[first:last + 1])
        merged |= first != last
        small = 0 < count < least
        merged |= small
        rows.append(PublicRow(_label(labels, first, last), None if small else count,
                              None if small else sum(shares[first:last + 1], Decimal(0)),
                              bands[first]))
    return rows, merged


def distribution(cycle, group: str | None = None) -> PublicTable:
    """The published distribution per score (not evaluable first: it counts in the low
    band) and per band, over the final evaluations of everyone or of one group of people
    (staff, managers)."""
    return suppressed(reports.score_distribution(cycle, group), cycle)


def suppressed(table, cycle) -> PublicTable:
    """app.scoring's table of a population (a Differentiation) as it may be shown beyond
    the people it counts: no class of 1 to PUBLIC_MIN_GROUP - 1 people."""
    from app.scoring.individual import checked_bands
    from app.services.plan.parts import bands_of

    least = minimum()
    bands = checked_bands(bands_of(cycle))
    score_labels = [_("n.e.")] + [str(s) for s in table.by_score]
    score_counts = [table.not_evaluable.count] + [s.count for s in table.by_score.values()]
    score_shares = [table.not_evaluable.share] + [s.share for s in table.by_score.values()]
    score_bands = ["low"] + [bands.of_integer(s) for s in table.by_score]
    by_score, merged_scores = _rows(score_labels, score_counts, score_shares, score_bands, least)
    band_labels = [reports.band_label(code) for code in BAND_NAMES]
    by_band, merged_bands = _rows(band_labels, [table.by_band[c].count for c in BAND_NAMES],
                                  [table.by_band[c].share for c in BAND_NAMES],
                                  list(BAND_NAMES), least)
    total = table.total if not 0 < table.total < least else None
    return PublicTable(least, total, by_score, by_band, merged_scores or merged_bands)


def distributions_by_group(cycle) -> list[tuple[str, PublicTable]]:
    """(label, published table) for the staff, the managers, then everyone."""
    return [(reports.group_label(g), suppressed(table, cycle))
            for g, table in reports.distributions_by_group(cycle)]


def fund_rows(cycle) -> tuple[list[PublicRow], bool]:
    """The fund per group of people, groups under the minimum merged with their
    neighbours (a pool's distributed amount over one person is that person's pay)."""
    least, pools = minimum(), reports.fund(cycle).pools
    labels = [str(reports.GROUP_LABELS.get(p.group, p.group)) for p in pools]
    counts = [len(p.allocations) for p in pools]
    rows, merged = [], False
    for first, last in merge_small(counts, least):
        group = pools[first:last + 1]
        count = sum(counts[first:last + 1])
        small = 0 < count < least
        merged |= small or first != last
        rows.append(PublicRow(
            _label(labels, first, last, " + "), None if small else count,
            amount=None if small else sum((p.amount for p in group), Decimal(0)),
            distributed=None if small else sum((p.distributed or Decimal(0) for p in group),
                                               Decimal(0))))
    return rows, merged
