"""Step handler and form context of a person's reminder task for a mandatory training
(workflows/training_due.bpmn, forms/people_plan.py): the context gives the due date
and its entry; completing it records the attendance the person declares."""
from __future__ import annotations

from app.services.people_plan import training
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step


@context("training_attendance")
def attendance_context(task) -> dict:
    due = training.due_of_instance(task.instance)
    return {"due": due, "entry": due.entry}


@step("training_attendance")
def declare_attendance(actor, task, data):
    with refused():
        training.declare_attendance(actor, training.due_of_instance(task.instance),
                                    data.get("attended_on"), data.get("hours"))
    return {}
