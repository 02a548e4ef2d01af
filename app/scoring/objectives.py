"""Roll-up of achievements: objectives, areas, strategic objectives, the organisation
(DOMAIN "Roll-up"). Rows are (score, weight) pairs. The weights of a group are read by
app.scoring.weights: all blank (None) count equally, a weight of 0 leaves the row out,
blanks mixed with numbers or all zeros are refused. A score of None is a row not measured
(neutralised): it is left out and its weight spreads over the others. Results are
unrounded Decimals, like indicator scores."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from app.scoring.numbers import ScoringError, in_context, to_decimal
from app.scoring.system import EvaluationSystem
from app.scoring.weights import resolve_weights

_DEFAULT = EvaluationSystem.turin_default()


def _measured(rows: Iterable) -> list[tuple[Decimal, Decimal]]:
    """The measured rows with a positive weight, as Decimals, checked; the group's
    weights are resolved over every row, measured or not."""
    rows = list(rows)
    kept = []
    for (score, _), weight in zip(rows, resolve_weights([weight for _, weight in rows]),
                                  strict=True):
        if score is None:
            continue
        score = to_decimal(score, "A score must be a number.")
        if score < 0:
            raise ScoringError("A score cannot be negative.")
        if weight:
            kept.append((score, weight))
    return kept


def _weighted_mean(rows: list[tuple[Decimal, Decimal]]) -> Decimal:
    if not rows:
        raise ScoringError("Nothing can be measured: no row with a weight has a score.")
    return sum(score * weight for score, weight in rows) / sum(weight for _, weight in rows)


@in_context
def objective_score(rows: Iterable) -> Decimal:
    """Weighted mean of the indicators' (score, weight) rows, weights normalised by
    their sum. Examples: (100, 50), (60, 30), (0, 20) -> 68; (100, None), (50, None) ->
    75 (no weights given: equal)."""
    return _weighted_mean(_measured(rows))


@in_context
def area_score(objective_rows: Iterable) -> Decimal:
    """An area: weighted mean of its operational objectives' (score, weight) rows."""
    return _weighted_mean(_measured(objective_rows))


@in_context
def strategic_score(indicator_rows: Iterable, operational_rows: Iterable,
                    system: EvaluationSystem | None = None) -> Decimal:
    """A strategic objective from its own indicators and its operational objectives, by
    system.rollup.strategic_kpi_share: None uses the indicators when any is measured,
    else the operational objectives; a share mixes the two (Asti: 40% indicators, 60%
    operational objectives), falling back to the side that is measured."""
    share = (system or _DEFAULT).rollup.strategic_kpi_share
    own, below = _measured(indicator_rows), _measured(operational_rows)
    if own and below and share is not None:
        return (_weighted_mean(own) * share + _weighted_mean(below) * (100 - share)) / 100
    return _weighted_mean(own or below)


@in_context
def organisation_score(strategic_rows: Iterable, system: EvaluationSystem | None = None
                       ) -> Decimal:
    """The organisation ("ente") by system.rollup.organisation: 'simple' is the plain mean
    of the rows with a positive weight, 'weighted' their weighted mean; 'areas' is the
    weighted mean too, the caller passing the strategic areas' (score, weight) rows."""
    rows = _measured(strategic_rows)
    if (system or _DEFAULT).rollup.organisation == "simple":
        rows = [(score, Decimal(1)) for score, _ in rows]
    return _weighted_mean(rows)
