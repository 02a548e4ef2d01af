"""The evaluators page and the unit page at scale: the evaluation chain one page at a
time with a search, its queries independent of the number of people, and a person (the
evaluated, the evaluator, a unit's head) named by e-mail instead of chosen from a list of
everyone; an unknown e-mail is refused and nothing is saved."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.org import EvaluatorLink, OrgUnit, User
from tests.helpers import (
    EMPLOYEE_A1,
    MANAGER,
    SUPPORT,
    QueryCounter,
    add_people,
    csrf_token,
    user_by_email,
)


def _rows(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-user="(\d+)"', html)]


def _chain_by_name() -> list[int]:
    return list(db.session.execute(
        select(User.id).where(User.active, User.unit_id.is_not(None))
        .order_by(User.last_name, User.first_name, User.id)).scalars())


def test_the_evaluation_chain_is_listed_one_page_at_a_time_and_searched(
        client, demo, signed_in):
    added = add_people("A1.1", 60)
    everyone = _chain_by_name()
    signed_in(SUPPORT)
    first = client.get("/admin/evaluators").get_data(as_text=True)
    assert _rows(first) == everyone[:50]
    assert "<option" not in first.split('role="search"')[0]  # nobody listed in the form
    second = client.get("/admin/evaluators?page=2").get_data(as_text=True)
    assert _rows(second) == everyone[50:100]
    found = client.get("/admin/evaluators?q=PERSONA&per_page=200").get_data(as_text=True)
    assert sorted(_rows(found)) == sorted(added)
    supervisor = user_by_email(EMPLOYEE_A1).unit.head
    assert f"<td>{supervisor.full_name}</td>" in found  # each row with its evaluator


def test_the_evaluation_chain_queries_do_not_grow_with_the_people(client, demo, signed_in):
    signed_in(SUPPORT)
    client.get("/admin/evaluators")
    add_people("A1.1", 60)
    with QueryCounter() as few:
        client.get("/admin/evaluators?page=2")
    add_people("A1.1", 150, start=60)
    with QueryCounter() as many:
        client.get("/admin/evaluators?page=2")
    assert many.count == few.count


def _post_evaluator(client, **data):
    token = csrf_token(client, "/admin/evaluators")
    return client.post("/admin/evaluators", data={"csrf_token": token, **data})


def _override(evaluatee_id: int) -> int | None:
    return db.session.execute(select(EvaluatorLink.evaluator_id).where(
        EvaluatorLink.evaluatee_id == evaluatee_id)).scalar_one_or_none()


def test_an_evaluator_is_set_by_e_mail_and_an_unknown_e_mail_saves_nothing(
        client, demo, signed_in):
    employee, manager = user_by_email(EMPLOYEE_A1), user_by_email(MANAGER)
    signed_in(SUPPORT)
    person_link = client.get(f"/admin/evaluators?person={employee.id}").get_data(as_text=True)
    assert f'value="{employee.email}"' in person_link  # a row's link fills in the person
    refused = _post_evaluator(client, evaluatee_email=employee.email,
                              evaluator_email="nobody@nowhere.example", reason="prova")
    assert refused.status_code == 200
    assert "Nessuna persona attiva ha questo indirizzo e-mail." in refused.get_data(as_text=True)
    assert _override(employee.id) is None
    saved = _post_evaluator(client, evaluatee_email=employee.email.upper(),
                            evaluator_email=manager.email, reason="delega")
    assert saved.status_code == 302
    assert _override(employee.id) == manager.id


def test_a_unit_head_is_set_by_e_mail_and_an_unknown_e_mail_saves_nothing(
        client, demo, signed_in):
    unit = user_by_email(EMPLOYEE_A1).unit
    employee = user_by_email(EMPLOYEE_A1)
    signed_in(SUPPORT)
    page = client.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert f'value="{unit.head.email}"' in page and "<option" in page  # units, not people
    data = {"csrf_token": csrf_token(client, f"/admin/units/{unit.id}"), "code": unit.code, "name": unit.name,
            "kind": unit.kind, "parent_id": unit.parent_id}
    refused = client.post(f"/admin/units/{unit.id}",
                          data={**data, "head_email": "nobody@nowhere.example"})
    assert "Nessuna persona attiva ha questo indirizzo e-mail." in refused.get_data(as_text=True)
    previous = unit.head_id
    db.session.expire_all()
    assert db.session.get(OrgUnit, unit.id).head_id == previous
    saved = client.post(f"/admin/units/{unit.id}", data={**data, "head_email": employee.email})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(OrgUnit, unit.id).head_id == employee.id


def test_above_the_limit_a_unit_is_named_by_its_code(client, demo, signed_in, monkeypatch):
    """A user's unit and a unit's parent: their codes instead of a list of every unit;
    an unknown code is refused and nothing is saved."""
    from app.services.org import unit_search

    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 3)
    employee = user_by_email(EMPLOYEE_A1)
    a12 = db.session.execute(select(OrgUnit).where(OrgUnit.code == "A1.2")).scalar_one()
    signed_in(SUPPORT)
    page = client.get(f"/admin/users/{employee.id}").get_data(as_text=True)
    assert "<option" not in page.split('name="unit_code"')[0].split("<form")[1]
    assert f'name="unit_code" type="text" value="{employee.unit.code}"' in page
    data = {"csrf_token": csrf_token(client, f"/admin/users/{employee.id}"),
            "email": employee.email, "first_name": employee.first_name,
            "last_name": employee.last_name, "category": employee.category,
            "part_time_percent": "100", "active": "y"}
    before = employee.unit_id
    refused = client.post(f"/admin/users/{employee.id}", data={**data, "unit_code": "Z9.9"})
    assert "Nessuna unità ha questo codice." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, employee.id).unit_id == before
    saved = client.post(f"/admin/users/{employee.id}", data={**data, "unit_code": " a1.2 "})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, employee.id).unit_id == a12.id

    unit = db.session.get(OrgUnit, a12.id)
    page = client.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert f'name="parent_code" type="text" value="{unit.parent.code}"' in page
    data = {"csrf_token": csrf_token(client, f"/admin/units/{unit.id}"), "code": unit.code,
            "name": unit.name, "kind": unit.kind, "head_email": ""}
    refused = client.post(f"/admin/units/{unit.id}", data={**data, "parent_code": "nessuna"})
    assert "Nessuna unità ha questo codice." in refused.get_data(as_text=True)
    itself = client.post(f"/admin/units/{unit.id}", data={**data, "parent_code": unit.code})
    assert "non può essere collocata sotto sé stessa" in itself.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OrgUnit, unit.id).parent.code == "A1"
    moved = client.post(f"/admin/units/{unit.id}", data={**data, "parent_code": "A2"})
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(OrgUnit, unit.id).parent.code == "A2"
    top = client.post(f"/admin/units/{unit.id}", data={**data, "parent_code": ""})
    assert top.status_code == 302
    db.session.expire_all()
    assert db.session.get(OrgUnit, unit.id).parent_id is None


def test_a_unit_that_is_not_on_the_list_is_refused_with_a_message(client, demo, signed_in):
    employee = user_by_email(EMPLOYEE_A1)
    signed_in(SUPPORT)
    data = {"csrf_token": csrf_token(client, f"/admin/users/{employee.id}"),
            "email": employee.email, "first_name": employee.first_name,
            "last_name": employee.last_name, "category": employee.category,
            "part_time_percent": "100", "active": "y", "unit_id": "999999"}
    before = employee.unit_id
    refused = client.post(f"/admin/users/{employee.id}", data=data).get_data(as_text=True)
    assert 'class="form-select is-invalid"' in refused and "invalid-feedback" in refused
    assert "Non è una opzione valida" in refused
    db.session.expire_all()
    assert db.session.get(User, employee.id).unit_id == before
