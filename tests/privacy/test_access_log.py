"""Who opened whose evaluation, objectives or bonus is recorded by the pages that show
another person's data, shown to that person, and exported for the Admin as a CSV a
spreadsheet cannot turn into formulas."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.models.evaluation import Evaluation
from app.models.org import User
from app.models.privacy import AccessKind, PersonalDataAccess
from app.services.privacy import access_log
from tests.helpers import ADMIN, EMPLOYEE_A1, MANAGER, SUPPORT, login, user_by_email


def _client_of(application, email: str):
    other = application.test_client()
    assert login(other, email).status_code == 302
    return other


def _accesses(**where) -> list[PersonalDataAccess]:
    db.session.expire_all()
    query = select(PersonalDataAccess).order_by(PersonalDataAccess.id)
    for name, value in where.items():
        query = query.where(getattr(PersonalDataAccess, name) == value)
    return list(db.session.execute(query).scalars())


def test_opening_another_persons_objectives_is_logged_and_shown_to_that_person(
        report_cycle, signed_in, client):
    employee, manager = user_by_email(EMPLOYEE_A1), user_by_email(MANAGER)
    signed_in(MANAGER)
    assert client.get(f"/plan/2022/people/{employee.id}").status_code == 200
    [row] = _accesses(subject_id=employee.id)
    assert (row.viewer_id, row.what, row.cycle_id) == (manager.id, "objectives", report_cycle.id)
    assert row.page == f"/plan/2022/people/{employee.id}"

    page = _client_of(client.application, EMPLOYEE_A1).get("/me/accesses")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Chi ha consultato i miei dati" in html and manager.full_name in html


def test_a_person_looking_at_their_own_data_is_not_logged(report_cycle, signed_in, client):
    signed_in(EMPLOYEE_A1)
    assert client.get("/me/2022").status_code == 200
    assert _accesses() == []
    employee = user_by_email(EMPLOYEE_A1)
    assert access_log.record(employee, [employee], AccessKind.EVALUATION, "/x") == 0


def test_the_team_page_logs_the_evaluations_its_evaluator_sees(report_cycle, signed_in, client):
    evaluators = [db.session.get(User, i) for i in db.session.execute(select(
        Evaluation.evaluator_id).where(Evaluation.cycle_id == report_cycle.id,
                                       Evaluation.evaluator_id.is_not(None))).scalars()]
    evaluator = next(e for e in evaluators if e.has_role("Manager", "Supervisor"))
    written = db.session.execute(select(Evaluation.user_id).where(
        Evaluation.cycle_id == report_cycle.id, Evaluation.evaluator_id == evaluator.id,
        Evaluation.user_id != evaluator.id)).scalars().all()
    signed_in(evaluator.email)
    assert client.get("/team/2022").status_code == 200
    rows = _accesses(viewer_id=evaluator.id)
    assert sorted(r.subject_id for r in rows) == sorted(written)
    assert {r.what for r in rows} == {"evaluation"}


def test_the_evaluations_workbook_logs_an_access_to_everyone_in_it(report_cycle, signed_in, client):
    evaluated = set(db.session.execute(select(Evaluation.user_id).where(
        Evaluation.cycle_id == report_cycle.id)).scalars())
    signed_in(SUPPORT)
    assert client.get("/reports/2022/evaluations.xlsx").status_code == 200
    support = user_by_email(SUPPORT)
    assert {r.subject_id for r in _accesses(viewer_id=support.id)} == evaluated - {support.id}
    assert client.get("/reports/2022/payouts.xlsx").status_code == 200
    assert any(r.what == "bonus" for r in _accesses(viewer_id=support.id))


def test_the_admin_exports_the_log_as_csv_with_formulas_neutralised(report_cycle, signed_in, client):
    employee, manager = user_by_email(EMPLOYEE_A1), user_by_email(MANAGER)
    manager.first_name = '=HYPERLINK("http://evil.example","x")'
    access_log.record(manager, [employee], AccessKind.BONUS, "/team/2022", report_cycle)
    db.session.commit()
    signed_in(SUPPORT)
    assert client.get("/admin/access-log.csv").status_code == 403
    response = _client_of(client.application, ADMIN).get("/admin/access-log.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[0] == "Quando (UTC)"
    [row] = [r for r in rows if r[3] == employee.email]
    assert row[2].startswith("'=HYPERLINK") and row[5] == "premio"  # in the reader's language
    assert [access_log.safe_cell(v) for v in ("+1", "-2", "@x", "ok", None)] == [
        "'+1", "'-2", "'@x", "ok", ""]
