"""The figures' Italian format (app/formats/italian.py) writes every number exactly as
Babel's Italian pattern does, rounded half up first: the pages, the Report and the
exports must read the same figure the same way."""
import random
from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import parse_pattern

from app.formats import italian

_ITALIAN = Locale.parse("it_IT")


def _babel(value, places: int) -> str:
    pattern = parse_pattern("#,##0" + ("." + "0" * places if places else ""))
    return pattern.apply(italian._rounded(value, places), _ITALIAN, decimal_quantization=False)


def _values():
    chosen = [Decimal(0), Decimal("-0"), Decimal("-0.00"), Decimal("-0.004"), Decimal("0.005"),
              Decimal("-0.005"), Decimal("2.675"), Decimal("-1234567.895"), Decimal("999.995"),
              Decimal("1E+3"), Decimal("1e20"), Decimal("12345678901234567.5"),
              Decimal("0.0000001"), 0, 1, -1, 1234567, 3.14159, -2.5, "12.5", "-0.125", True]
    rng = random.Random(13)
    for _ in range(3000):
        digits = rng.randint(0, 15)
        chosen.append(Decimal(rng.randint(-10**digits, 10**digits)).scaleb(-rng.randint(0, 6)))
        chosen.append(rng.uniform(-1e7, 1e7))
    return chosen


@pytest.mark.parametrize("places", range(5))
def test_numbers_read_as_babels_italian_pattern_writes_them(places):
    for value in _values():
        assert italian.number(value, places) == _babel(value, places), (value, places)


def test_the_figures_formats():
    assert italian.number(Decimal("1234.565")) == "1.234,57"  # half up, not half even
    assert italian.number(Decimal("-1234567.5"), 0) == "-1.234.568"
    assert italian.integer(25000) == "25.000"
    assert italian.percent(Decimal(85)) == "85,00%"
    assert italian.money(Decimal("1234.5")) == "1.234,50 €"
    assert italian.number(None) == italian.percent(None) == italian.money(None) == "—"
    assert italian.value(Decimal("97.20"), "percent") == "97,2%"
    assert italian.value(Decimal(4230)) == "4.230"
