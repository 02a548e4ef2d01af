"""Risk levels and their bands on both band sets of PIAO.md, edges included: upper
bounds are inclusive, so the printed tables' gaps (4.005, 10.05) fall in the lower band."""
from decimal import Decimal

import pytest

from app.scoring.numbers import ScoringError
from app.scoring.risk import (
    FOUR_BANDS,
    THREE_BANDS,
    band_of,
    bands_from_json,
    bands_to_json,
    check_bands,
    risk_level,
)


@pytest.mark.parametrize("level, band", [
    ("0", "low"), ("1", "low"), ("4", "low"), ("4.005", "medium"), ("4.01", "medium"),
    ("9", "medium"), ("9.01", "medium_high"), ("15", "medium_high"), ("15.01", "high"),
    ("25", "high"),
])
def test_four_band_method_upper_bounds_are_inclusive(level, band):
    assert band_of(Decimal(level), FOUR_BANDS) == band


@pytest.mark.parametrize("level, band", [
    ("1", "low"), ("10", "low"), ("10.05", "medium"), ("10.1", "medium"), ("17", "medium"),
    ("17.05", "high"), ("17.1", "high"), ("25", "high"),
])
def test_three_band_method_upper_bounds_are_inclusive(level, band):
    assert band_of(Decimal(level), THREE_BANDS) == band


def test_a_level_above_the_highest_band_is_refused():
    with pytest.raises(ScoringError):
        band_of(Decimal("25.01"), FOUR_BANDS)


def test_level_is_probability_times_impact_on_the_configured_scales():
    assert risk_level(3, 4) == Decimal(12)
    assert risk_level(1, 1) == Decimal(1)
    assert risk_level(4, 3, probability_max=4, impact_max=3) == Decimal(12)


@pytest.mark.parametrize("probability, impact", [(0, 3), (6, 3), (3, 6), (True, 2), ("3", 2)])
def test_values_outside_the_scale_are_refused(probability, impact):
    with pytest.raises(ScoringError):
        risk_level(probability, impact)


def test_a_smaller_scale_refuses_what_the_default_accepts():
    with pytest.raises(ScoringError):
        risk_level(5, 5, probability_max=4)


def test_bands_must_rise_and_reach_the_highest_level():
    check_bands(FOUR_BANDS, Decimal(25))
    check_bands(THREE_BANDS, Decimal(25))
    with pytest.raises(ScoringError):
        check_bands(((Decimal(9), "low"), (Decimal(4), "high")), Decimal(25))
    with pytest.raises(ScoringError):
        check_bands(((Decimal(4), "low"), (Decimal(20), "high")), Decimal(25))
    with pytest.raises(ScoringError):
        check_bands(((Decimal(25), "severe"),), Decimal(25))


def test_configured_bands_round_trip_through_their_stored_form():
    assert bands_from_json(bands_to_json(THREE_BANDS)) == THREE_BANDS
    custom = bands_from_json([["6", "low"], ["12,5".replace(",", "."), "medium"], ["25", "high"]])
    assert band_of(Decimal("12.5"), custom) == "medium"
    assert band_of(Decimal("6.5"), custom) == "medium"
