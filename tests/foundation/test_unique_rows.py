"""A person's objective sheet or evaluation, asked for while building a task's form and
again while storing its answers, is read once per transaction; a row created, deleted or
changed by someone else meanwhile is never answered from memory."""
from app.extensions import db
from app.models.evaluation import ObjectiveSheet
from app.services.evaluation.operations import evaluation_of, sheet_of
from tests.helpers import MANAGER, OTHER_MANAGER, QueryCounter, user_by_email


def _cycle(demo):
    from app.demo import plan as demo_plan

    cycle = demo_plan.load(demo)
    db.session.commit()
    return cycle


def _sheet(cycle, person, status="assigned") -> ObjectiveSheet:
    sheet = ObjectiveSheet(cycle_id=cycle.id, user_id=person.id, status=status)
    db.session.add(sheet)
    db.session.flush()
    return sheet


def test_the_second_ask_in_a_transaction_costs_no_statement(demo):
    cycle, person = _cycle(demo), user_by_email(MANAGER)
    sheet = _sheet(cycle, person)
    db.session.commit()
    with QueryCounter() as first:
        assert sheet_of(cycle, person) is sheet
    with QueryCounter() as second:
        assert sheet_of(cycle, person) is sheet
    assert first.count >= 1 and second.count == 0


def test_a_row_created_after_a_none_answer_is_found(demo):
    cycle, person = _cycle(demo), user_by_email(MANAGER)
    assert sheet_of(cycle, person) is None
    assert evaluation_of(cycle, person) is None
    sheet = _sheet(cycle, person)
    assert sheet_of(cycle, person) is sheet


def test_a_deleted_row_is_not_answered_from_memory(demo):
    cycle, person = _cycle(demo), user_by_email(MANAGER)
    sheet = _sheet(cycle, person)
    assert sheet_of(cycle, person) is sheet
    db.session.delete(sheet)
    assert sheet_of(cycle, person) is None
    replacement = _sheet(cycle, person, status="acknowledged")
    assert sheet_of(cycle, person) is replacement


def test_a_row_whose_key_changed_is_read_again(demo):
    cycle, person, other = _cycle(demo), user_by_email(MANAGER), user_by_email(OTHER_MANAGER)
    sheet = _sheet(cycle, person)
    assert sheet_of(cycle, person) is sheet
    sheet.user_id = other.id
    db.session.flush()
    assert sheet_of(cycle, person) is None
    assert sheet_of(cycle, other) is sheet


def test_the_next_transaction_reads_again(demo):
    """What another request committed in between is seen: the memory lasts one
    transaction, committed or rolled back."""
    cycle, person = _cycle(demo), user_by_email(MANAGER)
    sheet = _sheet(cycle, person)
    db.session.commit()
    for end in (db.session.commit, db.session.rollback):
        assert sheet_of(cycle, person) is sheet
        end()
        with QueryCounter() as counter:
            assert sheet_of(cycle, person) is sheet
        assert counter.count >= 1


def _objectives(cycle, person, *weights):
    from decimal import Decimal

    from app.services.plan.individual import IndividualObjectiveData, replace_objectives

    return replace_objectives(person, cycle, person, [
        IndividualObjectiveData(title=f"Obiettivo {n}", weight=Decimal(w))
        for n, w in enumerate(weights, start=1)])


def test_a_person_s_objectives_are_read_once_per_transaction_in_order(demo):
    from app.services.plan.individual import objectives_of

    cycle, person = _cycle(demo), user_by_email(MANAGER)
    saved = _objectives(cycle, person, 60, 40)
    db.session.commit()
    with QueryCounter() as first:
        rows = objectives_of(cycle, person)
    with QueryCounter() as second:
        assert objectives_of(cycle, person) == rows
    assert [r.id for r in rows] == [r.id for r in saved] and [r.position for r in rows] == [1, 2]
    assert first.count >= 1 and second.count == 0
    db.session.commit()
    with QueryCounter() as next_transaction:
        objectives_of(cycle, person)
    assert next_transaction.count >= 1


def test_objectives_replaced_added_or_changed_in_the_transaction_are_read_again(demo):
    from app.models.plan import IndividualObjective
    from app.services.plan.individual import objectives_of

    cycle, person = _cycle(demo), user_by_email(MANAGER)
    _objectives(cycle, person, 100)
    assert [r.weight for r in objectives_of(cycle, person)] == [100]
    replaced = _objectives(cycle, person, 30, 70)
    assert objectives_of(cycle, person) == replaced
    extra = IndividualObjective(cycle_id=cycle.id, user_id=person.id, position=3, title="Terzo",
                                weight=1, assigned_by_id=person.id)
    db.session.add(extra)  # pending, not flushed
    assert objectives_of(cycle, person)[-1] is extra
    extra.position = 0  # changed, not flushed
    assert objectives_of(cycle, person)[0] is extra
    db.session.delete(extra)
    assert objectives_of(cycle, person) == replaced


def test_the_units_a_person_heads_are_read_once_until_a_unit_changes(demo):
    """headed_units is asked for by a page's lists, its pool and its navigation: one
    statement per transaction, read again once a unit changes (flushed or not) and in the
    next transaction; what a caller does to its answer never reaches the next one."""
    from sqlalchemy import select

    from app.models.org import OrgUnit
    from app.services.org.permissions import headed_units

    manager, other = user_by_email(MANAGER), user_by_email(OTHER_MANAGER)
    db.session.commit()
    assert manager.id and other.id  # loaded again after the commit, outside the counts
    with QueryCounter() as first:
        headed = headed_units(manager)
    with QueryCounter() as second:
        assert headed_units(manager) == headed
    assert headed and first.count == 1 and second.count == 0
    headed.clear()
    assert headed_units(manager)
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.head_id == other.id)).first()
    unit.head_id = manager.id  # not flushed yet
    assert unit.id in headed_units(manager)
    db.session.rollback()
    unit_id, _ = unit.id, manager.id
    with QueryCounter() as after:
        assert unit_id not in headed_units(manager)
    assert after.count == 1
