"""'How it is computed' beside every figure a person sees about their evaluation: the
score, the band and each part of the bonus, explained with the person's own numbers and
the cycle's rules by app.scoring.explain, then translated and written in Italian number
formats. The same lines go on the employee's page, the evaluator's pages and the
evaluation sheet PDF.

An explanation of a bonus recomputes the distribution from today's data; when that no
longer gives the stored amount (an evaluation changed after the fund was computed) the
explanation says so instead of contradicting the figure."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext

from app.formats import italian as formatting
from app.models.evaluation import Evaluation, RewardAllocation
from app.models.plan import Cycle
from app.scoring import explain
from app.services.evaluation.rewards import RewardError, people_of_pools, reward_system
from app.services.plan.parts import system_for_person
from app.services.reports.figures import band_label


def _number(value: Decimal) -> str:
    """Whole numbers without decimals, two decimals where they suffice, else four."""
    if value == value.to_integral_value():
        return formatting.integer(value)
    return formatting.number(value, 2 if value == value.quantize(Decimal("0.01")) else 4)


def _format(value) -> str:
    if isinstance(value, explain.Money):
        return formatting.money(value)
    if isinstance(value, explain.Percent):
        return formatting.percent(value)
    if isinstance(value, explain.Terms):
        return " + ".join(_format(item) if weight is None else f"{_number(weight)} × {_format(item)}"
                          for weight, item in value)
    if isinstance(value, explain.Band):
        return band_label(value)
    if isinstance(value, Decimal):
        return _number(value)
    return str(value)


def lines(explanation: explain.Explanation | None) -> list[str]:
    """The steps as sentences in the reader's language."""
    if explanation is None:
        return []
    return [gettext(step.template, **{k: _format(v) for k, v in step.params.items()})
            for step in explanation.steps]


def final_ratings(evaluation: Evaluation) -> list:
    """The ratings the score stands on: the review's when it amended them."""
    review = [r for r in evaluation.ratings if r.stage == "review"]
    return review or [r for r in evaluation.ratings if r.stage == "evaluation"]


def score(cycle: Cycle, evaluation: Evaluation | None) -> explain.Explanation | None:
    ratings = final_ratings(evaluation) if evaluation is not None else []
    if evaluation is None or evaluation.score is None or not ratings:
        return None
    return explain.score_steps([(r.objective.title, r.what, r.how, r.weight) for r in ratings],
                               system_for_person(cycle, evaluation.user).matrix)


def band(cycle: Cycle, evaluation: Evaluation | None) -> explain.Explanation | None:
    if evaluation is None or evaluation.score is None:
        return None
    return explain.band_steps(evaluation.score, system_for_person(cycle, evaluation.user).bands)


def of_ratings(cycle: Cycle, person, objectives: list, rows: list[dict]) -> list[str]:
    """The score and band of ratings being entered (the form's live preview): rows as
    the form posts them, one per objective, in the objectives' order."""
    system = system_for_person(cycle, person)
    by_id = {o.id: o for o in objectives}
    explained = explain.score_steps(
        [(by_id[row["objective_id"]].title, int(row["what"]), row["how"],
          by_id[row["objective_id"]].weight) for row in rows], system.matrix)
    return lines(explained) + lines(explain.band_steps(explained.value, system.bands))


def allocation(cycle: Cycle, row: RewardAllocation) -> list[str]:
    """The lines explaining one person's bonus from one pool, or why they cannot be
    given any more (see the module docstring)."""
    try:
        system = reward_system(cycle)
        people = people_of_pools(cycle, system)[row.pool.group]
    except RewardError as exc:
        return [str(exc)]
    if all(p.id != row.user_id for p in people):
        return [gettext("The fund was computed with data that have changed since: it must be "
                        "computed again.")]
    explanation = explain.allocation_steps(row.pool.amount, people, row.user_id, system)
    if explanation.value != row.total:
        return [gettext("The fund was computed with data that have changed since: it must be "
                        "computed again.")]
    return lines(explanation)


def of_person(cycle: Cycle, evaluation: Evaluation | None,
              allocations: list[RewardAllocation]) -> dict:
    """Every explanation of one person's page or sheet: 'score', 'band' and one per
    allocation id."""
    return {"score": lines(score(cycle, evaluation)), "band": lines(band(cycle, evaluation)),
            **{a.id: allocation(cycle, a) for a in allocations}}
