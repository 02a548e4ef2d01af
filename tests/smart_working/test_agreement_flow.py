"""An agreement as a workflow over HTTP, role by role: the employee asks, the head of the
unit (the manager heading the area) authorises or refuses with a reason, beyond the
limits the Secretary General decides in a step of his own, the employee signs the
agreement's PDF, and each month of the agreement brings its report, with reminders.
Anyone else is answered 403; a stale form 409."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app import engine
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import ProcessInstance
from app.scoring.smart_working import next_month
from app.services.smart_working.operations import today
from tests.engine.helpers import actions, open_task, open_tasks
from tests.helpers import csrf_token
from tests.smart_working.helpers import agreement_of, ask, instance_of, post


def _sign_in(client, signed_in, user):
    if 'action="/logout"' in client.get("/").get_data(as_text=True):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(user.email)
    return client


def _decide(client, task, **data):
    return post(client, f"/tasks/{task.id}", data)


def _claim(client, task):
    return post(client, f"/tasks/{task.id}/claim", {}, form_page=f"/tasks/{task.id}")


def test_the_head_authorises_the_employee_signs_and_reports_each_month(
        client, signed_in, deployed, people, clock):
    _sign_in(client, signed_in, people.employee)
    assert ask(client).status_code == 302
    agreement = agreement_of(people.employee)
    assert agreement.status == "requested" and not agreement.exceeds_limits
    instance = instance_of(agreement)
    authorise = open_task(instance.id, "authorise")
    assert (authorise.role, authorise.org_unit_id) == ("Manager", people.employee.unit_id)
    assert client.get(f"/tasks/{authorise.id}").status_code == 403  # about himself

    for outsider in (people.colleague, people.other_manager):
        _sign_in(client, signed_in, outsider)
        assert _claim(client, authorise).status_code == 403
        assert client.get(f"/lavoro-agile/{agreement.id}").status_code == 403
        assert client.get(f"/lavoro-agile/{agreement.id}/accordo.pdf").status_code == 403

    _sign_in(client, signed_in, people.manager)
    assert _claim(client, authorise).status_code == 302
    assert _decide(client, authorise, decision="yes", note="").status_code == 302
    assert agreement_of(people.employee).status == "to_sign"

    _sign_in(client, signed_in, people.employee)
    pdf = client.get(f"/lavoro-agile/{agreement.id}/accordo.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    sign = open_task(instance.id, "acknowledge")
    assert sign.assignee_id == people.employee.id
    assert _decide(client, sign).status_code == 422  # the box is not ticked
    assert _decide(client, sign, accept="y").status_code == 302
    agreement = agreement_of(people.employee)
    assert agreement.status == "in_force" and agreement.acknowledged_at is not None
    assert open_tasks(instance.id) == []

    first_month = agreement.starts_on
    engine.tick()
    assert open_tasks(instance.id) == []  # the first month is not over
    clock.advance(days=(next_month(first_month) - today()).days + 1)
    engine.tick()
    report = open_task(instance.id, "monthly_report")
    assert report.due_at.date() == next_month(first_month) + timedelta(days=9)
    assert report.remind_at is not None
    clock.advance(days=7)  # three days before the report is due
    assert engine.tick().reminders == 1
    page = client.get(f"/tasks/{report.id}").get_data(as_text=True)
    assert 'data-testid="report-month"' in page
    assert _decide(client, report, days="9", half_days="0", activities="Pratiche").status_code == 422
    assert _decide(client, report, days="4", half_days="0", activities="Pratiche del registro",
                   problems="").status_code == 302
    assert [(r.month, r.days) for r in agreement_of(people.employee).reports] == [(first_month, 4)]
    assert open_tasks(instance.id) == []  # waiting for the end of the second month

    clock.advance(days=(next_month(next_month(first_month)) - next_month(first_month)).days - 7)
    engine.tick()
    last = open_task(instance.id, "monthly_report")
    assert _decide(client, last, days="3", half_days="0", activities="Istruttorie").status_code == 302
    db.session.expire_all()
    assert db.session.get(ProcessInstance, instance.id).status == "completed"
    assert {"smart_working.request", "smart_working.decide", "smart_working.sign",
            "smart_working.report"} <= set(_domain_actions(agreement))


def _domain_actions(agreement) -> list[str]:
    return list(db.session.execute(select(AuditEvent.action).where(
        AuditEvent.action.like("smart_working.%"))).scalars())


def test_beyond_the_limits_the_secretary_general_decides_after_the_head(
        client, signed_in, deployed, people):
    _sign_in(client, signed_in, people.employee)
    three_days = {"day_0": "day", "day_2": "day"}  # with Tuesdays: 12 or more days a month
    refused = ask(client, **three_days)
    assert refused.status_code == 422
    assert "give the reason for an exception" in refused.get_data(as_text=True)
    assert agreement_of(people.employee) is None
    assert ask(client, exception_reason="Assistenza a un familiare", **three_days).status_code == 302
    agreement = agreement_of(people.employee)
    assert agreement.exceeds_limits
    instance = instance_of(agreement)

    _sign_in(client, signed_in, people.manager)
    authorise = open_task(instance.id, "authorise")
    _claim(client, authorise)
    assert _decide(client, authorise, decision="yes").status_code == 302
    assert agreement_of(people.employee).status == "exception"
    exception = open_task(instance.id, "approve_exception")
    assert exception.role == "SecretaryGeneral"
    assert _claim(client, exception).status_code == 403  # the manager is no Secretary General

    _sign_in(client, signed_in, people.sg)
    assert _claim(client, exception).status_code == 302
    assert _decide(client, exception, decision="no", note="").status_code == 422
    assert _decide(client, exception, decision="no",
                   note="Oltre i limiti senza esigenze di servizio").status_code == 302
    agreement = agreement_of(people.employee)
    assert agreement.status == "refused"
    assert agreement.exception_note == "Oltre i limiti senza esigenze di servizio"
    assert instance_of(agreement).status == "completed"


def test_a_refusal_says_why_and_ends_the_request(client, signed_in, deployed, people):
    _sign_in(client, signed_in, people.employee)
    ask(client)
    instance = instance_of(agreement_of(people.employee))
    _sign_in(client, signed_in, people.manager)
    authorise = open_task(instance.id, "authorise")
    _claim(client, authorise)
    answer = _decide(client, authorise, decision="no", note="")
    assert answer.status_code == 422 and "Give the reason for the refusal" in answer.get_data(as_text=True)
    assert _decide(client, authorise, decision="no", note="Ufficio scoperto a marzo").status_code == 302
    agreement = agreement_of(people.employee)
    assert (agreement.status, agreement.decision_note) == ("refused", "Ufficio scoperto a marzo")
    assert instance_of(agreement).status == "completed"
    _sign_in(client, signed_in, people.employee)
    assert "Ufficio scoperto a marzo" in client.get(f"/lavoro-agile/{agreement.id}").get_data(as_text=True)


def test_a_stale_decision_is_answered_409_and_nothing_is_saved(client, signed_in, deployed, people,
                                                               monkeypatch):
    from app.services.tasks import steps

    _sign_in(client, signed_in, people.employee)
    ask(client)
    instance = instance_of(agreement_of(people.employee))
    authorise = open_task(instance.id, "authorise")
    _sign_in(client, signed_in, people.manager)
    _claim(client, authorise)
    token = csrf_token(client, f"/tasks/{authorise.id}")
    original = steps.decisions

    def lose_the_race(actor, human_task, form_data):
        with db.engine.begin() as connection:
            connection.execute(update(ProcessInstance).where(
                ProcessInstance.id == human_task.instance_id).values(version=ProcessInstance.version + 1))
        return original(actor, human_task, form_data)

    monkeypatch.setattr(steps, "decisions", lose_the_race)
    answer = client.post(f"/tasks/{authorise.id}", data={"csrf_token": token, "decision": "yes"})
    monkeypatch.undo()
    assert answer.status_code == 409
    assert agreement_of(people.employee).status == "requested"
    assert "task.complete" not in actions(instance.id)
