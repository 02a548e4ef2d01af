"""The integrated plan (PIAO) as one tagged PDF: the official template's sections in
order, a section the administration does not run stated as such, drafts in the internal
version only; readable by the support unit, Admin, Secretary General, OIV and Board
(403 for anyone else); on the public page only once the performance plan is adopted,
with the adopted sections only and no person named. And the late publication
obligations, counted on the dashboards and linked to the grid showing only them."""
from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.cycle import BoardDeliberation
from app.models.org import Role, User, UserRole
from app.models.people_plan import AdoptionStatus
from app.services.people_plan import equality
from app.services.reports.piao import total_published
from tests.cycle.helpers import sign_in
from tests.helpers import BOARD, EMPLOYEE_A1, MANAGER, SG, SUPPORT, user_by_email
from tests.snapshots import cached

HEADINGS = ["1. Scheda anagrafica dell'amministrazione",
            "2. Valore pubblico, performance e anticorruzione", "2.1 Valore pubblico",
            "2.2 Performance", "2.3 Rischi corruttivi e trasparenza",
            "3. Organizzazione e capitale umano", "3.1 Struttura organizzativa",
            "3.2 Organizzazione del lavoro agile",
            "3.3 Piano triennale dei fabbisogni di personale e formazione",
            "3.4 Piano delle azioni positive", "4. Monitoraggio"]
NOT_FILLED = "Sezione non compilata"


def _build(demo):
    """The demo plan 2022 (adopted), its risk year (adopted) and transparency grid (three
    obligations late), the staffing plan (a draft) and the positive actions plan
    (adopted; its first objective's actions owned by a person); no training plan, no
    smart working: those sections are not run. And a cycle 2023 with no plan yet."""
    from app.demo import people_plan as demo_people
    from app.demo import plan as demo_plan
    from app.demo import risk
    from app.services.plan.cycles import create_cycle

    cycle = demo_plan.load(demo)
    risk.load(cycle)
    support = user_by_email(SUPPORT)
    demo_people.load_staffing(support, cycle)
    plan = demo_people.load_equality(support, cycle)
    deliberation = BoardDeliberation(cycle_id=cycle.id, subject="equality", number="31",
                                     date=date(2022, 3, 3), outcome="approved")
    db.session.add(deliberation)
    plan.status, plan.deliberation = AdoptionStatus.ADOPTED.value, deliberation
    create_cycle(support, demo.id, 2023)
    return cycle


@pytest.fixture
def piao_cycle(demo):
    return cached("piao_cycle", lambda: _build(demo))


@pytest.mark.parametrize("people, public, shown", [
    (0, True, True), (2, True, False), (3, True, True), (2, False, True)])
def test_the_public_smart_working_total_needs_the_minimum_group(people, public, shown):
    assert total_published(people, public, minimum=3) is shown


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "piao.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _pdfinfo(data: bytes, tmp_path) -> str:
    path = tmp_path / "piao-info.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout


def _positions(text: str, headings: list[str]) -> list[int]:
    flat = re.sub(r"\s+", " ", text)
    return [flat.find(h) for h in headings]


def test_the_plan_has_the_template_sections_in_order_tagged_with_missing_ones_stated(
        piao_cycle, client, tmp_path):
    sign_in(client, SUPPORT)
    response = client.get("/reports/2022/piao.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    info = _pdfinfo(response.data, tmp_path)
    assert re.search(r"Tagged:\s+yes", info)
    assert "Piano integrato di attività e organizzazione (PIAO) 2022" in info
    text = _text(response.data, tmp_path)
    positions = _positions(text, HEADINGS)
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions) if p == -1]
    assert positions == sorted(positions)
    flat = re.sub(r"\s+", " ", text)
    smart = flat.find("3.2 Organizzazione del lavoro agile")
    staffing = flat.find("Piano dei fabbisogni", smart)
    training = flat.find("Piano della formazione", staffing)
    assert NOT_FILLED in flat[smart:staffing]  # smart working is not run
    assert NOT_FILLED in flat[training:flat.find("3.4 Piano delle azioni positive")]
    assert "Bozza" in flat[staffing:training]  # the internal version shows the draft
    assert "Dotazione, personale in servizio e scostamento per categoria" in flat
    assert user_by_email(SUPPORT).full_name in flat  # owner of the first positive actions


@pytest.mark.parametrize("email", [EMPLOYEE_A1, MANAGER])
def test_only_the_roles_that_prepare_adopt_and_check_the_plan_read_it(piao_cycle, client,
                                                                      email):
    sign_in(client, email)
    assert client.get("/reports/2022/piao.pdf").status_code == 403


def test_the_board_and_the_secretary_general_read_the_plan(piao_cycle, client):
    for email in (BOARD, SG):
        sign_in(client, email)
        assert client.get("/reports/2022/piao.pdf").status_code == 200


def test_the_public_plan_is_published_once_adopted_with_adopted_sections_and_no_names(
        piao_cycle, client, tmp_path):
    page = client.get("/trasparenza/").get_data(as_text=True)
    assert "/trasparenza/2022/piao.pdf" in page and "/trasparenza/2023/piao.pdf" not in page
    assert client.get("/trasparenza/2023/piao.pdf").status_code == 404
    response = client.get("/trasparenza/2022/piao.pdf")
    assert response.status_code == 200
    flat = re.sub(r"\s+", " ", _text(response.data, tmp_path))
    assert -1 not in _positions(flat, HEADINGS)
    staffing = flat.find("Piano dei fabbisogni", flat.find("3.3 Piano triennale"))
    assert "Sezione non ancora adottata" in flat[staffing:flat.find("Piano della formazione",
                                                                     staffing)]
    assert "Bozza" not in flat
    people = db.session.execute(select(User)).scalars().all()
    named = [p.full_name for p in people if p.full_name in flat]
    assert named == []
    actions = equality.actions(equality.plan_of(piao_cycle))
    assert actions[0].title.split()[0] in flat  # the adopted plan is there, without owners


def test_the_dashboards_count_the_late_obligations_and_link_the_grid_of_the_late_ones(
        piao_cycle, client):
    sg = user_by_email(SG)
    assert sg.has_role(Role.RPCT)
    sign_in(client, SUPPORT)
    dashboard = client.get("/dashboard/2022").get_data(as_text=True)
    assert "Obblighi di pubblicazione con aggiornamento in ritardo: 3" in dashboard
    assert "/rischi/transparency?late=1" in dashboard
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="late-obligations"' in home and "/rischi/transparency?late=1" in home
    late = client.get("/rischi/transparency?late=1").get_data(as_text=True)
    rows = re.findall(r'<tr class="table-danger"><th scope="row">(\w+)</th>', late)
    assert sorted(rows) == ["BC01", "PA01", "PE02"]
    assert late.count("<tr") == len(rows) + 1  # the header row and the late ones only
    sign_in(client, SG)
    assert "/rischi/transparency?late=1" in client.get("/").get_data(as_text=True)
    assert db.session.execute(select(UserRole).where(UserRole.role == Role.RPCT.value)).first()
