"""Step handlers of the objective_assignment diagram: the evaluator's objectives become
the person's objective sheet; the person acknowledges it or asks for changes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.services.evaluation import operations as evaluations
from app.services.plan.individual import set_individual_objectives
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import step
from forms.assignment import objective_items, task_subject


@step("objective_assignment")
def assign_objectives(actor, task, form_data: dict) -> dict:
    cycle, person = task_subject(task)
    items, _bad_weights = objective_items(form_data["rows"])
    with refused():
        set_individual_objectives(actor, cycle, person, items)
        sheet = evaluations.issue_sheet(actor, cycle, person)
    return {"sheet_id": sheet.id, "changes_requested": False}


@step("objective_acknowledgement")
def acknowledge_objectives(actor, task, form_data: dict) -> dict:
    cycle, person = task_subject(task)
    sheet = evaluations.sheet_of(cycle, person)
    changes = form_data["decision"] == "changes"
    with refused():
        if sheet is None:
            raise evaluations.EvaluationError(_l("There is no objective sheet to acknowledge."))
        if changes:
            evaluations.request_sheet_changes(actor, sheet, form_data.get("comment") or "")
        else:
            evaluations.acknowledge_sheet(actor, sheet, form_data.get("comment"))
    return {"changes_requested": changes}
