"""Helpers of the engine tests: the test workflows, the test form, moving time."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from app import engine
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import HumanTask, ProcessInstance
from forms.registry import register

WORKFLOWS = Path(__file__).resolve().parent / "workflows"


@register("engine_test_request")
class RequestForm(FlaskForm):
    """The test workflow's first step: a number of days, 1 to 30."""

    title = "Request days"
    decision_fields = ("days",)
    days = IntegerField("Days", validators=[InputRequired(), NumberRange(min=1, max=30)])


def deploy_test_workflows():
    results = engine.deploy_directory(WORKFLOWS)
    db.session.commit()
    return results


def start_review(employee, *, review_timeout="P5D", ack_within="P10D", key=None):
    instance = engine.start(
        "engine_review", business_key=key or f"review:{employee.id}",
        data={"employee_id": employee.id, "unit_id": employee.unit_id,
              "review_timeout": review_timeout, "ack_within": ack_within},
    )
    db.session.commit()
    return instance


def open_tasks(instance_id: int) -> list[HumanTask]:
    db.session.expire_all()
    return list(db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars())


def open_task(instance_id: int, bpmn_id: str) -> HumanTask:
    matches = [t for t in open_tasks(instance_id) if t.bpmn_id == bpmn_id]
    assert len(matches) == 1, [t.bpmn_id for t in open_tasks(instance_id)]
    return matches[0]


def instance(instance_id: int) -> ProcessInstance:
    db.session.expire_all()
    return db.session.get(ProcessInstance, instance_id)


def actions(instance_id: int) -> list[str]:
    return list(db.session.execute(
        select(AuditEvent.action).where(AuditEvent.instance_id == instance_id)
        .order_by(AuditEvent.id)).scalars())


class Clock:
    """Moves "now" for the engine and for SpiffWorkflow's timers together."""

    def __init__(self, monkeypatch):
        from SpiffWorkflow.bpmn.specs.event_definitions import timer

        from app.engine import clock
        from app.models.types import utcnow

        self.offset = timedelta()
        outer = self

        class ShiftedDatetime(datetime):
            @classmethod
            def now(cls, tz=None):
                return datetime.now(tz) + outer.offset

        monkeypatch.setattr(timer, "datetime", ShiftedDatetime)
        monkeypatch.setattr(clock, "now", lambda: utcnow() + outer.offset)

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)


def complete(actor, task: HumanTask, **form_data) -> None:
    from app.services.tasks import operations as tasks

    tasks.complete(actor, task.id, form_data)
    db.session.commit()


def to_acknowledgement(people, **start) -> ProcessInstance:
    """A review instance whose request was submitted and approved: the employee's
    acknowledgement (due in ten days unless told otherwise) is open."""
    from app.services.tasks import operations as tasks

    review = start_review(people.employee, **start)
    complete(people.employee, open_task(review.id, "submit"), days=3)
    reviewing = open_task(review.id, "review")
    tasks.claim(people.manager, reviewing.id)
    db.session.commit()
    complete(people.manager, reviewing, approved=True, reason="")
    return review
