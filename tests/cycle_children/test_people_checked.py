"""Each evaluator's mid-year check lists the people the evaluation chain gives them,
found from their part of the unit tree rather than by walking everyone's chain: the same
people as the whole organisation's chain, with overrides, a head who left, a headless
sector and a grown administration, in a number of statements that does not grow with
the people."""
from sqlalchemy import insert, select

from app.demo import plan as demo_plan
from app.demo import population
from app.extensions import db
from app.models.evaluation import ObjectiveSheet
from app.models.org import OrgUnit, User
from app.services.cycle.checks import people_by_checker, people_checked_by
from app.services.org.operations import OrgSnapshot, set_evaluator
from tests.helpers import MANAGER, OTHER_MANAGER, SUPPORT, QueryCounter, add_people, user_by_email


def _with_sheets(cycle) -> None:
    have = set(db.session.scalars(select(ObjectiveSheet.user_id).where(
        ObjectiveSheet.cycle_id == cycle.id)))
    db.session.execute(insert(ObjectiveSheet), [
        {"cycle_id": cycle.id, "user_id": uid, "status": "acknowledged"}
        for uid in db.session.scalars(select(User.id)) if uid not in have])


def _agree(cycle) -> int:
    expected = people_by_checker(cycle)
    for checker in db.session.scalars(select(User).order_by(User.id)):
        found = [p.id for p in people_checked_by(cycle, checker.id)]
        assert sorted(found) == sorted(expected.get(checker.id, [])), checker.email
    return len(expected)


def test_each_checker_finds_the_people_the_whole_chain_gives_them(demo):
    cycle = demo_plan.load(demo)
    population.grow(150, cycle)
    actor = user_by_email(SUPPORT)
    people = list(db.session.scalars(select(User).where(User.email.like("load%")).order_by(User.id)))
    set_evaluator(actor, people[3], user_by_email(MANAGER), reason="delega")
    set_evaluator(actor, people[40], user_by_email(OTHER_MANAGER), cycle_id=cycle.id, reason="per il ciclo")
    sector = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "L2.1")).one()
    db.session.get(User, sector.head_id).active = False  # the head left: the area head checks
    db.session.flush()
    _with_sheets(cycle)
    assert _agree(cycle) > 10


def _unit(demo, code: str, parent: OrgUnit | None, head_id: int | None = None) -> OrgUnit:
    unit = OrgUnit(administration_id=demo.id, code=code, name=code, kind="sector",
                   parent_id=parent.id if parent else None, head_id=head_id)
    db.session.add(unit)
    db.session.flush()
    return unit


def test_the_parts_of_the_tree_a_walk_down_meets_give_the_same_people(demo):
    """A second top unit without a head (its people, and those of its headless units
    below, are the Secretary General's), a headed unit under it, a manager heading a
    unit in someone else's area, and people outside every unit."""
    cycle = demo_plan.load(demo)
    top = _unit(demo, "EXT", None)
    headed = _unit(demo, "EXT.1", top)
    headless = _unit(demo, "EXT.2", top)
    _unit(demo, "EXT.2.1", headless)
    for i, code in enumerate(("EXT", "EXT.1", "EXT.2", "EXT.2.1")):
        add_people(code, 3, start=i * 10)
    headed.head_id = db.session.scalars(select(User.id).where(User.unit_id == headed.id)).first()
    far = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "A3.2")).one()
    far.head_id = user_by_email(MANAGER).id  # heads A1 and a sector of A3
    add_people("A3.2", 2, start=90)
    db.session.execute(insert(User), [{"email": "nessuna.unita@list.example", "first_name": "Senza",
                                       "last_name": "Unità", "category": "C", "active": True}])
    db.session.flush()
    _with_sheets(cycle)
    assert _agree(cycle) > 5


def test_a_sector_heads_check_reads_their_sector_and_the_units_above_only(demo):
    cycle = demo_plan.load(demo)
    sector = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "A1.1")).one()
    snap = OrgSnapshot.below(cycle.id, sector.head_id)
    above = {sector.parent_id, db.session.get(OrgUnit, sector.parent_id).parent_id}
    assert set(snap.unit_parent) == {sector.id} | above
    assert snap.unit_head[sector.id] == sector.head_id


def _counted(cycle, checker) -> tuple[int, int]:
    """(people, statements) of one check, the objects it is given loaded beforehand."""
    db.session.refresh(cycle)
    db.session.refresh(checker)
    with QueryCounter() as counter:
        found = people_checked_by(cycle, checker.id)
    return len(found), counter.count


def test_a_check_reads_the_same_statements_however_many_people(demo):
    cycle = demo_plan.load(demo)
    _with_sheets(cycle)
    manager = user_by_email(MANAGER)
    people, statements = _counted(cycle, manager)
    add_people("A1.2", 300)  # a sector without a head: its staff are the manager's
    _with_sheets(cycle)
    assert _counted(cycle, manager) == (people + 300, statements)
