"""Decimal arithmetic shared by the scoring modules.

Every public function computes inside CONTEXT (34 significant digits, errors trapped),
so results do not depend on whatever decimal context the caller happens to have set.
Rounding happens only where the rules say so: individual scores, money, published shares.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import wraps

CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX,
                  traps=[InvalidOperation, DivisionByZero, Overflow])
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class ScoringError(ValueError):
    """Refused input. The message is an English %-template with named parameters, so a
    caller can translate `template` first and then fill in `params`."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


def in_context(function: Callable) -> Callable:
    """Run a public function inside CONTEXT."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with localcontext(CONTEXT):
            return function(*args, **kwargs)

    return wrapper


def to_decimal(value, message: str) -> Decimal:
    """A finite Decimal from an int, Decimal, float or plain numeric string (12.5, -3,
    1e3); anything else raises ScoringError(message). Italian formats (1.234,56) are the
    importer's business: here a comma is refused rather than guessed."""
    kind = type(value)
    if kind is Decimal:
        if value.is_finite():
            return value
    elif kind is int:
        return Decimal(value)
    elif kind is float:
        if math.isfinite(value):
            return Decimal(repr(value))
    elif kind is str:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    elif isinstance(value, float):
        return to_decimal(float(value), message)
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return to_decimal(Decimal(value), message)
    raise ScoringError(message)


def to_date(value, message: str) -> date:
    """A date from a date, a datetime (its day) or an ISO string (2022-11-30)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ScoringError(message)


def quantize2(value, places: int = 2, rounding: str = ROUND_HALF_UP) -> Decimal:
    """A score or an amount as displayed: `places` decimals, half up by default."""
    number = to_decimal(value, "The value must be a number.")
    return number.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=CONTEXT)


def largest_remainder(values: Sequence[Decimal], total: int) -> list[int]:
    """Whole units (cents, hundredths of a percent) for non-negative exact `values` that
    add up to `total`: everyone gets the floor, and the units still missing go one each
    to the largest fractional parts, earlier items first on ties. `total` must lie
    between the sum of the floors and that sum plus len(values)."""
    floors = [int(value) for value in values]
    missing = total - sum(floors)
    if missing < 0 or missing > len(values):
        raise ArithmeticError("largest_remainder: total out of reach")
    if missing:
        fractions = [value - floor for value, floor in zip(values, floors)]
        order = sorted(range(len(values)), key=fractions.__getitem__, reverse=True)
        for index in order[:missing]:
            floors[index] += 1
    return floors
