"""The weights of one group of siblings (the indicators of an objective, the operational
objectives under a strategic one, the strategic objectives of an area, the areas), read
the same way by the plan check and by the roll-up, so a plan the check accepts always
scores with exactly the weights the check read.

- Every weight blank (None): no weights given, the rows count equally (Alessandria-Asti
  gives none to its operational objectives): resolve_weights([None, None]) -> [1, 1].
- Numbers: weights, normalised by their sum; 0 means the row counts for nothing.
- Blanks mixed with numbers, or numbers that are all 0: refused, since either would make
  the roll-up pick a rule the administration never wrote.
- The plan check also wants numbers to add up to 100 within the system's tolerance
  (Pistoia prints 7 x 14,3% = 100,1%): check_weights."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.scoring.numbers import HUNDRED, ONE, ZERO, ScoringError, in_context, to_decimal


def _number(weight) -> Decimal:
    value = to_decimal(weight, "A weight must be a number.")
    if value < 0:
        raise ScoringError("A weight cannot be negative.")
    return value


@in_context
def resolve_weights(weights: Sequence) -> list[Decimal]:
    """The weights the roll-up uses for the group: blanks -> 1 each; numbers as they are.
    Raises ScoringError for a mix, for all zeros, for a negative or non-numeric weight."""
    blanks = sum(1 for weight in weights if weight is None)
    if blanks == len(weights):
        return [ONE] * len(weights)
    if blanks:
        raise ScoringError("Some weights are blank and others are not: give every row a "
                           "weight, or leave them all blank to count the rows equally.")
    numbers = [_number(weight) for weight in weights]
    if not any(numbers):
        raise ScoringError("Every weight is 0: nothing would count. Leave the weights blank "
                           "to count the rows equally.")
    return numbers


@in_context
def check_weights(weights: Sequence, tolerance=Decimal("0.01")) -> Decimal | None:
    """What the plan check reads for a group: None when the group is blank (equal
    weights) or its weights add up to exactly 100, else their sum when it is within
    `tolerance` of 100 (the roll-up normalises by it: the page says so). Raises
    ScoringError for what resolve_weights refuses and for a sum outside the tolerance."""
    resolved = resolve_weights(weights)
    if all(weight is None for weight in weights):
        return None
    total = sum(resolved, ZERO)
    tolerance = to_decimal(tolerance, "The tolerance must be a number.")
    if abs(total - HUNDRED) > tolerance:
        raise ScoringError("The weights add up to %(total)s, not 100.", total=total)
    return None if total == HUNDRED else total
