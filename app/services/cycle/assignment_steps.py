"""Step handlers of the objective_assignment diagram: the evaluator's objectives become
the person's objective sheet; the person acknowledges it or asks for changes. Their
forms' context loaders give the person, the cycle, the objectives and the sheet."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.formats.tables import parse_decimal
from app.services.cycle.children import task_subject
from app.services.evaluation import operations as evaluations
from app.services.plan.individual import (
    IndividualObjectiveData,
    objectives_of,
    set_errors,
    set_individual_objectives,
)
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step

_TEXTS = ("title", "actions", "behaviours", "measures", "weight")


def _blank(row: dict) -> bool:
    return not any((row.get(name) or "").strip() for name in _TEXTS) \
        and row.get("objective_id") is None


def objective_items(rows: list[dict]) -> list[IndividualObjectiveData]:
    """The objectives of the non-blank rows; raises ValueError on a weight that is not a
    number (the form refuses those first)."""
    return [IndividualObjectiveData(
        title=row.get("title") or "",
        weight=parse_decimal(row["weight"]) if (row.get("weight") or "").strip() else None,
        actions=row.get("actions"), behaviours=row.get("behaviours"),
        measures=row.get("measures"), objective_id=row.get("objective_id"))
        for row in rows if not _blank(row)]


@context("objective_assignment")
def assignment_context(task) -> dict:
    """The person's objectives so far, the operational objectives they may be linked to,
    and `objective_errors(rows)`: what is wrong with the submitted set."""
    cycle, person = task_subject(task)
    sheet = evaluations.sheet_of(cycle, person)
    operational = sorted((o for o in (cycle.plan.objectives if cycle.plan else ())
                          if not o.is_strategic), key=lambda o: o.code)
    return {
        "person": person, "cycle": cycle, "sheet": sheet,
        "objectives": objectives_of(cycle, person),
        "operational_objectives": [(o.id, f"{o.code} {o.title}") for o in operational],
        "changes_requested": sheet.employee_comment if sheet is not None
        and sheet.status == "assigned" else None,
        "objective_errors": lambda rows: set_errors(cycle, objective_items(rows)),
    }


@step("objective_assignment")
def assign_objectives(actor, task, form_data: dict) -> dict:
    cycle, person = task_subject(task)
    with refused():
        saved = set_individual_objectives(actor, cycle, person, objective_items(form_data["rows"]))
        sheet = evaluations.issue_sheet(actor, cycle, person, saved)
    return {"sheet_id": sheet.id, "changes_requested": False}


@context("objective_acknowledgement")
def acknowledgement_context(task) -> dict:
    cycle, person = task_subject(task)
    return {"person": person, "cycle": cycle, "objectives": objectives_of(cycle, person),
            "sheet": evaluations.sheet_of(cycle, person)}


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
