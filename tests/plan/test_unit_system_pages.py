"""The pages of unit-bound evaluation systems over HTTP: the support unit and
administrators add, change and remove them; managers and employees get 403; the plan
page says which system scored which part."""
import json
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.plan import Indicator, UnitEvaluationSystem
from tests.helpers import ADMIN, EMPLOYEE_A1, MANAGER, SUPPORT
from tests.plan import two_sites
from tests.plan.helpers import post_form


@pytest.fixture
def sites(cycle, support):
    two_sites.import_two_sites(support, cycle)
    bound = two_sites.bind_two_sites(support, cycle)
    db.session.commit()
    return bound


def _bindings():
    db.session.expire_all()
    return db.session.execute(select(UnitEvaluationSystem)).scalars().all()


@pytest.mark.parametrize("email", [SUPPORT, ADMIN])
def test_support_and_admin_add_a_unit_system_from_a_preset(browse, cycle, email):
    client = browse(email)
    page = client.get("/plan/2023/system")
    assert page.status_code == 200 and "Give the unit its own system" in page.text
    unit = two_sites.units()["A3"]
    response = post_form(client, "/plan/2023/system/units",
                         {"unit_id": unit.id, "start": "alessandria-asti-2020", "name": ""},
                         "/plan/2023/system")
    assert response.status_code == 302
    [binding] = _bindings()
    assert (binding.org_unit_id, binding.name) == (unit.id, "Alessandria-Asti 2020")
    listed = client.get("/plan/2023/system").text
    assert 'data-unit="A3"' in listed


@pytest.mark.parametrize("email", [MANAGER, EMPLOYEE_A1])
def test_managers_and_employees_may_not_touch_unit_systems(browse, sites, email):
    client = browse(email)
    asti = sites[0]
    assert client.get(f"/plan/2023/system/units/{asti.id}").status_code == 403
    unit = two_sites.units()["A3"]
    assert post_form(client, "/plan/2023/system/units",
                     {"unit_id": unit.id, "start": "default"}).status_code == 403
    assert post_form(client, f"/plan/2023/system/units/{asti.id}/remove", {}).status_code == 403
    assert len(_bindings()) == 2
    assert "Give the unit its own system" not in client.get("/plan/2023/system").text


def test_an_edit_that_cannot_score_the_part_is_refused_listing_the_indicators(browse, sites):
    client = browse(SUPPORT)
    asti = sites[0]
    data = dict(asti.data, default_method="boolean")
    response = post_form(client, f"/plan/2023/system/units/{asti.id}",
                         {"name": asti.name, "json": json.dumps(data)},
                         f"/plan/2023/system/units/{asti.id}")
    assert response.status_code == 422 and "KAT1" in response.text
    renamed = post_form(client, f"/plan/2023/system/units/{asti.id}",
                        {"name": "Sede di Asti", "json": json.dumps(asti.data)},
                        f"/plan/2023/system/units/{asti.id}")
    assert renamed.status_code == 302
    assert {b.name for b in _bindings()} == {"Sede di Asti",
                                             "Alessandria-Asti 2020 · sede di Alessandria"}


def test_binding_a_unit_twice_over_http_says_so(browse, sites):
    client = browse(SUPPORT)
    unit = two_sites.units()["A1"]
    response = post_form(client, "/plan/2023/system/units",
                         {"unit_id": unit.id, "start": "default"}, "/plan/2023/system",
                         follow_redirects=True)
    assert "already has its own evaluation system" in response.text and len(_bindings()) == 2


def test_the_plan_page_lists_each_part_with_its_system(browse, sites):
    page = browse(SUPPORT).get("/plan/2023").text
    assert 'data-testid="parts"' in page
    assert "sede di Asti" in page and "76,00%" in page and "sede di Alessandria" in page
    assert "88,00%" in page


def test_the_indicator_editor_makes_the_operational_mean_a_kpi(browse, sites):
    client = browse(SUPPORT)
    mean = db.session.execute(select(Indicator).where(Indicator.code == "KAL2")).scalar_one()
    page = client.get(f"/plan/2023/indicators/{mean.id}/edit").text
    assert re.search(r'<option selected value="operational_mean">', page)
    form = {"code": "KAL2", "name": "Media", "type": "other", "unit": "percent",
            "direction": ">=", "target": "85%", "threshold": "0", "weight": "60", "method": "",
            "source": "operational_mean"}
    response = post_form(client, f"/plan/2023/indicators/{mean.id}/edit", form)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Indicator, mean.id)
    assert saved.computed and saved.target == 85
    entered = post_form(client, f"/plan/2023/indicators/{mean.id}/edit",
                        {**form, "source": ""})
    assert entered.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Indicator, mean.id).computed


def test_above_the_limit_the_unit_of_a_new_system_is_named_by_code(browse, cycle,
                                                                   monkeypatch):
    from app.services.org import unit_search

    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 2)
    client = browse(SUPPORT)
    page = client.get("/plan/2023/system").text
    assert 'name="unit_code"' in page and 'name="unit_id"' not in page
    refused = post_form(client, "/plan/2023/system/units",
                        {"unit_code": "Z9", "start": "default", "name": ""},
                        "/plan/2023/system", follow_redirects=True)
    assert "No unit has this code." in refused.text and _bindings() == []
    saved = post_form(client, "/plan/2023/system/units",
                      {"unit_code": "a3", "start": "alessandria-asti-2020", "name": ""},
                      "/plan/2023/system")
    assert saved.status_code == 302
    [binding] = _bindings()
    assert binding.org_unit_id == two_sites.units()["A3"].id
