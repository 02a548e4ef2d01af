"""The plan's strategic areas and objectives: an objective's page with its indicators and
achievements, and the editing of areas and objectives while the plan is a draft (or a
revision is open). Views parse and authorize; app.services.plan.operations acts."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models.plan import Cycle, Objective, ObjectiveLevel, StrategicArea
from app.services.plan import cycles as plan_cycles
from app.services.plan import fields
from app.services.plan import operations as plan_service
from app.services.plan import scores as plan_scores
from app.services.plan.access import (
    can_measure,
    ensure_can_see_objective,
    ensure_plan_editor,
    is_plan_editor,
    visible_objective_ids,
)
from app.services.plan.errors import PlanError
from app.services.reports import achievement_explanations
from app.web.plan.forms import AreaForm, ConfirmForm, ObjectiveForm
from app.web.plan.views import bp, cycle_or_404, flash_errors, outcome_labeller, rule_describer
from app.web.unit_fields import NO_UNIT, picked_unit, unit_picker


def editable_plan(cycle: Cycle):
    ensure_plan_editor(current_user)
    plan = plan_cycles.ensure_plan(cycle)
    if not plan.editable:
        flash(_("The plan is approved and frozen: open a revision to change it."), "warning")
        return None
    return plan


def delete_confirmed(delete, done: str, back: str):
    """A delete button's request: 400 without its confirmation; then the deletion
    committed and said, or refused with its reasons; back to `back` either way."""
    if not ConfirmForm(prefix="delete").validate_on_submit():
        abort(400)
    try:
        delete()
        db.session.commit()
        flash(done, "success")
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
    return redirect(back)


@bp.route("/<int:year>/areas/new", methods=["GET", "POST"])
@bp.route("/<int:year>/areas/<int:area_id>", methods=["GET", "POST"])
def area_edit(year: int, area_id: int | None = None):
    cycle = cycle_or_404(year)
    area = db.get_or_404(StrategicArea, area_id) if area_id else None
    if area is not None and area.plan.cycle_id != cycle.id:
        abort(404)
    if editable_plan(cycle) is None:
        return redirect(url_for("plan.tree", year=year))
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        data = fields.AreaData(code=form.code.data, title=form.title.data,
                               description=form.description.data,
                               weight=form.weight.data)
        try:
            plan_service.save_area(current_user, cycle, data, area)
            db.session.commit()
        except PlanError as exc:
            db.session.rollback()
            flash_errors(exc)
        else:
            flash(_("Strategic area saved."), "success")
            return redirect(url_for("plan.tree", year=year))
    return render_template("plan/area_edit.html", cycle=cycle, form=form, area=area,
                           delete_form=ConfirmForm(prefix="delete"))


@bp.post("/<int:year>/areas/<int:area_id>/delete")
def area_delete(year: int, area_id: int):
    cycle = cycle_or_404(year)
    area = db.get_or_404(StrategicArea, area_id)
    ensure_plan_editor(current_user)
    if area.plan.cycle_id != cycle.id:
        abort(400)
    return delete_confirmed(lambda: plan_service.delete_area(current_user, area),
                            _("Strategic area deleted."), url_for("plan.tree", year=year))


# --- objectives --------------------------------------------------------------------------


def objective_or_404(cycle: Cycle, objective_id: int) -> Objective:
    objective = db.get_or_404(Objective, objective_id)
    if objective.plan.cycle_id != cycle.id:
        abort(404)
    return objective


def _objective_choices(form: ObjectiveForm, cycle: Cycle, objective: Objective | None) -> None:
    plan = cycle.plan
    form.parent_id.choices = [(0, _("(none)"))] + [
        (o.id, f"{o.code} · {o.title}") for o in plan.objectives
        if o.is_strategic and (objective is None or o.id != objective.id)
    ]
    form.area_id.choices = [(0, _("(none)"))] + [(a.id, f"{a.code} · {a.title}")
                                                  for a in plan.areas]
    unit_picker(form, "owner_unit_id", "owner_unit_code",
                objective.owner_unit_id if objective else None, none_label=_("(none)"))


@bp.get("/<int:year>/objectives/<int:objective_id>")
def objective_view(year: int, objective_id: int):
    cycle = cycle_or_404(year)
    objective = objective_or_404(cycle, objective_id)
    ensure_can_see_objective(current_user, objective)
    scores = plan_scores.achievements(cycle)
    return render_template(
        "plan/objective.html", cycle=cycle, objective=objective,
        scores=scores, explained=achievement_explanations.of_plan(cycle, scores),
        rule_of=rule_describer(cycle),
        outcome=outcome_labeller(cycle),
        visible=visible_objective_ids(current_user, objective.plan),
        can_edit=is_plan_editor(current_user) and objective.plan.editable,
        can_measure=lambda i: can_measure(current_user, i) and objective.plan.ever_approved,
    )


@bp.route("/<int:year>/objectives/new", methods=["GET", "POST"])
@bp.route("/<int:year>/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
def objective_edit(year: int, objective_id: int | None = None):
    cycle = cycle_or_404(year)
    objective = objective_or_404(cycle, objective_id) if objective_id else None
    if editable_plan(cycle) is None:
        return redirect(url_for("plan.tree", year=year))
    form = ObjectiveForm(obj=objective)
    _objective_choices(form, cycle, objective)
    if request.method == "GET":
        if objective is not None:
            form.parent_id.data = objective.parent_id or 0
            form.area_id.data = objective.area_id or 0
        else:
            parent = request.args.get("parent", type=int) or 0
            form.parent_id.data, form.area_id.data = parent, request.args.get("area", 0, int)
            if parent:
                form.level.data = ObjectiveLevel.OPERATIONAL.value
    if form.validate_on_submit() and (owner := picked_unit(
            form, "owner_unit_id", "owner_unit_code")) is not NO_UNIT:
        data = fields.ObjectiveData(
            level=form.level.data, code=form.code.data, title=form.title.data,
            description=form.description.data, parent_id=form.parent_id.data or None,
            area_id=form.area_id.data or None, owner_unit_id=owner,
            weight=form.weight.data if form.weight.data is not None else None,
            mission_code=form.mission_code.data or None,
            programme_code=form.programme_code.data or None, budget=form.budget.data,
        )
        try:
            saved = plan_service.save_objective(current_user, cycle, data, objective)
            db.session.commit()
        except PlanError as exc:
            db.session.rollback()
            flash_errors(exc)
        else:
            flash(_("Objective saved."), "success")
            return redirect(url_for("plan.objective_view", year=year, objective_id=saved.id))
    return render_template("plan/objective_edit.html", cycle=cycle, form=form,
                           objective=objective, delete_form=ConfirmForm(prefix="delete"))


@bp.post("/<int:year>/objectives/<int:objective_id>/delete")
def objective_delete(year: int, objective_id: int):
    cycle = cycle_or_404(year)
    objective = objective_or_404(cycle, objective_id)
    ensure_plan_editor(current_user)
    return delete_confirmed(lambda: plan_service.delete_objective(current_user, objective),
                            _("Objective deleted."), url_for("plan.tree", year=year))
