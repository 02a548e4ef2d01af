"""The risk section's pages: read by the section's roles (403 for anyone else, such as an
employee), changed only by the RPCT; the register's heat map and its order by level; a
risk's level and band from the form; the register's export read back by its import; the
public page names no person."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo import risk as demo_risk
from app.extensions import db
from app.models.org import User
from app.models.risk_register import RiskItem
from app.services.risk import register_io
from tests.cycle.helpers import sign_in
from tests.helpers import EMPLOYEE_A1, MANAGER, OIV, SG, csrf_token

PAGES = ("/rischi/", "/rischi/2022/", "/rischi/2022/measures", "/rischi/2022/checks",
         "/rischi/2022/reports", "/rischi/2022/objectives", "/rischi/2022/settings",
         "/rischi/map", "/rischi/2022/risks/new", "/rischi/2022/measures/new")


@pytest.fixture
def draft(demo_plan):
    year = demo_risk.prepare(demo_plan)
    db.session.commit()
    return year


def test_the_section_reads_for_its_roles_and_refuses_everyone_else(client, draft):
    sign_in(client, EMPLOYEE_A1)
    assert client.get("/rischi/2022/").status_code == 403
    for email in (SG, MANAGER, OIV):
        sign_in(client, email)
        for page in PAGES:
            assert client.get(page).status_code == 200, (email, page)


def test_only_the_rpct_changes_the_register(client, draft):
    item = draft.items[0]
    data = {"code": item.code, "process_id": item.process_id, "phase_id": "None",
            "event": "Nuovo evento", "probability": "5", "impact": "5"}
    sign_in(client, MANAGER)
    data["csrf_token"] = csrf_token(client, f"/rischi/2022/risks/{item.id}")
    assert client.post(f"/rischi/2022/risks/{item.id}", data=data).status_code == 403
    sign_in(client, SG)
    data["csrf_token"] = csrf_token(client, f"/rischi/2022/risks/{item.id}")
    assert client.post(f"/rischi/2022/risks/{item.id}", data={**data, "probability": "6"}
                       ).status_code == 422
    assert client.post(f"/rischi/2022/risks/{item.id}", data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(RiskItem, item.id)
    assert (saved.event, str(saved.level)) == ("Nuovo evento", "25.00")
    page = client.get(f"/rischi/2022/risks/{item.id}").get_data(as_text=True)
    assert "band high" in page


def test_the_register_reads_by_level_and_counts_the_heat_map(client, draft):
    sign_in(client, SG)
    html = client.get("/rischi/2022/").get_data(as_text=True)
    codes = [i.code for i in sorted(draft.items, key=lambda i: (-i.level, i.code))]
    positions = [html.index(f">{code}</a>") for code in codes]
    assert positions == sorted(positions)
    area_b = next(i.process.area for i in draft.items if i.process.area.code == "B")
    only_b = client.get(f"/rischi/2022/?area={area_b.id}").get_data(as_text=True)
    assert ">R06</a>" in only_b and ">R01</a>" not in only_b


def test_the_exported_register_imports_back_unchanged(client, draft):
    before = {(i.code, i.probability, i.impact, i.level) for i in draft.items}
    for fmt, content in (("csv", register_io.to_csv(draft)), ("xlsx", register_io.to_xlsx(draft))):
        report = register_io.import_file(_rpct(), draft, f"registro.{fmt}", content)
        assert report.ok and (report.created, report.updated) == (0, 30)
    db.session.commit()
    db.session.expire_all()
    assert {(i.code, i.probability, i.impact, i.level) for i in draft.items} == before


def _rpct() -> User:
    return db.session.execute(select(User).where(User.email == SG)).scalar_one()


CSV_HEADER = "codice;processo;fase;evento_rischioso;probabilita;impatto;giudizio\n"


def test_every_bad_row_of_an_import_is_refused_with_its_reason_and_nothing_is_saved(client, draft):
    rows = ("R90;P03;1;Nuovo rischio valido;2;2;ok\n"
            "R91;PX9;;Processo inesistente;2;2;\n"
            "R92;P03;9;Fase inesistente;2;2;\n"
            "R93;P03;;Probabilità fuori scala;6;2;\n"
            "R94;P03;;Impatto non intero;2;2,5;\n"
            "R95;P03;;;2;2;\n"
            "R90;P03;1;Codice ripetuto;1;1;\n")
    sign_in(client, SG)
    token = csrf_token(client, "/rischi/2022/import")
    answer = client.post("/rischi/2022/import", data={
        "csrf_token": token, "file": (__import__("io").BytesIO((CSV_HEADER + rows).encode()),
                                      "registro.csv")}, content_type="multipart/form-data")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    for row, reason in ((3, "Unknown process PX9"), (4, "has no phase 9"),
                        (5, "probability must be a whole number from 1 to 5"),
                        (6, "whole numbers"), (7, "Describe the risk event"),
                        (8, "also on row 2")):
        assert f"<td>{row}</td><td>" in html and reason in html, (row, reason)
    db.session.expire_all()
    assert db.session.execute(select(RiskItem).where(RiskItem.code == "R90")).first() is None


def test_the_public_page_names_units_and_measures_never_a_person(client, risk_demo):
    from app.models.org import User as Person

    html = client.get("/trasparenza/anticorruzione/").get_data(as_text=True)
    assert "MGU33" in html and "15" in html
    for person in db.session.execute(select(Person)).scalars():
        assert person.last_name not in html, person.last_name
    assert "/trasparenza/anticorruzione/" in client.get("/trasparenza/").get_data(as_text=True)


def test_the_rpct_sets_the_scales_and_the_band_bounds_of_a_draft_year(client, draft):
    draft.items[0].probability = 5
    db.session.commit()
    sign_in(client, SG)
    token = csrf_token(client, "/rischi/2022/settings")
    form = {"csrf_token": token, "probability_max": "4", "impact_max": "5",
            "four_bands": "3; 8; 12; 20", "three_bands": "8; 14,5; 20"}
    too_low = client.post("/rischi/2022/settings", data={**form, "three_bands": "8; 14,5; 19"})
    assert too_low.status_code == 422 and "highest level, 20" in too_low.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(draft), draft.id).probability_max == 5
    # a risk at probability 5 no longer fits a scale up to 4: refused, nothing changes
    refused = client.post("/rischi/2022/settings", data=form)
    assert refused.status_code == 422 and "from 1 to 4" in refused.get_data(as_text=True)
    for item in draft.items:
        item.probability = min(item.probability, 4)
    db.session.commit()
    assert client.post("/rischi/2022/settings", data=form).status_code == 302
    db.session.expire_all()
    year = db.session.get(type(draft), draft.id)
    assert year.bands["three_bands"] == [["8", "low"], ["14.5", "medium"], ["20", "high"]]


def test_a_measure_linked_to_an_objective_tagged_a_shows_in_both_places(client, risk_demo):
    from app.models.plan import Objective

    objective = db.session.execute(select(Objective).where(Objective.code == "OP3.3-01")
                                   ).scalar_one()
    sign_in(client, SG)
    measures_page = client.get("/rischi/2022/measures").get_data(as_text=True)
    assert "OP3.3-01: " in measures_page  # the objective's achievement beside the measure
    plan_page = client.get(f"/plan/2022/objectives/{objective.id}").get_data(as_text=True)
    assert "objective-risk-measures" in plan_page and "MG05" in plan_page


def test_a_measure_links_only_to_an_objective_tagged_a(draft):
    from app.models.plan import Objective
    from app.services.risk import measures
    from app.services.risk.errors import RiskError

    untagged = db.session.execute(select(Objective).where(Objective.code == "OS1.1")).scalar_one()
    general = next(m for m in draft.measures if m.code == "MG01")
    data = measures.MeasureData(code="MG01", name=general.name, kind="general", description=None,
                                owner_unit_id=None, deadline=None, indicator=None, target=None,
                                objective_id=untagged.id)
    with pytest.raises(RiskError, match='tagged "A"'):
        measures.save_measure(_rpct(), draft, data, general)
    measures.set_tags(_rpct(), untagged, {"A"})
    assert measures.save_measure(_rpct(), draft, data, general).objective_id == untagged.id


def test_an_area_moved_to_the_older_method_bands_its_risks_by_three_bands(client, draft):
    from app.services.risk.register import band

    item = next(i for i in draft.items if i.code == "R01")  # area A, level 12
    assert band(item) == "medium_high"
    sign_in(client, SG)
    token = csrf_token(client, "/rischi/2022/settings")
    assert client.post("/rischi/2022/areas", data={
        "csrf_token": token, "code": "A", "name": "Personale",
        "method": "three_bands"}).status_code == 302
    db.session.expire_all()
    assert band(db.session.get(RiskItem, item.id)) == "medium"
    sign_in(client, MANAGER)
    token = csrf_token(client, "/rischi/2022/settings")
    assert client.post("/rischi/2022/areas", data={
        "csrf_token": token, "code": "Z", "name": "Altro", "method": "four_bands"}
                       ).status_code == 403
