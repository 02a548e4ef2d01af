"""The plan's scores read the plan in a fixed number of queries: the objectives come with
their indicators and sub-objectives at once, never one query per objective, so that the
dashboard and the plan page do not slow down as the plan grows."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.plan import Cycle, Objective
from app.services.plan.scores import achievements
from tests.helpers import QueryCounter


def test_the_scores_read_the_plan_in_a_few_queries_not_one_per_objective(demo_plan):
    cycle_id = demo_plan.id
    db.session.expunge_all()  # as in a new request: nothing of the plan loaded yet
    cycle = db.session.get(Cycle, cycle_id)
    objectives = db.session.scalar(select(func.count(Objective.id)))
    with QueryCounter() as counted:
        result = achievements(cycle)
    assert objectives > 20 and result.objectives
    assert counted.count < objectives  # before: 54, two per objective
