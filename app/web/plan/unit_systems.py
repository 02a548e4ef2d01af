"""Evaluation systems bound to a unit subtree (app.services.plan.unit_systems): add one
(from a preset or a copy of the default), change it as JSON, remove it. The support unit
and administrators only: these pages are 403 for everyone else. The list of a cycle's
systems is on the evaluation system page."""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit
from app.models.plan import UnitEvaluationSystem
from app.services.org import unit_search
from app.services.org.permissions import require_role
from app.services.plan import system as smvp
from app.services.plan import unit_systems as service
from app.services.plan.errors import PlanError
from app.services.plan.presets import presets
from app.web.plan.forms import ConfirmForm
from app.web.plan.system import _parse_json
from app.web.plan.views import cycle_or_404

bp = Blueprint("plan_unit_systems", __name__, url_prefix="/plan")


@bp.before_request
@login_required
def _editors_only():
    require_role(current_user, *service.EDITORS)


def _binding(cycle, binding_id: int) -> UnitEvaluationSystem:
    binding = db.session.get(UnitEvaluationSystem, binding_id)
    if binding is None or binding.cycle_id != cycle.id:
        abort(404)
    return binding


def _back(year: int):
    return redirect(url_for("plan_system.system", year=year))


@bp.post("/<int:year>/system/units")
def add(year: int):
    cycle = cycle_or_404(year)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    unit_id = request.form.get("unit_id", type=int)
    if "unit_code" in request.form:  # more units than a list shows: named by code
        unit_id = unit_search.unit_by_code(request.form["unit_code"])
        if unit_id is None:
            flash(_("No unit has this code."), "danger")
            return _back(year)
    unit = db.session.execute(select(OrgUnit).where(
        OrgUnit.id == unit_id,
        OrgUnit.administration_id == cycle.administration_id)).scalar_one_or_none()
    start = request.form.get("start", "")
    chosen = presets().get(start)
    if unit is None or (chosen is None and start != "default"):
        abort(400)
    system = chosen.system if chosen else smvp.system_for(cycle)
    name = request.form.get("name", "").strip() or (chosen.name if chosen else unit.name)
    try:
        service.add_unit_system(current_user, cycle, unit, name, system.model_dump(mode="json"),
                                request.form.get("note"))
        db.session.commit()
    except PlanError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
    else:
        flash(_("%(unit)s now has its own evaluation system.", unit=unit.name), "success")
    return _back(year)


@bp.route("/<int:year>/system/units/<int:binding_id>", methods=["GET", "POST"])
def edit(year: int, binding_id: int):
    cycle = cycle_or_404(year)
    binding = _binding(cycle, binding_id)
    form, name = ConfirmForm(), binding.name
    json_text = json.dumps(binding.data, indent=2, ensure_ascii=False)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        name, json_text = request.form.get("name", ""), request.form.get("json", "")
        data, errors = _parse_json(json_text)
        if not errors:
            try:
                service.update_unit_system(current_user, binding, name, data,
                                           request.form.get("note"))
                db.session.commit()
            except PlanError as exc:
                db.session.rollback()
                errors = exc.messages
            else:
                flash(_("Evaluation system saved."), "success")
                return _back(year)
        for message in errors:
            flash(message, "danger")
    return render_template("plan/unit_system.html", cycle=cycle, binding=binding, name=name,
                           json_text=json_text, form=form), 422 if request.method == "POST" \
        else 200


@bp.post("/<int:year>/system/units/<int:binding_id>/remove")
def remove(year: int, binding_id: int):
    cycle = cycle_or_404(year)
    binding = _binding(cycle, binding_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.remove_unit_system(current_user, binding)
        db.session.commit()
    except PlanError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
    else:
        flash(_("The unit's own evaluation system was removed."), "success")
    return _back(year)
