"""The plan screens: the objective tree with weights and achievements, editing while the
plan is a draft, values against the adopted plan, approval and revisions, import and
export. Views parse and authorize; app.services.plan acts."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.formats.tables import format_decimal
from app.formats.values import (
    TYPE_LABELS,
    UNIT_LABELS,
    display_value,
    format_value,
    parse_actual,
    parse_steps,
    parse_value,
)
from app.models.org import OrgUnit, Role
from app.models.plan import (
    Cycle,
    Indicator,
    Objective,
    ObjectiveLevel,
    Plan,
    PlanStatus,
    StrategicArea,
    decode_value,
)
from app.services.org.permissions import require_role
from app.services.org.units import default_administration_id
from app.services.plan import adoption, fields, import_jobs, measurement, rules
from app.services.plan import cycles as plan_cycles
from app.services.plan import export as plan_export
from app.services.plan import operations as plan_service
from app.services.plan import scores as plan_scores
from app.services.plan import system as smvp
from app.services.plan.access import (
    can_measure,
    ensure_can_measure,
    ensure_can_see_objective,
    ensure_can_see_plan,
    ensure_plan_editor,
    is_plan_editor,
    sees_whole_plan,
    visible_objective_ids,
)
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems
from app.services.reports import achievement_explanations
from app.services.reports.figures import outcome_label
from app.web.plan import targets as horizon_targets
from app.web.plan.forms import (
    ActualForm,
    AreaForm,
    ConfirmForm,
    CycleForm,
    DeliberationForm,
    MonitoringForm,
    NeutraliseForm,
    ObjectiveForm,
    OpinionForm,
    RevisionForm,
)
from app.web.uploads import background_import_page

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.app_errorhandler(PlanError)
def _refused(error: PlanError):
    """A figure the rules refuse to compute (systems that differ on how to combine two
    parts) is answered with the reason, never a server error."""
    db.session.rollback()
    return render_template("errors/refused.html", messages=error.messages), 409


@bp.before_request
@login_required
def _signed_in():
    """Every plan page needs a signed-in user; each view checks the rest."""


@bp.app_context_processor
def _plan_helpers():
    return {"show": display_value, "unit_label": lambda u: str(UNIT_LABELS.get(u, u)),
            "type_label": lambda t: str(TYPE_LABELS.get(t, t)), "pct": percent,
            "number": number, "plan_status_label": lambda s: str(PLAN_STATUS_LABELS.get(s, s)),
            "change_kind_label": lambda k: str(CHANGE_LABELS.get(k, k)),
            "change_action_label": lambda a: str(CHANGE_LABELS.get(a, a)),
            "change_field_label": lambda f: str(FIELD_LABELS.get(f, f or "")),
            "snapshot_value": snapshot_value, "target_lines": horizon_targets.lines}


PLAN_STATUS_LABELS = {"draft": _l("Draft"), "approved": _l("Approved"),
                      "revising": _l("Revision open")}
CHANGE_LABELS = {"area": _l("Strategic area"), "objective": _l("Objective"),
                 "indicator": _l("Indicator"), "added": _l("added"), "removed": _l("removed"),
                 "changed": _l("changed")}
FIELD_LABELS = {
    "title": _l("title"), "name": _l("name"), "description": _l("description"),
    "weight": _l("weight"), "target": _l("target"), "threshold": _l("threshold"),
    "baseline": _l("baseline"), "baseline_year": _l("baseline year"),
    "later_targets": _l("targets of the following years"), "direction": _l("direction"), "unit": _l("unit"),
    "type": _l("type"), "method": _l("scoring method"), "algorithm": _l("algorithm"),
    "data_source": _l("data source"), "notes": _l("notes"), "objective": _l("objective"),
    "parent": _l("strategic objective"), "area": _l("strategic area"),
    "owner_unit": _l("owner unit"), "level": _l("level"), "mission_code": _l("mission"),
    "programme_code": _l("programme"), "budget": _l("budget"),
}
_VALUE_FIELDS = {"weight", "budget", "target", "threshold", "baseline"}


def percent(value: Decimal | None) -> str:
    """An achievement for display: 2 decimals, rounded half up, or a dash."""
    return "—" if value is None else f"{format_decimal(value, 2)}%"


def number(value: Decimal | None, places: int | None = None) -> str:
    return "" if value is None else format_decimal(value, places)


def snapshot_value(field: str | None, text: str | None) -> str:
    """A value of a revision snapshot (canonical text) in Italian form."""
    if text is None:
        return ""
    return format_value(decode_value(text)) if field in _VALUE_FIELDS else text


def _administration_id() -> int:
    unit = current_user.unit
    return unit.administration_id if unit is not None else default_administration_id()


def cycle_or_404(year: int) -> Cycle:
    cycle = plan_cycles.cycle_by_year(_administration_id(), year)
    if cycle is None:
        abort(404)
    return cycle


def _plan_view(cycle: Cycle) -> Plan:
    """The cycle's plan to show; an empty draft (not stored) while it has none, so that
    reading never writes."""
    return cycle.plan or Plan(status=PlanStatus.DRAFT.value)


def flash_errors(exc: PlanError) -> None:
    for message in exc.messages:
        flash(message, "danger")


@bp.get("/")
def index():
    cycles = db.session.execute(
        select(Cycle).where(Cycle.administration_id == _administration_id())
        .order_by(Cycle.year.desc())
    ).scalars().all()
    return render_template("plan/index.html", cycles=cycles, form=CycleForm(),
                           can_create=is_plan_editor(current_user))


@bp.post("/cycles")
def create_cycle():
    ensure_plan_editor(current_user)
    form = CycleForm()
    if not form.validate_on_submit():
        flash(_("Give a year between 2000 and 2100."), "danger")
        return redirect(url_for("plan.index"))
    try:
        cycle = plan_cycles.create_cycle(current_user, _administration_id(), form.year.data)
        db.session.commit()
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
        return redirect(url_for("plan.index"))
    flash(_("Cycle %(year)d created.", year=cycle.year), "success")
    return redirect(url_for("plan.tree", year=cycle.year))


@bp.get("/<int:year>")
def tree(year: int):
    cycle = cycle_or_404(year)
    plan = _plan_view(cycle)
    ensure_can_see_plan(current_user, plan)
    visible = visible_objective_ids(current_user, plan)
    scores = plan_scores.achievements(cycle)
    return render_template(
        "plan/tree.html", cycle=cycle, plan=plan, visible=visible,
        scores=scores, explained=achievement_explanations.of_plan(cycle, scores),
        rule_of=_rule_describer(cycle),
        can_edit=is_plan_editor(current_user) and plan.editable,
        problems=adoption.plan_problems(plan) if is_plan_editor(current_user) else [],
        weight_notes=adoption.weight_notes(plan),
    )


def _rule_describer(cycle: Cycle):
    """rule_of(indicator): the rule the indicator is scored by, in words."""
    systems = Systems.of_cycle(cycle)
    return lambda indicator: rules.describe(indicator, systems.of_objective(indicator.objective))


# --- strategic areas ---------------------------------------------------------------------

def _editable_plan(cycle: Cycle):
    ensure_plan_editor(current_user)
    plan = plan_cycles.ensure_plan(cycle)
    if not plan.editable:
        flash(_("The plan is approved and frozen: open a revision to change it."), "warning")
        return None
    return plan


@bp.route("/<int:year>/areas/new", methods=["GET", "POST"])
@bp.route("/<int:year>/areas/<int:area_id>", methods=["GET", "POST"])
def area_edit(year: int, area_id: int | None = None):
    cycle = cycle_or_404(year)
    area = db.get_or_404(StrategicArea, area_id) if area_id else None
    if area is not None and area.plan.cycle_id != cycle.id:
        abort(404)
    if _editable_plan(cycle) is None:
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
    if area.plan.cycle_id != cycle.id or not ConfirmForm(prefix="delete").validate_on_submit():
        abort(400)
    try:
        plan_service.delete_area(current_user, area)
        db.session.commit()
        flash(_("Strategic area deleted."), "success")
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
    return redirect(url_for("plan.tree", year=year))


# --- objectives --------------------------------------------------------------------------

def _objective(cycle: Cycle, objective_id: int) -> Objective:
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
    units = db.session.execute(
        select(OrgUnit).where(OrgUnit.administration_id == cycle.administration_id)
        .order_by(OrgUnit.code)
    ).scalars()
    form.owner_unit_id.choices = [(0, _("(none)"))] + [(u.id, f"{u.code} · {u.name}")
                                                        for u in units]


@bp.get("/<int:year>/objectives/<int:objective_id>")
def objective_view(year: int, objective_id: int):
    cycle = cycle_or_404(year)
    objective = _objective(cycle, objective_id)
    ensure_can_see_objective(current_user, objective)
    scores = plan_scores.achievements(cycle)
    return render_template(
        "plan/objective.html", cycle=cycle, objective=objective,
        scores=scores, explained=achievement_explanations.of_plan(cycle, scores),
        rule_of=_rule_describer(cycle),
        outcome=_outcome_labeller(cycle),
        visible=visible_objective_ids(current_user, objective.plan),
        can_edit=is_plan_editor(current_user) and objective.plan.editable,
        can_measure=lambda i: can_measure(current_user, i) and objective.plan.ever_approved,
    )


@bp.route("/<int:year>/objectives/new", methods=["GET", "POST"])
@bp.route("/<int:year>/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
def objective_edit(year: int, objective_id: int | None = None):
    cycle = cycle_or_404(year)
    objective = _objective(cycle, objective_id) if objective_id else None
    if _editable_plan(cycle) is None:
        return redirect(url_for("plan.tree", year=year))
    form = ObjectiveForm(obj=objective)
    _objective_choices(form, cycle, objective)
    if request.method == "GET":
        if objective is not None:
            form.parent_id.data = objective.parent_id or 0
            form.area_id.data = objective.area_id or 0
            form.owner_unit_id.data = objective.owner_unit_id or 0
        else:
            parent = request.args.get("parent", type=int) or 0
            form.parent_id.data, form.area_id.data = parent, request.args.get("area", 0, int)
            if parent:
                form.level.data = ObjectiveLevel.OPERATIONAL.value
    if form.validate_on_submit():
        data = fields.ObjectiveData(
            level=form.level.data, code=form.code.data, title=form.title.data,
            description=form.description.data, parent_id=form.parent_id.data or None,
            area_id=form.area_id.data or None, owner_unit_id=form.owner_unit_id.data or None,
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
    objective = _objective(cycle, objective_id)
    ensure_plan_editor(current_user)
    if not ConfirmForm(prefix="delete").validate_on_submit():
        abort(400)
    try:
        plan_service.delete_objective(current_user, objective)
        db.session.commit()
        flash(_("Objective deleted."), "success")
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
    return redirect(url_for("plan.tree", year=year))


# --- indicators --------------------------------------------------------------------------

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
    objective = indicator.objective if indicator else _objective(cycle, objective_id)
    if _editable_plan(cycle) is None:
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
    objective_id = indicator.objective_id
    ensure_plan_editor(current_user)
    if not ConfirmForm(prefix="delete").validate_on_submit():
        abort(400)
    try:
        plan_service.delete_indicator(current_user, indicator)
        db.session.commit()
        flash(_("Indicator deleted."), "success")
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
    return redirect(url_for("plan.objective_view", year=year, objective_id=objective_id))


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
                           outcome=_outcome_labeller(cycle))


def _outcome_labeller(cycle: Cycle):
    """(objective, achievement) -> "Raggiunto" / "Parzialmente raggiunto" / "Non
    raggiunto" by the outcome limits of the system scoring that objective."""
    systems = Systems.of_cycle(cycle)

    def label(objective, achievement) -> str:
        return outcome_label(systems.of_objective(objective).outcomes.of(achievement))

    return label


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


# --- approval and revisions --------------------------------------------------------------

@bp.get("/<int:year>/revisions")
def revisions(year: int):
    cycle = cycle_or_404(year)
    plan = _plan_view(cycle)
    if not sees_whole_plan(current_user, plan):
        abort(403)
    return render_template(
        "plan/revisions.html", cycle=cycle, plan=plan,
        open_revision=adoption.open_revision(plan),
        pending=adoption.pending_changes(plan) if plan.status == "revising" else [],
        problems=adoption.plan_problems(plan) if plan.editable else [],
        deliberation_form=DeliberationForm(prefix="deliberation"),
        revision_form=RevisionForm(prefix="revision"), opinion_form=OpinionForm(prefix="opinion"),
    )


def _lifecycle(year: int, action):
    cycle = cycle_or_404(year)
    try:
        action(cycle)
        db.session.commit()
    except PlanError as exc:
        db.session.rollback()
        flash_errors(exc)
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("plan.revisions", year=year))


def _deliberation() -> adoption.Deliberation:
    form = DeliberationForm(prefix="deliberation")
    if not form.validate_on_submit():
        raise PlanError(_("The Board's deliberation needs a number and a date."))
    return adoption.Deliberation(number=form.number.data, date=form.date.data)


@bp.post("/<int:year>/approve")
def approve(year: int):
    require_role(current_user, Role.BOARD)
    return _lifecycle(year, lambda c: adoption.approve_plan(current_user, c, _deliberation()))


@bp.post("/<int:year>/revisions/open")
def revision_open(year: int):
    ensure_plan_editor(current_user)
    form = RevisionForm(prefix="revision")
    reason = form.reason.data if form.validate_on_submit() else ""
    return _lifecycle(year, lambda c: adoption.create_revision(current_user, c, reason))


@bp.post("/<int:year>/revisions/opinion")
def revision_opinion(year: int):
    require_role(current_user, Role.OIV)
    form = OpinionForm(prefix="opinion")

    def act(cycle):
        if not form.validate_on_submit():
            raise PlanError(_("The OIV's opinion needs a reference and a date."))
        adoption.record_oiv_opinion(current_user, cycle, adoption.OivOpinion(
            form.reference.data, form.date.data, form.positive.data == "yes"))

    return _lifecycle(year, act)


@bp.post("/<int:year>/revisions/approve")
def revision_approve(year: int):
    require_role(current_user, Role.BOARD)
    return _lifecycle(year,
                      lambda c: adoption.approve_revision(current_user, c, _deliberation()))


@bp.get("/<int:year>/revisions/diff")
def revision_diff(year: int):
    cycle = cycle_or_404(year)
    plan = _plan_view(cycle)
    if not sees_whole_plan(current_user, plan):
        abort(403)
    old = request.args.get("old", 0, type=int)
    new = request.args.get("new", type=int)
    try:
        changes = adoption.revision_diff(plan, old, new)
    except PlanError:
        abort(404)
    return render_template("plan/diff.html", cycle=cycle, plan=plan, old=old, new=new,
                           changes=changes)


# --- import and export -------------------------------------------------------------------

@bp.route("/<int:year>/import", methods=["GET", "POST"])
def import_plan(year: int):
    cycle = cycle_or_404(year)
    ensure_plan_editor(current_user)
    return background_import_page(
        lambda name, content: import_jobs.record(import_jobs.PLAN_JOB, current_user, cycle,
                                                 name, content),
        import_jobs.status(import_jobs.PLAN_JOB, cycle),
        lambda report: _("Plan imported: %(created)d indicators added, %(updated)d updated.",
                         created=report.created, updated=report.updated),
        "plan/import.html", cycle=cycle, columns=plan_export.HEADER)


@bp.get("/<int:year>/export.<fmt>")
def export_plan(year: int, fmt: str):
    cycle = cycle_or_404(year)
    plan = cycle.plan
    if plan is None:
        abort(404)
    if not sees_whole_plan(current_user, plan):
        abort(403)
    if fmt == "csv":
        body, mimetype = plan_export.to_csv(plan), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = plan_export.to_xlsx(plan)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="piano-{year}.{fmt}"'})
