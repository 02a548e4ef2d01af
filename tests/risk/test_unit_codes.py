"""Above unit_search.UNIT_LIST_LIMIT units, the risk and transparency forms name a unit by
its code instead of listing every unit: a mapped process's unit (required), a measure's
owner unit, an obligation's preparing and publishing units; an unknown code is refused
and nothing is saved (the RPCT of the demo reads English)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo import risk as demo_risk
from app.extensions import db
from app.models.org import OrgUnit
from app.models.risk import MappedProcess, RiskArea
from app.models.risk_register import RiskMeasure
from app.models.transparency import Obligation
from app.services.org import unit_search
from tests.cycle.helpers import sign_in
from tests.helpers import SG, csrf_token

UNKNOWN = "No unit has this code."


@pytest.fixture
def draft(demo_plan, monkeypatch):
    year = demo_risk.prepare(demo_plan)
    db.session.commit()
    monkeypatch.setattr(unit_search, "UNIT_LIST_LIMIT", 2)
    return year


def _unit(code: str) -> OrgUnit:
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def test_a_mapped_process_names_its_unit_by_code(client, draft):
    sign_in(client, SG)
    page = client.get("/rischi/map").get_data(as_text=True)
    assert 'name="unit_code"' in page and 'name="unit_id"' not in page
    area = db.session.execute(select(RiskArea)).scalars().first()
    data = {"csrf_token": csrf_token(client, "/rischi/map"), "code": "PX-1",
            "name": "Processo di prova", "area_id": area.id, "phases": ""}
    for code, message in (("Z9", UNKNOWN), ("", "Enter the unit&#39;s code.")):
        refused = client.post("/rischi/map", data={**data, "unit_code": code})
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert db.session.execute(select(MappedProcess).where(MappedProcess.code == "PX-1")
                              ).scalar_one_or_none() is None
    assert client.post("/rischi/map", data={**data, "unit_code": "a2.1"}).status_code == 302
    saved = db.session.execute(select(MappedProcess).where(MappedProcess.code == "PX-1")
                               ).scalar_one()
    assert saved.unit_id == _unit("A2.1").id


def test_a_measure_names_its_owner_unit_by_code(client, draft):
    measure = db.session.execute(select(RiskMeasure).where(
        RiskMeasure.year_id == draft.id)).scalars().first()
    sign_in(client, SG)
    path = f"/rischi/2022/measures/{measure.id}"
    page = client.get(path).get_data(as_text=True)
    shown = measure.owner_unit.code if measure.owner_unit else ""
    assert f'name="owner_unit_code" type="text" value="{shown}"' in page
    data = {"csrf_token": csrf_token(client, path), "code": measure.code, "name": measure.name,
            "kind": measure.kind, "description": measure.description or "",
            "indicator": measure.indicator or "", "target": measure.target or "",
            "objective_id": "None", "periodicity": "yearly",
            "item_ids": [i.id for i in measure.items]}
    before = measure.owner_unit_id
    refused = client.post(path, data={**data, "owner_unit_code": "Z9"})
    assert refused.status_code == 422 and UNKNOWN in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RiskMeasure, measure.id).owner_unit_id == before
    assert client.post(path, data={**data, "owner_unit_code": "A1.3"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(RiskMeasure, measure.id).owner_unit_id == _unit("A1.3").id
    assert client.post(path, data={**data, "owner_unit_code": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(RiskMeasure, measure.id).owner_unit_id is None


def test_an_obligation_names_its_units_by_code(client, draft):
    sign_in(client, SG)
    page = client.get("/rischi/transparency").get_data(as_text=True)
    assert 'name="preparer_unit_code"' in page and 'name="publisher_unit_code"' in page
    data = {"csrf_token": csrf_token(client, "/rischi/transparency"), "code": "OBX",
            "section": "Sezione", "title": "Obbligo di prova", "legal_reference": "",
            "frequency": "yearly"}
    refused = client.post("/rischi/transparency",
                          data={**data, "preparer_unit_code": "A1", "publisher_unit_code": "Z9"})
    assert UNKNOWN in refused.get_data(as_text=True)
    assert db.session.execute(select(Obligation).where(Obligation.code == "OBX")
                              ).scalar_one_or_none() is None
    saved = client.post("/rischi/transparency",
                        data={**data, "preparer_unit_code": "A1", "publisher_unit_code": ""})
    assert saved.status_code == 302
    obligation = db.session.execute(select(Obligation).where(Obligation.code == "OBX")
                                    ).scalar_one()
    assert (obligation.preparer_unit_id, obligation.publisher_unit_id) == (_unit("A1").id, None)
