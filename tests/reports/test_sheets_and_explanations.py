"""A person's objective and evaluation sheets as accessible PDFs with the date and time
of the acknowledgement, downloadable by the person and by whoever may see their data
(403 for anyone else, logged as an access to personal data); and every score and bonus
explained with the person's numbers, the explained value being the stored figure."""
from __future__ import annotations

import html
import io
from datetime import UTC, datetime
from decimal import Decimal

import pypdf
import pytest
from sqlalchemy import select

from app.extensions import db
from app.formats import italian as formatting
from app.models.evaluation import EvaluationStatus
from app.models.privacy import PersonalDataAccess
from app.scoring import explain
from app.services.evaluation import explanations
from app.services.evaluation import operations as ev
from app.services.evaluation.rewards import people_of_pools, pools
from app.services.plan.scores import achievements
from app.services.plan.system import system_for
from app.services.reports import achievement_explanations
from app.services.reports import figures as reports
from tests.helpers import EMPLOYEE_A1, MANAGER, OIV, OTHER_MANAGER, SUPPORT, user_by_email
from tests.reports.conftest import area_people
from tests.reports.test_accessible_pdf import assert_accessible


def _text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _final_person(cycle):
    """A member of area A1 with a final evaluation and a bonus."""
    employee = user_by_email(EMPLOYEE_A1)
    for person in area_people("A1"):
        evaluation = ev.evaluation_of(cycle, person)
        if (person.id != employee.id and evaluation is not None and evaluation.score
                and evaluation.score >= 2 and person.unit.head_id != person.id
                and evaluation.status == EvaluationStatus.FINAL.value
                and any(a.total for a in reports.allocations(cycle, person))):
            return person
    raise AssertionError("no person with a bonus in A1")


def test_italian_moment_is_the_wall_clock_time_in_rome():
    assert formatting.moment(datetime(2022, 7, 1, 8, 30, tzinfo=UTC)) == "01/07/2022 10:30"
    assert formatting.moment(datetime(2022, 1, 10, 8, 30, tzinfo=UTC)) == "10/01/2022 09:30"
    assert formatting.moment(None) == "—"


def test_a_person_downloads_their_objective_sheet_with_the_acknowledgement_time(
        report_cycle, client, signed_in):
    person = user_by_email(EMPLOYEE_A1)
    sheet = ev.sheet_of(report_cycle, person)
    signed_in(EMPLOYEE_A1)
    response = client.get(f"/sheets/2022/{person.id}/objectives.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_accessible(response.data, f"Scheda obiettivi 2022 – {person.full_name}")
    text = _text(response.data)
    assert formatting.moment(sheet.acknowledged_at) in text
    for objective in ev.objectives_of(report_cycle, person):
        assert objective.title[:30] in text
    assert not db.session.execute(select(PersonalDataAccess)).first()  # one's own: not logged


def test_the_evaluation_sheet_explains_the_score_as_the_page_does(report_cycle, client, signed_in):
    person = _final_person(report_cycle)
    evaluation = ev.evaluation_of(report_cycle, person)
    signed_in(person.email)
    response = client.get(f"/sheets/2022/{person.id}/evaluation.pdf")
    assert response.status_code == 200
    assert_accessible(response.data, f"Scheda di valutazione 2022 – {person.full_name}")
    text = _text(response.data)
    assert formatting.moment(evaluation.acknowledged_at) in text
    lines = explanations.of_person(report_cycle, evaluation, [])
    for line in lines["score"] + lines["band"]:
        assert " ".join(line.split()) in text
    page = client.get("/me/2022").get_data(as_text=True)
    assert "Come è calcolato" in page and 'data-testid="explain-bonus"' in page
    for line in lines["score"][-1:] + lines["band"]:
        assert line in page


@pytest.mark.parametrize("viewer", [MANAGER, OIV, SUPPORT])
def test_the_evaluator_chain_and_the_organisation_wide_roles_download_and_are_logged(
        report_cycle, client, signed_in, viewer):
    person = _final_person(report_cycle)
    signed_in(viewer)
    for what in ("objectives", "evaluation"):
        assert client.get(f"/sheets/2022/{person.id}/{what}.pdf").status_code == 200
    rows = db.session.execute(select(PersonalDataAccess).where(
        PersonalDataAccess.subject_id == person.id)).scalars().all()
    assert sorted(r.what for r in rows) == ["evaluation", "objectives"]
    assert {r.viewer_id for r in rows} == {user_by_email(viewer).id}


@pytest.mark.parametrize("viewer", ["peer", OTHER_MANAGER])
def test_anyone_else_is_refused_another_persons_sheets(report_cycle, client, signed_in, viewer):
    person = _final_person(report_cycle)
    if viewer == "peer":
        viewer = next(p.email for p in area_people("A1") if p.id != person.id
                      and p.unit.head_id != p.id and p.email != MANAGER)
    signed_in(viewer)
    for what in ("objectives", "evaluation"):
        assert client.get(f"/sheets/2022/{person.id}/{what}.pdf").status_code == 403
    assert not db.session.execute(select(PersonalDataAccess)).first()


def test_a_sheet_not_issued_is_not_found(report_cycle, client, signed_in):
    person = next(p for p in area_people("A2") if ev.sheet_of(report_cycle, p) is None)
    signed_in(SUPPORT)
    assert client.get(f"/sheets/2022/{person.id}/objectives.pdf").status_code == 404
    assert client.get(f"/sheets/2022/{person.id}/evaluation.pdf").status_code == 404


def test_every_explained_figure_is_the_stored_figure(report_cycle):
    """For every person of the cycle: the explained score is the score, the explained
    bonus is the amount paid, and each exact part is within a cent of the part paid."""
    system = system_for(report_cycle)
    people = people_of_pools(report_cycle, system)
    checked = 0
    for pool in pools(report_cycle):
        for row in pool.allocations:
            explained = explain.allocation_steps(pool.amount, people[pool.group], row.user_id,
                                                 system)
            assert explained.value == row.total
            checked += 1
            evaluation = ev.evaluation_of(report_cycle, row.user)
            if evaluation is not None and evaluation.score is not None:
                assert explanations.score(report_cycle, evaluation).value == evaluation.score
            if row.total:
                exact = {s.template.split(" =")[0]: s.params["value"] for s in explained.steps
                         if isinstance(s.params.get("value"), explain.Money)}
                assert abs(exact["Organisational part"] - row.organisational_part) < Decimal("0.01")
                assert abs(exact["Individual part"] - row.individual_part) < Decimal("0.01")
    assert checked > 40


def test_the_oiv_page_explains_the_organisations_achievement(report_cycle, client, signed_in):
    result = achievements(report_cycle)
    explained = achievement_explanations.organisation(report_cycle, result)
    assert explained.value == result.organisation
    signed_in(OIV)
    page = client.get("/oiv/2022").get_data(as_text=True)
    assert 'data-testid="explain-organisation"' in page
    assert formatting.percent(result.organisation) in html.unescape(page).split(
        'data-testid="explain-organisation"')[1]


def test_a_plain_mean_leaves_out_what_was_not_measured():
    explained = explain.mean_steps([("OS1", Decimal(80), None), ("OS2", None, None),
                                    ("OS3", Decimal(50), None)], simple=True)
    assert explained.value == 65
    assert explained.steps[-1].params["codes"] == "OS2"
