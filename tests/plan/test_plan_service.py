"""Editing the plan, approving it, revising it, recording values: who may, what is
refused (with a clear message and nothing saved), what the audit trail records."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.plan import EvaluationSystemConfig, Indicator, Objective
from app.services.plan import operations as plan_service
from app.services.plan.adoption import (
    Deliberation,
    OivOpinion,
    approve_plan,
    approve_revision,
    create_revision,
    pending_changes,
    record_oiv_opinion,
    revision_diff,
)
from app.services.plan.cycles import create_cycle
from app.services.plan.errors import PlanError
from app.services.plan.fields import ObjectiveData
from app.services.plan.measurement import neutralise, record_actual, record_monitoring, reinstate
from tests.helpers import ADMIN, BOARD, MANAGER, OIV, OTHER_MANAGER, SG, user_by_email
from tests.plan.helpers import approve, find_indicator, find_objective, indicator_data

EMPLOYEE = "alessandro.russo@cciaa-demo.example"


def _count(model) -> int:
    return db.session.execute(select(func.count(model.id))).scalar_one()


def _refused(call, *fragments):
    with pytest.raises(PlanError) as info:
        call()
    db.session.rollback()
    text = " ".join(info.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    return info.value


def test_create_cycle_makes_a_draft_plan_and_copies_the_rules(demo, support):
    cycle = create_cycle(support, demo.id, 2023)
    db.session.commit()
    assert cycle.plan.status == "draft" and cycle.plan_due == date(2023, 1, 31)
    assert [c.version for c in db.session.execute(select(EvaluationSystemConfig)).scalars()] == [1]
    _refused(lambda: create_cycle(support, demo.id, 2023), "already exists")
    with pytest.raises(Forbidden):
        create_cycle(user_by_email(MANAGER), demo.id, 2024)


def test_small_plan_is_built_and_audited(small_plan):
    assert [o.code for o in small_plan.objectives] == ["OP1", "OP2", "OS1"]
    assert find_objective(small_plan, "OP1").parent.code == "OS1"
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("plan.indicator.save") == 3 and "plan.objective.save" in actions


@pytest.mark.parametrize("overrides,message", [
    ({"threshold": Decimal(95)}, "threshold must be below the target"),
    ({"direction": "<=", "target": Decimal(5), "threshold": Decimal(3)},
     "threshold must be above the target"),
    ({"direction": "=", "threshold": Decimal(90)}, "threshold must differ from the target"),
    ({"method": "ratio"}, "only the threshold method uses a threshold"),
    ({"method": "boolean", "threshold": None}, "Yes/no method cannot score a value in %"),
    ({"unit": "date", "target": date(2023, 5, 1), "threshold": None, "method": "steps"},
     "needs a table of at least one step"),
    ({"unit": "date", "target": date(2023, 5, 1), "threshold": None, "method": "steps",
      "steps": [["<", "80", "100"]]}, "bounds of the steps must be dates"),
    ({"method": "steps", "threshold": None, "steps": [["<", "80", "100"], ["<", "70", "50"]]},
     "out of order"),
    ({"method": "ratio", "threshold": None, "ratio_cap": Decimal(90)},
     "ratio cap must be at least 100"),
    ({"weight": Decimal(120)}, "weight must be between 0 and 100"),
    ({"weight": Decimal(-1)}, "weight must be between 0 and 100"),
    ({"target": date(2023, 5, 1)}, "target must be a number"),
    ({"unit": "date", "target": Decimal(3), "threshold": None}, "target must be a date"),
    ({"unit": "boolean", "target": True, "threshold": None, "method": "nonsense"},
     "unknown scoring method"),
    ({"target": None}, "target is required"),
    ({"name": " "}, "name is required"),
])
def test_bad_indicator_refused_and_nothing_saved(small_plan, support, overrides, message):
    before = _count(Indicator)
    objective = find_objective(small_plan, "OP1")
    _refused(lambda: plan_service.save_indicator(support, objective,
                                                 indicator_data("OP1.9", **overrides)), message)
    assert _count(Indicator) == before


def test_objective_placement_and_codes(small_plan, support):
    cycle = small_plan.cycle
    strategic = find_objective(small_plan, "OS1")
    op1 = find_objective(small_plan, "OP1")
    _refused(lambda: plan_service.save_objective(support, cycle, ObjectiveData(
        level="operational", code="OP9", title="x", parent_id=op1.id)), "parent must be a strategic")
    _refused(lambda: plan_service.save_objective(support, cycle, ObjectiveData(
        level="operational", code="OP1", title="x", parent_id=strategic.id)), "already has code OP1")
    _refused(lambda: plan_service.save_objective(support, cycle, ObjectiveData(
        level="strategic", code="OS9", title="x", mission_code="11")), "three digits")
    _refused(lambda: plan_service.delete_objective(support, strategic), "below it first")


def test_only_editors_edit(small_plan):
    objective = find_objective(small_plan, "OP1")
    for email in (MANAGER, SG, OIV, BOARD, EMPLOYEE):
        with pytest.raises(Forbidden):
            plan_service.save_indicator(user_by_email(email), objective, indicator_data("OP1.7"))
    plan_service.save_indicator(user_by_email(ADMIN), objective,
                                indicator_data("OP1.7", weight=Decimal(0)))


def test_approval_needs_the_board_a_deliberation_and_weights_adding_up(small_plan, support):
    cycle = small_plan.cycle
    deliberation = Deliberation("5", date(2023, 1, 25))
    with pytest.raises(Forbidden):
        approve_plan(support, cycle, deliberation)
    board = user_by_email(BOARD)
    _refused(lambda: approve_plan(board, cycle, Deliberation("", None)),
             "needs a number and a date")
    op1 = find_objective(small_plan, "OP1")
    plan_service.save_indicator(support, op1, indicator_data("OP1.3", weight=Decimal(10)))
    db.session.commit()
    _refused(lambda: approve_plan(board, cycle, deliberation),
             "Indicators of OP1: the weights add up to 110, not 100.")
    plan_service.delete_indicator(support, find_indicator(small_plan, "OP1.3"))
    revision = approve_plan(board, cycle, deliberation)
    db.session.commit()
    assert small_plan.status == "approved" and revision.label == "Rev. 0"
    assert revision.snapshot["indicators"]["OP1.1"]["target"] == "90"
    _refused(lambda: approve_plan(board, cycle, deliberation), "already been approved")


def test_frozen_plan_refuses_every_edit(small_plan, support):
    approve(small_plan.cycle)
    op1 = find_objective(small_plan, "OP1")
    ind = find_indicator(small_plan, "OP1.1")
    frozen = "approved and frozen"
    _refused(lambda: plan_service.save_indicator(support, op1, indicator_data("OP1.1"), ind), frozen)
    _refused(lambda: plan_service.delete_indicator(support, ind), frozen)
    _refused(lambda: plan_service.save_objective(support, small_plan.cycle, ObjectiveData(
        level="operational", code="OP5", title="new")), frozen)
    _refused(lambda: plan_service.delete_objective(support, op1), frozen)
    assert db.session.get(Indicator, ind.id).target == Decimal(90)


def test_revision_needs_positive_oiv_opinion_and_records_the_changes(small_plan, support):
    cycle = small_plan.cycle
    approve(cycle)
    board, oiv = user_by_email(BOARD), user_by_email(OIV)
    deliberation = Deliberation("77", date(2023, 9, 28))
    _refused(lambda: create_revision(support, cycle, " "), "why")
    revision = create_revision(support, cycle, "Targets no longer realistic")
    db.session.commit()
    assert revision.label == "Rev. 1" and small_plan.status == "revising"
    _refused(lambda: approve_revision(board, cycle, deliberation),
             "needs the OIV's opinion", "changes nothing")
    ind = find_indicator(small_plan, "OP1.1")
    data = indicator_data("OP1.1", target=Decimal(85))
    plan_service.save_indicator(support, ind.objective, data, ind)
    record_oiv_opinion(oiv, cycle, OivOpinion("OIV 3/2023", date(2023, 9, 20), False))
    db.session.commit()
    _refused(lambda: approve_revision(board, cycle, deliberation), "opinion is negative")
    with pytest.raises(Forbidden):
        record_oiv_opinion(support, cycle, OivOpinion("x", date.today(), True))
    record_oiv_opinion(oiv, cycle, OivOpinion("OIV 4/2023", date(2023, 9, 22), True))
    approved = approve_revision(board, cycle, deliberation)
    db.session.commit()
    assert small_plan.status == "approved"
    assert approved.changes == [{"kind": "indicator", "code": "OP1.1", "action": "changed",
                                 "field": "target", "old": "90", "new": "85"}]
    assert approved.deliberation_number == "77" and approved.oiv_opinion_reference == "OIV 4/2023"
    changes = revision_diff(small_plan, 0, 1)
    assert [(c.code, c.field, c.old, c.new) for c in changes] == [("OP1.1", "target", "90", "85")]
    assert revision_diff(small_plan, 1, None) == []
    _refused(lambda: revision_diff(small_plan, 0, 7), "Unknown revision")


def test_revision_diff_sees_added_and_removed_items(small_plan, support):
    cycle = small_plan.cycle
    approve(cycle)
    create_revision(support, cycle, "New indicator")
    op2 = find_objective(small_plan, "OP2")
    plan_service.delete_indicator(support, find_indicator(small_plan, "OP2.1"))
    plan_service.save_indicator(support, op2, indicator_data("OP2.2", weight=Decimal(100)))
    changes = pending_changes(small_plan)
    assert {(c.code, c.action) for c in changes} == {("OP2.1", "removed"), ("OP2.2", "added")}


def test_values_are_recorded_on_the_adopted_plan_only(small_plan, support):
    ind = find_indicator(small_plan, "OP1.1")
    _refused(lambda: record_actual(support, ind, Decimal(80)), "not approved yet")
    approve(small_plan.cycle)
    _refused(lambda: record_actual(support, ind, date(2023, 3, 1)), "actual must be a number")
    _refused(lambda: record_monitoring(support, ind, Decimal(50), at_risk=True),
             "say why")
    record_monitoring(support, ind, Decimal(50), Decimal(88), True, "late start")
    record_actual(support, ind, Decimal(85))
    db.session.commit()
    assert (ind.monitoring_value, ind.monitoring_forecast, ind.actual) == (50, 88, 85)
    _refused(lambda: neutralise(support, ind, ""), "needs a written reason")
    neutralise(support, ind, "Data source discontinued")
    db.session.commit()
    assert ind.neutralised and ind.actual is None
    _refused(lambda: record_actual(support, ind, Decimal(1)), "is neutralised")
    reinstate(support, ind)
    assert not ind.neutralised and ind.neutralised_reason is None


def test_managers_record_values_of_their_own_area_only(small_plan):
    approve(small_plan.cycle)
    own, other = find_indicator(small_plan, "OP1.1"), find_indicator(small_plan, "OP2.1")
    record_actual(user_by_email(MANAGER), own, Decimal(91))
    record_actual(user_by_email(OTHER_MANAGER), other, date(2023, 11, 2))
    for email, indicator in ((MANAGER, other), (OTHER_MANAGER, own), (EMPLOYEE, own), (OIV, own)):
        with pytest.raises(Forbidden):
            record_actual(user_by_email(email), indicator, Decimal(1))
    db.session.commit()
    actions = db.session.execute(
        select(AuditEvent.action).where(AuditEvent.action == "plan.indicator.actual")).scalars()
    assert len(list(actions)) == 2


def test_deleting_an_operational_objective_unlinks_individual_objectives(small_plan, support):
    from app.services.plan import individual

    person = user_by_email(EMPLOYEE)
    op2 = find_objective(small_plan, "OP2")
    individual.set_individual_objectives(support, small_plan.cycle, person, [
        individual.IndividualObjectiveData("Own", Decimal(100), objective_id=op2.id)])
    plan_service.delete_indicator(support, op2.indicators[0])
    plan_service.delete_objective(support, op2)
    db.session.commit()
    db.session.expire_all()
    assert individual.objectives_of(small_plan.cycle, person)[0].objective_id is None
    assert db.session.get(Objective, op2.id) is None
