"""Step handlers and form contexts of the adoption of a people plan
(workflows/people_plan_adoption.bpmn, forms/people_plan.py). Each context holds the
`plan`, its `cycle` (the deliberation form is the cycle's), what the resubmit form
checks (`plan_problems()`), the `remark` of a Board that sent the plan back, and for the
positive actions plan the committee's last `opinion`, which the Board reads."""
from __future__ import annotations

from app.services.cycle.deliberations import DeliberationInput
from app.services.people_plan import adoption, equality, staffing, training
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step

PROBLEMS = {"staffing": staffing.plan_problems, "training": training.plan_problems,
            "equality": equality.plan_problems}


def _plan(task):
    return adoption.plan_of_instance(task.instance)


@context("people_plan_deliberation", "people_plan_cug_opinion", "people_plan_resubmit")
def plan_context(task) -> dict:
    plan = _plan(task)
    remark = adoption.last_sending_back(plan) if task.form_key == "people_plan_resubmit" else None
    opinions = equality.opinions(plan) if plan.kind.value == "equality" else []
    return {"plan": plan, "cycle": plan.cycle, "remark": remark,
            "opinion": opinions[-1] if opinions else None,
            "plan_problems": lambda: PROBLEMS[plan.kind.value](plan)}


def deliberation_input(data: dict) -> DeliberationInput:
    upload = data.get("attachment")
    content = upload.read() if upload else None
    return DeliberationInput(
        number=data.get("number") or "", date=data.get("date"), approved=bool(data.get("approved")),
        reason=data.get("reason"), attachment=content or None,
        attachment_name=getattr(upload, "filename", None) if content else None)


@step("people_plan_deliberation")
def deliberate(actor, task, data):
    with refused():
        adoption.deliberate(actor, _plan(task), deliberation_input(data))
    return {"plan_adopted": bool(data["approved"])}


@step("people_plan_cug_opinion")
def record_cug_opinion(actor, task, data):
    upload = data.get("attachment")
    content = upload.read() if upload else None
    with refused():
        equality.record_cug_opinion(actor, _plan(task), equality.CugOpinionData(
            date=data.get("date"), outcome=data.get("outcome") or "", text=data.get("text") or "",
            attachment=content or None,
            attachment_name=getattr(upload, "filename", None) if content else None))
    return {}


@step("people_plan_resubmit")
def resubmit(actor, task, data):
    plan = _plan(task)
    with refused():
        adoption.resubmit(actor, plan, PROBLEMS[plan.kind.value](plan))
    return {}
