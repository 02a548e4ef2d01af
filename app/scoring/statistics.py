"""Distribution of scores, as published under art. 20 D.Lgs. 33/2013: the share of
people per score and per band (Turin 2019: 18.5% scored 6, 6.8% in the low band).
Only counts and shares leave this module, never a person's score."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.scoring.individual import checked_bands, rounded_score
from app.scoring.numbers import in_context, largest_remainder
from app.scoring.system import Bands

BAND_NAMES = ("low", "medium", "high")
_FULL = 10000  # 100.00 % in hundredths of a percent


@dataclass(frozen=True)
class Share:
    count: int
    share: Decimal  # percentage of the total, two decimals


@dataclass(frozen=True)
class Differentiation:
    """by_score: integer scores 0-6 (a non-integer score counts as its value rounded
    like the bands). not_evaluable: people without a score, also counted in the low
    band. Shares of by_score plus not_evaluable add up to 100.00, and so do those of
    by_band (largest remainder); with nobody at all every share is 0.00."""

    total: int
    by_score: dict[int, Share]
    not_evaluable: Share
    by_band: dict[str, Share]


def _shares(counts: list[int], total: int) -> list[Share]:
    if not total:
        return [Share(count, Decimal("0.00")) for count in counts]
    units = largest_remainder([Decimal(count * _FULL) / total for count in counts], _FULL)
    return [Share(count, Decimal(unit).scaleb(-2)) for count, unit in zip(counts, units)]


def differentiation(scores: Iterable, bands: Bands | Mapping | None = None) -> Differentiation:
    """The published table for the scores of one population (None = not evaluable)."""
    return counted_differentiation(((score, 1) for score in scores), bands)


@in_context
def counted_differentiation(counted: Iterable[tuple], bands: Bands | Mapping | None = None
                            ) -> Differentiation:
    """differentiation of (score, how many people have it) pairs, a score repeated or
    not: what a database grouping the scores gives, so that a large population is read
    as a few hundred distinct scores rather than a row per person.
    ((Decimal("4.50"), 3), (None, 1), (Decimal("4.50"), 1)) is the table of 4.50 four
    times and one person not evaluable."""
    bands = checked_bands(bands)
    per_score = [0] * 7
    not_evaluable = 0
    for score, number in counted:
        if score is None:
            not_evaluable += number
        else:
            per_score[rounded_score(score, bands)] += number
    per_band = dict.fromkeys(BAND_NAMES, 0)
    per_band["low"] = not_evaluable
    for score, count in enumerate(per_score):
        per_band[bands.of_integer(score)] += count
    total = sum(per_score) + not_evaluable
    *score_shares, not_evaluable_share = _shares([*per_score, not_evaluable], total)
    band_shares = _shares(list(per_band.values()), total)
    return Differentiation(total, dict(enumerate(score_shares)), not_evaluable_share,
                           dict(zip(BAND_NAMES, band_shares)))


def merge_small(counts: list[int], minimum: int) -> list[tuple[int, int]]:
    """Adjacent classes merged, as statistical publications do, so that no published
    class counts between 1 and minimum - 1 people (a class of one is that person's score):
    (first, last) index ranges covering every class in order. Empty classes stay alone; a
    small remainder at the end joins the classes before it. Only when the whole population
    is smaller than the minimum does one small class remain, for the caller to hide."""
    groups: list[tuple[int, int]] = []
    start, total = None, 0
    for index, count in enumerate(counts):
        if start is None:
            if count == 0 or count >= minimum:
                groups.append((index, index))
                continue
            start, total = index, count
        else:
            total += count
        if total >= minimum:
            groups.append((start, index))
            start, total = None, 0
    if start is not None:
        while groups and total < minimum:
            first, _last = groups.pop()
            total += sum(counts[first:start])
            start = first
        groups.append((start, len(counts) - 1))
    return groups
