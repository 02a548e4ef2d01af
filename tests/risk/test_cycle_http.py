"""The yearly corruption-risk process over HTTP, each step by its role: the RPCT submits
the register, the Board adopts it with its act, the periodic checks open, every area
manager reports on the measures twice a year (403 for another area's report), the RPCT
reviews, checks and publishes the yearly report; a stale form is answered 409."""
from __future__ import annotations

from sqlalchemy import select

from app.demo import risk as demo_risk
from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance
from app.models.risk_register import CheckOutcome, MeasureReport, RiskYear, RpctReport
from app.services.risk import cycle as risk_cycle
from tests.cycle.helpers import errors_of, post_task, sign_in
from tests.helpers import BOARD, MANAGER, OIV, OTHER_MANAGER, SG, SUPPORT, run_jobs, user_by_email

PDF = ("delibera.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _open(form_key: str, **where) -> list[HumanTask]:
    db.session.expire_all()
    stmt = select(HumanTask).where(HumanTask.form_key == form_key, HumanTask.status == "open")
    for name, value in where.items():
        stmt = stmt.where(getattr(HumanTask, name) == value)
    return list(db.session.execute(stmt.order_by(HumanTask.due_at, HumanTask.id)).scalars())


def _one(form_key: str) -> HumanTask:
    tasks = _open(form_key)
    assert len(tasks) == 1, [t.form_key for t in tasks]
    return tasks[0]


def _report_rows(task: HumanTask, application: str = "applied", evidence: str = "") -> dict:
    from app.services.tasks.steps import context_for

    data = {}
    for n, measure in enumerate(context_for(task)["measures"]):
        data.update({f"rows-{n}-measure_id": str(measure.id), f"rows-{n}-application":
                     application if n == 0 else "applied", f"rows-{n}-evidence":
                     evidence if n == 0 else "", f"rows-{n}-proposal": ""})
    return data


def _report_all(client, round_: str) -> None:
    for task in _open("risk_manager_report"):
        head = db.session.get(ProcessInstance, task.instance_id).org_unit_id
        from app.models.org import OrgUnit

        sign_in(client, db.session.get(OrgUnit, head).head.email)
        assert post_task(client, task.id, _report_rows(task), claim=True).status_code == 302


def test_the_yearly_cycle_runs_over_http_as_each_role(client, demo_plan):
    year = demo_risk.prepare(demo_plan)
    rpct = user_by_email(SG)
    _year, master = risk_cycle.start(rpct, demo_plan)
    db.session.commit()

    submit = _one("risk_register_submit")
    assert submit.role == "RPCT"
    sign_in(client, SUPPORT)
    assert post_task(client, submit.id, {"note": "x"}).status_code == 403
    sign_in(client, SG)
    assert post_task(client, submit.id, {"note": "Registro aggiornato"}, claim=True).status_code == 302

    adoption = _one("risk_adoption")
    sign_in(client, OIV)
    assert post_task(client, adoption.id, {"approved": "True"}).status_code == 403
    sign_in(client, BOARD)
    act = {"number": "15/2022", "date": "2022-01-27", "approved": "True"}
    missing = post_task(client, adoption.id, act, claim=True)
    assert missing.status_code == 422 and "PDF" in errors_of(missing)
    assert post_task(client, adoption.id, {**act, "attachment": PDF}).status_code == 302
    db.session.expire_all()
    year = db.session.get(RiskYear, year.id)
    assert year.status == "adopted" and year.deliberation_number == "15/2022"

    run_jobs()
    checks = _open("risk_periodic_check")
    assert len(checks) == 5 and checks[0].due_at.date().isoformat() == "2022-03-31"
    sign_in(client, SG)
    wrong = post_task(client, checks[0].id, {"cases_checked": "3", "irregular_cases": "4"},
                      claim=True)
    assert wrong.status_code == 422
    assert post_task(client, checks[0].id, {"cases_checked": "6", "irregular_cases": "1",
                                            "note": "Verbale incompleto"}).status_code == 302
    outcome = db.session.execute(select(CheckOutcome)).scalar_one()
    assert (outcome.due.isoformat(), outcome.irregular_cases) == ("2022-03-31", 1)
    following = [t for t in _open("risk_periodic_check") if t.instance_id == checks[0].instance_id]
    assert following[0].due_at.date().isoformat() == "2022-06-30"

    assert post_task(client, _one("risk_launch_mid_year").id, {"confirm": "y"},
                     claim=True).status_code == 302
    run_jobs()
    reports = _open("risk_manager_report")
    assert len(reports) == 4
    own = next(t for t in reports if t.org_unit_id == user_by_email(MANAGER).unit_id)
    other = next(t for t in reports if t.org_unit_id == user_by_email(OTHER_MANAGER).unit_id)
    sign_in(client, MANAGER)
    assert post_task(client, other.id, _report_rows(other)).status_code == 403
    unexplained = post_task(client, own.id, _report_rows(own, "partly"), claim=True)
    assert unexplained.status_code == 422 and "not fully applied" in errors_of(unexplained)
    assert post_task(client, own.id, _report_rows(own, "partly", "Formazione rinviata"),
                     ).status_code == 302
    assert not _open("risk_review_mid_year")  # the RPCT waits for every manager
    _report_all(client, "mid_year")
    review = _one("risk_review_mid_year")
    sign_in(client, SG)
    assert post_task(client, review.id, {"note": "Letto"}, claim=True).status_code == 302
    partly = db.session.execute(select(MeasureReport).where(
        MeasureReport.application == "partly")).scalar_one()
    assert partly.evidence == "Formazione rinviata" and partly.round == "mid_year"

    assert post_task(client, _one("risk_launch_year_end").id, {"confirm": "y"},
                     claim=True).status_code == 302
    run_jobs()
    _report_all(client, "year_end")
    sign_in(client, SG)
    assert post_task(client, _one("risk_review_year_end").id, {"note": ""},
                     claim=True).status_code == 302
    assert post_task(client, _one("risk_report_draft").id, {"summary": "Anno regolare."},
                     claim=True).status_code == 302
    report = db.session.execute(select(RpctReport)).scalar_one()
    assert report.pdf.startswith(b"%PDF") and report.status == "draft"
    assert post_task(client, _one("risk_report_publish").id, {"approved": "True"},
                     claim=True).status_code == 302
    db.session.expire_all()
    assert db.session.get(RpctReport, report.id).status == "published"
    assert db.session.get(ProcessInstance, master.id).status == "completed"


def test_a_stale_risk_form_is_answered_409_and_nothing_is_lost(client, demo_plan, monkeypatch):
    from sqlalchemy import update

    from app.services.tasks import steps
    from tests.helpers import csrf_token

    demo_risk.prepare(demo_plan)
    _year, _master = risk_cycle.start(user_by_email(SG), demo_plan)
    db.session.commit()
    submit = _one("risk_register_submit")
    sign_in(client, SG)
    client.post(f"/tasks/{submit.id}/claim", data={"csrf_token": csrf_token(client, "/tasks")})
    token = csrf_token(client, f"/tasks/{submit.id}")
    original = steps.decisions

    def lose_the_race(actor, task, form_data):
        with db.engine.begin() as connection:  # another request saves the instance meanwhile
            connection.execute(update(ProcessInstance).where(ProcessInstance.id == task.instance_id)
                               .values(version=ProcessInstance.version + 1))
        return original(actor, task, form_data)

    monkeypatch.setattr(steps, "decisions", lose_the_race)
    answer = client.post(f"/tasks/{submit.id}", data={"csrf_token": token, "note": "x"})
    monkeypatch.undo()
    assert answer.status_code == 409
    assert _one("risk_register_submit").id == submit.id
