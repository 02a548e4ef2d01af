"""One person's evaluator is read without reading the whole organisation, and is the
same as the whole organisation's snapshot gives, overrides (standing and per cycle) and
inactive people included."""
from sqlalchemy import select

from app.extensions import db
from app.models.org import User
from app.services.org.operations import OrgSnapshot, evaluator_of, set_evaluator, superior_of
from tests.helpers import MANAGER, OTHER_MANAGER, SUPPORT, QueryCounter, add_people, user_by_email


def _everyone() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.id)))


def _with_an_override_and_one_who_left() -> list[User]:
    """Everyone, after one person is given the manager as evaluator and another leaves."""
    people = _everyone()
    set_evaluator(user_by_email(SUPPORT), people[5], user_by_email(MANAGER), reason="delega")
    people[7].active = False
    db.session.flush()
    return people


def test_the_person_by_person_snapshot_agrees_with_the_whole_one(demo):
    people = _with_an_override_and_one_who_left()
    whole, around = OrgSnapshot.load(None), OrgSnapshot.around(None)
    for person in people:
        assert around.evaluator(person.id) == whole.evaluator(person.id), person.email
        assert around.find_cycle(person.id) == whole.find_cycle(person.id)


def test_people_told_together_get_the_whole_snapshots_evaluators_in_one_read_each(demo):
    """A job's chunk tells the snapshot its people at once (OrgSnapshot.know): their
    overrides and the units above all of theirs come in one read each, and every
    evaluator is the whole organisation's, an override and someone who left included."""
    people = _with_an_override_and_one_who_left()
    whole, around = OrgSnapshot.load(None), OrgSnapshot.around(None)
    units = {person.id: person.unit_id for person in people if person.active}
    with QueryCounter() as told:
        around.know(units)
    assert told.count == 2  # the overrides; the units above theirs
    with QueryCounter() as asked:
        evaluators = {person.id: around.evaluator(person.id) for person in people}
    assert asked.count == 2  # the one who left: their unit, their overrides
    assert evaluators == {person.id: whole.evaluator(person.id) for person in people}


def test_a_cycle_override_wins_in_both(demo):
    from app.demo import plan as demo_plan

    cycle = demo_plan.load(demo)
    actor, person = user_by_email(SUPPORT), _everyone()[9]
    set_evaluator(actor, person, user_by_email(MANAGER), reason="delega")
    set_evaluator(actor, person, user_by_email(OTHER_MANAGER), cycle_id=cycle.id, reason="per il ciclo")
    db.session.flush()
    assert evaluator_of(person, cycle.id) == OrgSnapshot.load(cycle.id).evaluator(person.id)
    assert evaluator_of(person, cycle.id).user_id == user_by_email(OTHER_MANAGER).id
    assert evaluator_of(person).user_id == user_by_email(MANAGER).id


def test_one_persons_evaluator_costs_the_same_at_any_size(demo):
    person = user_by_email(MANAGER)
    with QueryCounter() as small:
        evaluator_of(person), superior_of(person)
    add_people("A1.1", 300)
    db.session.expire_all()
    person = user_by_email(MANAGER)
    with QueryCounter() as large:
        evaluator_of(person), superior_of(person)
    assert large.count == small.count <= 12


def test_one_persons_evaluator_reads_only_the_units_above_them(demo):
    """The unit tree is read from the person's unit upwards: two hundred more units
    elsewhere change neither what is read nor how many statements it takes."""
    from sqlalchemy import insert

    from app.models.org import OrgUnit

    person = user_by_email(MANAGER)
    person_id = person.id
    with QueryCounter() as small:
        snap = OrgSnapshot.around(None)
        before = snap.evaluator(person_id)
    chain, unit = set(), person.unit
    while unit is not None:
        chain.add(unit.id)
        unit = unit.parent
    assert set(snap.unit_parent) == chain
    top = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first()
    db.session.execute(insert(OrgUnit), [
        {"administration_id": top.administration_id, "parent_id": top.id,
         "code": f"X{n}", "name": f"Settore {n}", "kind": "sector"} for n in range(200)])
    db.session.commit()
    with QueryCounter() as large:
        snap = OrgSnapshot.around(None)
        assert snap.evaluator(person_id) == before
    assert set(snap.unit_parent) == chain
    assert large.count == small.count


def test_loops_found_with_the_people_known_free_of_them_are_the_loops_found_without():
    """Unit 1 headed by 1 above unit 2 headed by 2; 3, 4, 5 in unit 2; 4 and 5 evaluate
    each other, 6 is evaluated by 4 and 7 by 3."""
    snap = OrgSnapshot(unit_parent={1: None, 2: 1}, unit_head={1: 1, 2: 2},
                       user_unit={1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2},
                       overrides={4: 5, 5: 4, 6: 4, 7: 3})
    free: set[int] = set()
    for person in (7, 3, 1, 2, 6, 4, 5):
        assert snap.find_cycle(person, free) == snap.find_cycle(person), person
    assert free == {1, 2, 3, 7}
    assert snap.find_cycle(6, free) == [4, 5, 4]


def _line_step_by_step(lane_id: int, subject_id: int) -> set[int]:
    """The subject's line of superiors from the lane's person up, on the whole snapshot."""
    from app.models.org import Role, UserRole

    whole, line, current = OrgSnapshot.load(None), {lane_id}, lane_id
    board = set(db.session.scalars(select(UserRole.user_id).where(UserRole.role == Role.BOARD.value)))
    while True:
        evaluator = whole.evaluator(current)
        if evaluator.board:
            line |= board
            break
        if evaluator.user_id is None or evaluator.user_id in line:
            break
        line.add(evaluator.user_id)
        current = evaluator.user_id
    return line - {subject_id}


def _evaluating_task(lane: User, subject: User):
    from app.models.engine import HumanTask
    from app.models.org import Role

    return HumanTask(role=Role.EVALUATOR.value, subject_id=subject.id,
                     lane_assignee_id=lane.id, cycle_id=None)


def test_the_line_of_superiors_costs_the_same_statements_at_any_depth(demo):
    """A rating task's line (who may hold it: app.services.tasks.subjects.evaluators) is
    read in the same statements from a sector's head, three steps below the Board, as
    from an area's head, two below: the heads above are read together, not one by one."""
    from app.services.tasks.subjects import evaluators
    from tests.helpers import EMPLOYEE_A1, SUPERVISOR_A1

    employee, supervisor, manager = (user_by_email(e) for e in (EMPLOYEE_A1, SUPERVISOR_A1, MANAGER))
    counts = {}
    for lane, subject in ((supervisor, employee), (manager, supervisor)):
        task = _evaluating_task(lane, subject)
        with QueryCounter() as counter:
            line = evaluators(task)
        counts[lane.email] = counter.count
        assert line == _line_step_by_step(lane.id, subject.id), lane.email
    assert manager.id in _line_step_by_step(supervisor.id, employee.id)
    assert counts[supervisor.email] == counts[manager.email] <= 7, counts


def test_the_line_of_superiors_follows_an_override_off_the_unit_tree(demo):
    from app.services.tasks.subjects import evaluators
    from tests.helpers import EMPLOYEE_A1, SUPERVISOR_A1

    employee, supervisor = user_by_email(EMPLOYEE_A1), user_by_email(SUPERVISOR_A1)
    other = user_by_email(OTHER_MANAGER)
    set_evaluator(user_by_email(SUPPORT), supervisor, other, reason="delega")
    db.session.flush()
    line = evaluators(_evaluating_task(supervisor, employee))
    assert line == _line_step_by_step(supervisor.id, employee.id)
    assert other.id in line and user_by_email(MANAGER).id not in line


def test_a_units_path_read_at_once_is_the_one_drawn_level_by_level(demo):
    """The task page draws its unit's path with one statement (units.path_of): the same
    names from the top as OrgUnit.path, for every unit of the organisation."""
    from app.models.org import OrgUnit
    from app.services.org.units import path_of

    units = list(db.session.scalars(select(OrgUnit)))
    assert any(unit.parent is not None and unit.parent.parent is not None for unit in units)
    for unit in units:
        with QueryCounter() as counter:
            path = path_of(unit.id)
        assert path == unit.path and counter.count == 1, unit.code
    assert path_of(None) is None
