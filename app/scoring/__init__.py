"""Scoring of the performance cycle: pure functions over Decimals, no Flask, no database,
no I/O. Everything else calls this package; it calls nothing. The rules are DOMAIN.md's
"Scoring rules"; their configuration is system.EvaluationSystem.

Indicator and roll-up scores are unrounded Decimals (round with quantize2 to display);
individual scores have two decimals; money is in cents; refused input raises
ScoringError, a ValueError whose template and params can be translated."""
from app.scoring.indicators import DIRECTIONS, METHODS, indicator_score
from app.scoring.individual import band, individual_score, matrix_value, pays
from app.scoring.numbers import ScoringError, quantize2
from app.scoring.objectives import area_score, objective_score, organisation_score, strategic_score
from app.scoring.rewards import Allocation, AllocationLine, Person, distribute_rewards
from app.scoring.statistics import Differentiation, Share, counted_differentiation, differentiation
from app.scoring.system import EvaluationSystem

__all__ = [
    "DIRECTIONS", "METHODS", "Allocation", "AllocationLine", "Differentiation",
    "EvaluationSystem", "Person", "ScoringError", "Share", "area_score", "band",
    "counted_differentiation", "differentiation", "distribute_rewards", "indicator_score",
    "individual_score", "matrix_value", "objective_score", "organisation_score", "pays", "quantize2",
    "strategic_score",
]
