"""`flask person export EMAIL PATH`: one person's data (GDPR art. 15) as data.json and a
readable summary.html."""
from __future__ import annotations

import json
import zipfile

from app.extensions import db
from app.models.privacy import AccessKind
from app.services.privacy import access_log
from tests.helpers import EMPLOYEE_A1, MANAGER, user_by_email


def test_person_export_holds_profile_objectives_evaluation_bonus_and_access_log(
        report_cycle, app, tmp_path):
    employee = user_by_email(EMPLOYEE_A1)
    access_log.record(user_by_email(MANAGER), [employee], AccessKind.EVALUATION, "/team/2022",
                      report_cycle)
    db.session.commit()
    path = tmp_path / "me.zip"
    result = app.test_cli_runner().invoke(args=["person", "export", EMPLOYEE_A1, str(path)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("data.json"))
        html = archive.read("summary.html").decode("utf-8")
    sections = document["sections"]
    assert document["person"] == EMPLOYEE_A1
    assert [p["email"] for p in sections["profile"]] == [EMPLOYEE_A1]
    assert "password_hash" not in sections["profile"][0]
    assert {r["role"] for r in sections["roles"]} == set(employee.roles)
    assert sections["units"] and sections["objectives"] and sections["objective_sheets"]
    [evaluation] = sections["evaluations"]
    assert evaluation["evaluator_comment"] == "Valutazione complessiva"
    assert evaluation["score"] is not None and isinstance(evaluation["score"], str)
    assert {r["comment"] for r in sections["ratings"]} >= {"Commento 1"}
    assert sections["bonus"] and sections["access_log"][0]["what"] == "evaluation"
    assert employee.full_name in html and "Valutazione complessiva" in html


def test_person_export_of_an_unknown_email_is_refused(demo, app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["person", "export", "nobody@example.org", str(tmp_path / "x.zip")])
    assert result.exit_code != 0 and "no user with e-mail nobody@example.org" in result.output
