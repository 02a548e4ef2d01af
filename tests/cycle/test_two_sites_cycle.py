"""A whole cycle of one Chamber with two sites (Alessandria-Asti 2020): Asti (unit A1's
subtree) is scored by the shipped preset, Alessandria (A2's) by its variant, where the
mean of the operational objectives is a KPI of the strategic objective and a B behaviour
is valued as an A. The plan is imported and the systems bound as the pages do, then
every task is completed by its person through the services the forms call (the
headless demo driver). The figures are then recomputed here, independently of
app.scoring, from the recorded values: each part by its own rules, the whole, and every
individual score by the matrix of the person's site."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from random import Random

from sqlalchemy import select

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.evaluation import Evaluation
from app.models.org import User
from app.models.plan import Cycle
from app.services.plan.scores import achievements
from tests.cycle.helpers import start_cycle
from tests.helpers import SUPPORT, user_by_email
from tests.plan import two_sites

D, CENT = Decimal, Decimal("0.01")
TURIN = {"A": [0, 1, 2, 3, 4, 5, 6], "B": [0, 1, 2, 3, 3, 4, 5], "C": [0, 0, 1, 2, 2, 3, 4]}


def _threshold(actual, target, threshold) -> Decimal:
    """DOMAIN's threshold method for '>=' (every indicator of the two-site plan)."""
    if actual >= target:
        return D(100)
    if threshold is None or actual <= threshold:
        return D(0)
    return (actual - threshold) / (target - threshold) * 100


def _mean(rows):
    rows = [(score, weight) for score, weight in rows if score is not None]
    if not rows:
        return None
    return sum(s * w for s, w in rows) / sum(w for _, w in rows)


def _indicator(indicator, value=None):
    value = indicator.actual if value is None else value
    if indicator.neutralised or value is None:
        return None
    return _threshold(value, indicator.target, indicator.threshold)


def _expected(plan):
    """Objective -> achievement by each site's rules, then each site and the whole."""
    scores = {}
    for objective in (o for o in plan.objectives if not o.is_strategic):
        scores[objective.code] = _mean((_indicator(i), D(1)) for i in objective.indicators)
    for objective in (o for o in plan.objectives if o.is_strategic):
        children = _mean((scores[c.code], D(1)) for c in objective.children)  # equal
        if objective.code.startswith("OSAT"):  # Asti: 40% KPIs, 60% operational
            kpis = _mean((_indicator(i), i.weight) for i in objective.indicators)
            if kpis is None or children is None:
                scores[objective.code] = kpis if children is None else children
            else:
                scores[objective.code] = kpis * D("0.4") + children * D("0.6")
        else:  # Alessandria: the operational mean is one weighted KPI
            scores[objective.code] = _mean(
                (_indicator(i, children if i.computed else None), i.weight)
                for i in objective.indicators)
    at1, at2, al1 = scores["OSAT1"], scores["OSAT2"], scores["OSAL1"]
    asti = (at1 * 60 + at2 * 40) / 100
    whole = (at1 * 60 + at2 * 40 + al1 * 100) / 200
    return scores, asti, al1, whole


def _site(person) -> str | None:
    unit = person.unit
    while unit is not None and unit.code not in ("A1", "A2"):
        unit = unit.parent
    return unit.code if unit else None


def _expected_score(evaluation, matrix) -> Decimal:
    rows = [r for r in evaluation.ratings if r.stage == "evaluation"]
    total = sum((D(matrix[r.how][r.what]) * r.weight for r in rows), D(0))
    return (total / sum((r.weight for r in rows), D(0))).quantize(CENT, ROUND_HALF_UP)


def test_a_cycle_of_two_sites_each_scored_by_its_own_system(all_workflows, demo_plan):
    cycle, master = start_cycle(demo_plan)
    support = user_by_email(SUPPORT)
    two_sites.import_two_sites(support, cycle)
    asti, alessandria = two_sites.bind_two_sites(support, cycle)
    db.session.commit()
    demo_cycle.drive(cycle, master, Random(11), demo_cycle.Scenario(review_share=0),
                     echo=lambda *_: None)

    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.status == "closed"
    result = achievements(cycle)
    assert not result.problems
    scores, asti_figure, alessandria_figure, whole = _expected(cycle.plan)
    for objective in cycle.plan.objectives:
        assert result.objective(objective.id) == scores[objective.code], objective.code
    parts = {part.unit.code: (part.name, value) for part, value, _ in result.parts}
    assert parts == {"A1": (asti.name, asti_figure), "A2": (alessandria.name, alessandria_figure)}
    assert result.organisation == whole

    evaluations = db.session.execute(select(Evaluation).where(
        Evaluation.cycle_id == cycle.id, Evaluation.status == "final")).scalars().all()
    assert len(evaluations) > 50
    by_site = {"A1": 0, "A2": 0, None: 0}
    differs = 0
    for evaluation in evaluations:
        if evaluation.not_evaluable:
            continue
        person = db.session.get(User, evaluation.user_id)
        site = _site(person)
        by_site[site] += 1
        matrix = two_sites.ALESSANDRIA_MATRIX if site == "A2" else TURIN
        assert evaluation.score == _expected_score(evaluation, matrix), person.email
        differs += site == "A2" and evaluation.score != _expected_score(evaluation, TURIN)
    assert all(by_site.values()) and differs > 0
