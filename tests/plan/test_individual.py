"""Individual objectives: set as a whole by the evaluator (weights adding up to 100),
and imported for everyone, one row per person and objective."""
from decimal import Decimal

import pytest
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.services.plan import individual, individual_import
from app.services.plan.errors import PlanError
from app.services.plan.individual import IndividualObjectiveData as Item
from tests.helpers import (
    BOARD,
    EMPLOYEE_A1,
    MANAGER,
    OTHER_MANAGER,
    SG,
    SUPERVISOR_A1,
    user_by_email,
)
from tests.plan.helpers import find_objective


def test_the_evaluator_sets_objectives_that_add_up_to_100(small_plan):
    cycle, person = small_plan.cycle, user_by_email(EMPLOYEE_A1)
    op1 = find_objective(small_plan, "OP1")
    supervisor = user_by_email(SUPERVISOR_A1)  # heads A1.1: the default evaluator
    rows = individual.set_individual_objectives(supervisor, cycle, person, [
        Item("Pratiche", Decimal("33.34"), actions="Evadere", behaviours="Precisione",
             measures="OP1.1", objective_id=op1.id),
        Item("Formazione", Decimal("33.33")), Item("Sportello", Decimal("33.33"))])
    db.session.commit()
    assert [r.position for r in rows] == [1, 2, 3] and rows[0].objective.code == "OP1"
    with pytest.raises(PlanError, match="add up to 90, not 100"):
        individual.set_individual_objectives(supervisor, cycle, person, [Item("A", Decimal(90))])
    db.session.rollback()
    assert len(individual.objectives_of(cycle, person)) == 3


@pytest.mark.parametrize("items,message", [
    ([], "at least one"),
    ([Item("", Decimal(100))], "title is required"),
    ([Item("A", Decimal(0)), Item("B", Decimal(100))], "above 0"),
    ([Item("A", Decimal(100), objective_id=-5)], "not an operational objective"),
])
def test_bad_sets_are_refused(small_plan, support, items, message):
    with pytest.raises(PlanError, match=message):
        individual.set_individual_objectives(support, small_plan.cycle,
                                             user_by_email(EMPLOYEE_A1), items)


def test_who_may_assign(small_plan):
    cycle = small_plan.cycle
    person, sg = user_by_email(EMPLOYEE_A1), user_by_email(SG)
    assert individual.can_assign(user_by_email(SUPERVISOR_A1), cycle, person)
    assert not individual.can_assign(user_by_email(OTHER_MANAGER), cycle, person)
    assert not individual.can_assign(person, cycle, person)
    assert individual.can_assign(user_by_email(BOARD), cycle, sg)  # the Board evaluates the SG
    assert individual.can_view(user_by_email(MANAGER), cycle, person)  # in the manager's area
    with pytest.raises(Forbidden):
        individual.set_individual_objectives(user_by_email(OTHER_MANAGER), cycle, person,
                                             [Item("A", Decimal(100))])


HEADER = "email;anno;obiettivo;cosa;come;misure;peso;codice_op\n"


def test_import_replaces_the_objectives_of_the_people_in_the_file(small_plan, support):
    content = HEADER + (
        f"{EMPLOYEE_A1};2023;Pratiche;Evadere;Precisione;OP1.1;60;OP1\n"
        f"{EMPLOYEE_A1};2023;Formazione;Corsi;Impegno;Ore;40,00;\n"
        f"{SUPERVISOR_A1};2023;Coordinamento;Guidare;Esempio;OP1;100%;n.d.\n")
    report, people = individual_import.validate_file(support, small_plan.cycle, "obiettivi.csv",
                                                     content.encode())
    assert report.ok, report.errors
    individual_import.apply_people(support, small_plan.cycle, people, 0, len(people))
    db.session.commit()
    assert (report.created, report.updated) == (3, 2)
    rows = individual.objectives_of(small_plan.cycle, user_by_email(EMPLOYEE_A1))
    assert [(r.title, r.weight, r.objective and r.objective.code) for r in rows] == [
        ("Pratiche", Decimal(60), "OP1"), ("Formazione", Decimal(40), None)]


def test_import_with_a_bad_row_is_rejected_whole(small_plan, support):
    content = HEADER + (
        f"{EMPLOYEE_A1};2023;Pratiche;;;;60;OP1\n"
        f"{EMPLOYEE_A1};2023;Formazione;;;;30;\n"
        f"{SUPERVISOR_A1};2023;Coordinamento;;;;100;OS1\n"
        "nobody@cciaa-demo.example;2023;X;;;;100;\n"
        f"{MANAGER};2023;;;;;100;\n")
    report, people = individual_import.validate_file(support, small_plan.cycle, "obiettivi.csv",
                                                     content.encode())
    assert not report.ok and people == []
    rows = {(e.row, e.message) for e in report.errors}
    assert (2, f"{EMPLOYEE_A1}: The weights add up to 90, not 100.") in rows
    assert (4, "No operational objective has code OS1.") in rows
    assert (5, "Nobody has the e-mail nobody@cciaa-demo.example.") in rows
    assert (6, "The title is required.") in rows
    db.session.rollback()
    assert individual.objectives_of(small_plan.cycle, user_by_email(EMPLOYEE_A1)) == []
