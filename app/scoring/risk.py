"""The corruption-risk level of a risk item and its band (PIAO.md, "Corruption risk and
transparency").

The level is probability x impact, each on 1..its scale's maximum (5 by default, so
0-25). An area's band method gives the bands, lowest first, as (upper bound, band code)
pairs; a level belongs to the first band whose upper bound it does not exceed: upper
bounds are inclusive, which closes the gaps the printed tables leave (10.05 is "low" in
the older method, 4.01 "medium" in the current one).

    risk_level(3, 3) -> 9
    band_of(Decimal(9), FOUR_BANDS) -> "medium"      (9 is medium's upper bound)
    band_of(Decimal("9.01"), FOUR_BANDS) -> "medium_high"
    band_of(Decimal("10.05"), THREE_BANDS) -> "low"
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

from app.scoring.numbers import ScoringError

Bands = Sequence[tuple[Decimal, str]]

# The current method (areas A, B, C, H): <= 4 low; 4.01-9 medium; 9.01-15 medium-high;
# 15.01-25 high. The older method (areas D, E, G): <= 10 low; 10.1-17 medium; 17.1-25 high.
FOUR_BANDS: Bands = ((Decimal(4), "low"), (Decimal(9), "medium"),
                     (Decimal(15), "medium_high"), (Decimal(25), "high"))
THREE_BANDS: Bands = ((Decimal(10), "low"), (Decimal(17), "medium"), (Decimal(25), "high"))
DEFAULT_BANDS = {"four_bands": FOUR_BANDS, "three_bands": THREE_BANDS}
BAND_CODES = ("low", "medium", "medium_high", "high")
DEFAULT_SCALE = 5


def risk_level(probability: int, impact: int, probability_max: int = DEFAULT_SCALE,
               impact_max: int = DEFAULT_SCALE) -> Decimal:
    """probability x impact; each must be a whole number from 1 to its maximum."""
    if not _on_scale(probability, probability_max):
        raise ScoringError("The probability must be a whole number from 1 to %(top)s.",
                           top=probability_max)
    if not _on_scale(impact, impact_max):
        raise ScoringError("The impact must be a whole number from 1 to %(top)s.", top=impact_max)
    return Decimal(probability * impact)


def _on_scale(value, top: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 1 <= value <= top


def band_of(level: Decimal, bands: Bands) -> str:
    """The first band whose (inclusive) upper bound the level does not exceed."""
    if level < 0:
        raise ScoringError("A risk level cannot be negative.")
    for upper, code in bands:
        if level <= upper:
            return code
    raise ScoringError("The level %(level)s is above the highest band.", level=level)


def check_bands(bands: Bands, highest_level: Decimal) -> None:
    """Bands must rise strictly, use known codes and reach the highest possible level."""
    if not bands:
        raise ScoringError("Give at least one band.")
    uppers = [upper for upper, _code in bands]
    if any(b <= a for a, b in pairwise(uppers)):
        raise ScoringError("The upper bounds of the bands must rise from one band to the next.")
    if uppers[0] <= 0:
        raise ScoringError("The upper bound of the lowest band must be above zero.")
    if uppers[-1] < highest_level:
        raise ScoringError("The highest band must reach the highest level, %(level)s.",
                           level=highest_level)
    unknown = [code for _upper, code in bands if code not in BAND_CODES]
    if unknown:
        raise ScoringError("Unknown band: %(code)s.", code=unknown[0])


def bands_from_json(rows) -> Bands:
    """The stored form ([["4", "low"], ...]) as (Decimal, code) pairs."""
    return tuple((Decimal(str(upper)), str(code)) for upper, code in rows)


def bands_to_json(bands: Bands) -> list[list[str]]:
    return [[str(upper), code] for upper, code in bands]
