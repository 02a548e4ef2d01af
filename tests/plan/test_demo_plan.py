"""The demo plan 2022: its shape, its values, its revision, everyone's objectives, and
`flask demo load` staying idempotent."""
from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.models.org import User
from app.models.plan import Cycle, Indicator
from app.services.plan import individual
from app.services.plan import scores as plan_scores


def test_demo_plan_has_the_promised_shape(demo_plan):
    plan = demo_plan.plan
    levels = Counter(o.level for o in plan.objectives)
    assert levels["strategic"] >= 8 and levels["operational"] >= 20
    indicators = [i for o in plan.objectives for i in o.indicators]
    assert len(indicators) >= 60
    assert {i.direction for i in indicators} == {">=", "<=", "="}
    assert {i.unit for i in indicators} == {"percent", "number", "days", "eur", "date", "boolean"}
    assert {i.method for i in indicators} >= {None, "ratio", "boolean"}
    assert sum(1 for i in indicators if i.threshold is not None) >= 30
    deadlines = [i for i in indicators if isinstance(i.target, date) and i.direction == "<="]
    assert len(deadlines) >= 5
    neutralised = [i for i in indicators if i.neutralised]
    assert len(neutralised) == 1 and neutralised[0].neutralised_reason
    assert sum(1 for i in indicators if i.actual is not None) >= 55
    assert sum(1 for i in indicators if i.monitoring_value is not None) >= 50
    owners = {o.owner_unit.code for o in plan.objectives if not o.is_strategic}
    assert owners >= {"A1.1", "A1.2", "A1.3", "A2.1", "A2.2", "A2.3", "A3.1", "A3.2", "A4.1", "A4.2"}


def test_demo_plan_is_approved_and_revised_once(demo_plan):
    plan = demo_plan.plan
    assert plan.status == "approved" and [r.label for r in plan.revisions] == ["Rev. 0", "Rev. 1"]
    rev1 = plan.revisions[1]
    assert rev1.oiv_opinion_positive and rev1.deliberation_number == "98"
    assert rev1.changes == [{"kind": "indicator", "code": "OP1.2-01.2", "action": "changed",
                             "field": "target", "old": "30", "new": "25"}]


def test_demo_plan_achievements_are_computed(demo_plan):
    scores = plan_scores.achievements(demo_plan)
    assert scores.organisation is not None and Decimal(0) < scores.organisation <= 100
    assert len(scores.unit_areas) == 4
    assert all(scores.objective(o.id) is not None for o in demo_plan.plan.objectives)


def test_every_member_of_staff_has_objectives_adding_up_to_100(demo_plan):
    staff = db.session.execute(select(User).where(User.unit_id.is_not(None))).scalars().all()
    assert len(staff) > 50
    for person in staff:
        rows = individual.objectives_of(demo_plan, person)
        assert len(rows) == 3 and sum(r.weight for r in rows) == 100, person.email
        assert rows[0].objective is not None and not rows[0].objective.is_strategic


def test_loading_twice_changes_nothing(demo_plan, demo):
    from app.demo import plan as demo_plan_module

    before = db.session.execute(select(func.count(Indicator.id))).scalar_one()
    assert demo_plan_module.load(demo).id == demo_plan.id
    db.session.commit()
    assert db.session.execute(select(func.count(Indicator.id))).scalar_one() == before
    assert db.session.execute(select(func.count(Cycle.id))).scalar_one() == 1


def test_no_demo_person_has_the_same_individual_objective_twice(demo_plan):
    people = db.session.execute(select(User).where(User.is_demo)).scalars().all()
    for person in people:
        objectives = individual.objectives_of(demo_plan, person)
        titles = [o.title for o in objectives]
        linked = [o.objective_id for o in objectives if o.objective_id is not None]
        assert len(titles) == len(set(titles)), (person.email, titles)
        assert len(linked) == len(set(linked)), (person.email, titles)
