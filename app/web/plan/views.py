"""The plan's blueprint and its first pages: the cycles, the objective tree with weights and
achievements, import and export; the helpers every plan page shares (the cycle of a
year, the labels and formats of the templates). The other pages register on the same
blueprint: strategic areas and objectives (objectives), indicators and their values
(indicators), approval and revisions (revisions). Views parse and authorize;
app.services.plan acts."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.formats.tables import format_decimal
from app.formats.values import TYPE_LABELS, UNIT_LABELS, display_value, format_value
from app.models.plan import Cycle, Plan, PlanStatus, decode_value
from app.services.org.units import default_administration_id
from app.services.plan import adoption, import_jobs, rules
from app.services.plan import cycles as plan_cycles
from app.services.plan import export as plan_export
from app.services.plan import scores as plan_scores
from app.services.plan.access import (
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
from app.web.plan.forms import CycleForm
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


def plan_view(cycle: Cycle) -> Plan:
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
    plan = plan_view(cycle)
    ensure_can_see_plan(current_user, plan)
    visible = visible_objective_ids(current_user, plan)
    scores = plan_scores.achievements(cycle)
    return render_template(
        "plan/tree.html", cycle=cycle, plan=plan, visible=visible,
        scores=scores, explained=achievement_explanations.of_plan(cycle, scores),
        rule_of=rule_describer(cycle),
        can_edit=is_plan_editor(current_user) and plan.editable,
        problems=adoption.plan_problems(plan) if is_plan_editor(current_user) else [],
        weight_notes=adoption.weight_notes(plan),
    )


def rule_describer(cycle: Cycle):
    """rule_of(indicator): the rule the indicator is scored by, in words."""
    systems = Systems.of_cycle(cycle)
    return lambda indicator: rules.describe(indicator, systems.of_objective(indicator.objective))


def outcome_labeller(cycle: Cycle):
    """(objective, achievement) -> "Raggiunto" / "Parzialmente raggiunto" / "Non
    raggiunto" by the outcome limits of the system scoring that objective."""
    systems = Systems.of_cycle(cycle)

    def label(objective, achievement) -> str:
        return outcome_label(systems.of_objective(objective).outcomes.of(achievement))

    return label


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
