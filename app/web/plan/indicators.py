"""The plan's indicators: editing one (its rule and the targets of the horizon) while the
plan is editable, and the values recorded against the adopted plan (monitoring, year-end
actual, neutralisation). Views parse and authorize; app.services.plan acts."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.formats.values import format_value, parse_actual, parse_steps, parse_value
from app.models.plan import Cycle, Indicator
from app.services.plan import fields, measurement, rules
from app.services.plan import operations as plan_service
from app.services.plan import scores as plan_scores
from app.services.plan import system as smvp
from app.services.plan.access import ensure_can_measure, ensure_plan_editor
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems
from app.web.plan import targets as horizon_targets
from app.web.plan.forms import ActualForm, ConfirmForm, MonitoringForm, NeutraliseForm
from app.web.plan.objectives import delete_confirmed, editable_plan, objective_or_404
from app.web.plan.views import bp, cycle_or_404, flash_errors, outcome_labeller


def _indicator(cycle: Cycle, indicator_id: int) -> Indicator:
    indicator = db.get_or_404(Indicator, indicator_id)
    if indicator.objective.plan.cycle_id != cycle.id:
        abort(404)
    return indicator


ACTUAL_FIELDS = ("actual", "monitoring_value", "monitoring_forecast")


def _parse_values(form, unit: str, names) -> dict | None:
    """Typed values of the named text fields, or None after marking the fields in error."""
    values, ok = {}, True
    for name in names:
        field = getattr(form, name)
        try:
            parse = parse_actual if name in ACTUAL_FIELDS else parse_value
            values[name] = parse(field.data or "", unit)
        except ValueError as exc:
            field.errors = [*field.errors, str(exc)]
            ok = False
    return values if ok else None


def _parse_steps(form):
    """The stored steps table of the form's text, None for none, False after marking the
    field in error."""
    try:
        return rules.steps_to_json(parse_steps(form.steps.data or "", form.unit.data))
    except ValueError as exc:
        form.steps.errors = [*form.steps.errors, str(exc)]
        return False


@bp.route("/<int:year>/objectives/<int:objective_id>/indicators/new", methods=["GET", "POST"])
@bp.route("/<int:year>/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
def indicator_edit(year: int, objective_id: int | None = None, indicator_id: int | None = None):
    cycle = cycle_or_404(year)
    indicator = _indicator(cycle, indicator_id) if indicator_id else None
    objective = indicator.objective if indicator else objective_or_404(cycle, objective_id)
    if editable_plan(cycle) is None:
        return redirect(url_for("plan.objective_view", year=year, objective_id=objective.id))
    form = horizon_targets.indicator_form(cycle)(obj=indicator)
    default = Systems.of_cycle(cycle).of_objective(objective).default_method
    form.method.choices = [("", _("System default (%(method)s)",
                                  method=rules.method_label(default)))] + [
        (m, rules.method_label(m)) for m in sorted(smvp.known_methods())
    ]
    if request.method == "GET" and indicator is not None:
        for name in ("baseline", "threshold"):
            getattr(form, name).data = format_value(getattr(indicator, name))
        horizon_targets.fill(form, indicator, cycle)
        form.method.data = indicator.method or ""
        form.source.data = indicator.source or ""
        form.steps.data = rules.format_steps(rules.steps_from_json(indicator.steps) or [])
    if form.validate_on_submit():
        values = _parse_values(form, form.unit.data, ("baseline", "threshold"))
        targets = horizon_targets.read(form, form.unit.data, cycle)
        steps = _parse_steps(form)
        if values is not None and targets is not None and steps is not False:
            own, later = targets
            data = fields.IndicatorData(
                code=form.code.data, name=form.name.data, unit=form.unit.data,
                direction=form.direction.data, weight=form.weight.data, type=form.type.data,
                algorithm=form.algorithm.data, data_source=form.data_source.data,
                method=form.method.data or None, notes=form.notes.data,
                ratio_cap=form.ratio_cap.data, credit_per_day_late=form.credit_per_day_late.data,
                steps=steps, source=form.source.data or None,
                baseline_year=form.baseline_year.data,
                target=own.value if own else None, target_rule=own.rule if own else None,
                later_targets=later, **values,
            )
            try:
                plan_service.save_indicator(current_user, objective, data, indicator)
                db.session.commit()
            except PlanError as exc:
                db.session.rollback()
                flash_errors(exc)
            else:
                flash(_("Indicator saved."), "success")
                return redirect(url_for("plan.objective_view", year=year,
                                        objective_id=objective.id))
    return render_template("plan/indicator_edit.html", cycle=cycle, form=form,
                           objective=objective, indicator=indicator,
                           later_fields=horizon_targets.later_fields(form, cycle),
                           delete_form=ConfirmForm(prefix="delete"))


@bp.post("/<int:year>/indicators/<int:indicator_id>/delete")
def indicator_delete(year: int, indicator_id: int):
    cycle = cycle_or_404(year)
    indicator = _indicator(cycle, indicator_id)
    ensure_plan_editor(current_user)
    return delete_confirmed(
        lambda: plan_service.delete_indicator(current_user, indicator), _("Indicator deleted."),
        url_for("plan.objective_view", year=year, objective_id=indicator.objective_id))


@bp.route("/<int:year>/indicators/<int:indicator_id>/values", methods=["GET", "POST"])
def indicator_values(year: int, indicator_id: int):
    """Monitoring value and forecast, year-end actual, neutralisation."""
    cycle = cycle_or_404(year)
    indicator = _indicator(cycle, indicator_id)
    ensure_can_measure(current_user, indicator)
    forms = {
        "monitoring": MonitoringForm(prefix="monitoring"),
        "actual": ActualForm(prefix="actual"),
        "neutralise": NeutraliseForm(prefix="neutralise"),
        "reinstate": ConfirmForm(prefix="reinstate"),
    }
    if request.method == "GET":
        for name in ("monitoring_value", "monitoring_forecast"):
            getattr(forms["monitoring"], name).data = format_value(getattr(indicator, name))
        forms["monitoring"].at_risk.data = indicator.at_risk
        forms["monitoring"].monitoring_note.data = indicator.monitoring_note
        forms["actual"].actual.data = format_value(indicator.actual)
    action = request.form.get("action")
    if (request.method == "POST" and action in forms and forms[action].validate_on_submit()
            and _record(action, forms[action], indicator)):
        return redirect(url_for("plan.indicator_values", year=year, indicator_id=indicator.id))
    return render_template("plan/indicator_values.html", cycle=cycle, indicator=indicator,
                           forms=forms, scores=plan_scores.achievements(cycle),
                           outcome=outcome_labeller(cycle))


def _record(action: str, form, indicator: Indicator) -> bool:
    try:
        if action == "monitoring":
            values = _parse_values(form, indicator.unit, ("monitoring_value", "monitoring_forecast"))
            if values is None:
                return False
            measurement.record_monitoring(
                current_user, indicator, values["monitoring_value"], values["monitoring_forecast"],
                form.at_risk.data, form.monitoring_note.data)
        elif action == "actual":
            values = _parse_values(form, indicator.unit, ("actual",))
            if values is None:
                return False
            measurement.record_actual(current_user, indicator, values["actual"])
        elif action == "neutralise":
            measurement.neutralise(current_user, indicator, form.reason.data)
        else:
            measurement.reinstate(current_user, indicator)
        db.session.commit()
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
        return False
    flash(_("Saved."), "success")
    return True
