"""Individual evaluation (DOMAIN "Individual evaluation"): each objective's WHAT (0-6)
and HOW (A/B/C) give a value through the matrix; the score is the weighted mean of the
values, two decimals half up; the score falls in a band."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from app.scoring.numbers import CENT, CONTEXT, HUNDRED, ZERO, ScoringError, to_decimal
from app.scoring.system import Bands, Matrix

TURIN_MATRIX = Matrix.turin()
TURIN_BANDS = Bands()
_HOW = {"A": "A", "B": "B", "C": "C", "a": "A", "b": "B", "c": "C"}
_WEIGHT_TOLERANCE = Decimal("0.01")
_fma, _add, _subtract, _abs, _divide = (CONTEXT.fma, CONTEXT.add, CONTEXT.subtract,
                                        CONTEXT.abs, CONTEXT.divide)


def _table(matrix) -> dict[str, tuple[int, ...]]:
    """The matrix rows; a plain mapping is validated like the system's matrix."""
    if matrix is None:
        return TURIN_MATRIX.root
    if isinstance(matrix, Matrix):
        return matrix.root
    return Matrix.model_validate(matrix).root


def _what(value) -> int:
    if type(value) is int:
        if 0 <= value <= 6:
            return value
        raise ScoringError("The rating of what was achieved must be a whole number from 0 to 6.")
    if isinstance(value, bool):
        raise ScoringError("The rating of what was achieved must be a whole number from 0 to 6.")
    number = to_decimal(value, "The rating of what was achieved must be a whole number from 0 to 6.")
    if number != number.to_integral_value() or not 0 <= number <= 6:
        raise ScoringError("The rating of what was achieved must be a whole number from 0 to 6.")
    return int(number)


def _how(value) -> str:
    how = _HOW.get(value.strip()) if isinstance(value, str) else None
    if how is None:
        raise ScoringError("The rating of how must be A, B or C.")
    return how


def matrix_value(what, how, matrix: Matrix | Mapping | None = None) -> int:
    """The value of one objective: the matrix cell for WHAT (0-6) and HOW (A, B, C)."""
    return _table(matrix)[_how(how)][_what(what)]


def individual_score(rows: Iterable, matrix: Matrix | Mapping | None = None) -> Decimal:
    """The final score 0-6 from (what, how, weight) rows: weighted mean of the matrix
    values, weights summing to 100 (tolerance 0.01), two decimals half up.

    It runs once per person, so it calls CONTEXT's methods directly instead of entering
    a local context (which would cost more than the arithmetic)."""
    table = _table(matrix)
    total = total_weight = ZERO
    for what, how, weight in rows:
        if type(weight) is not Decimal or not weight.is_finite():
            weight = to_decimal(weight, "A weight must be a number.")
        if weight < 0:
            raise ScoringError("A weight cannot be negative.")
        row = table.get(how) if type(how) is str else None
        if row is None:
            row = table[_how(how)]
        if type(what) is not int or not 0 <= what <= 6:
            what = _what(what)
        total = _fma(weight, row[what], total)
        total_weight = _add(total_weight, weight)
    if _abs(_subtract(total_weight, HUNDRED)) > _WEIGHT_TOLERANCE:
        raise ScoringError("The weights must sum to 100 (they sum to %(total)s).",
                           total=total_weight)
    return _divide(total, total_weight).quantize(CENT, ROUND_HALF_UP, CONTEXT)


def checked_bands(bands: Bands | Mapping | None) -> Bands:
    """The Turin bands for None; a plain mapping is validated like the system's bands."""
    if bands is None:
        return TURIN_BANDS
    if isinstance(bands, Bands):
        return bands
    return Bands.model_validate(bands)


def rounded_score(score, bands: Bands) -> int:
    """The integer a score counts as for bands and statistics (1.50 -> 2 half up)."""
    if type(score) is not int:
        score = to_decimal(score, "The score must be a number.")
        score = int(score.to_integral_value(rounding=bands.rounding)) if 0 <= score <= 6 else -1
    if not 0 <= score <= 6:
        raise ScoringError("The score must be between 0 and 6.")
    return score


def band(score, bands: Bands | Mapping | None = None) -> str:
    """'low', 'medium' or 'high' (Turin: 0-1, 2-4, 5-6). A non-integer score takes the
    band of its value rounded by the bands' rule (half up: 4.50 is high)."""
    bands = checked_bands(bands)
    return bands.of_integer(rounded_score(score, bands))



def pays(score, bands: Bands | Mapping | None = None) -> bool:
    """Whether a score can earn a bonus: from the start of the medium band (Turin: 2),
    the score itself, not its rounded band (1.50 is in the medium band half up, yet
    pays nothing); no score (not evaluable) never pays. app.scoring.rewards pays by
    the same rule. Examples: 2 -> True, 1.99 -> False, None -> False."""
    if score is None:
        return False
    bands = checked_bands(bands)
    return to_decimal(score, "The score must be a number.") >= bands.medium[0]
