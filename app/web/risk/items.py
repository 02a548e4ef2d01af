"""The pages of one risk and one measure of a year's register: read by everyone in the
section, created, changed and deleted by the RPCT while the year is a draft."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models.risk_register import RiskItem, RiskMeasure, RiskYear
from app.services.risk import measures as measure_service
from app.services.risk import process_map
from app.services.risk import register as register_service
from app.services.risk.access import can_edit, ensure_editor
from app.services.risk.errors import RiskError
from app.web.risk.forms import ItemForm, MeasureForm
from app.web.risk.views import bp, refused, year_or_404
from app.web.unit_fields import NO_UNIT, picked_unit, unit_picker


def _item(year: RiskYear, item_id: int) -> RiskItem:
    item = db.session.get(RiskItem, item_id)
    if item is None or item.year_id != year.id:
        abort(404)
    return item


def _item_form(year: RiskYear, item: RiskItem | None) -> ItemForm:
    form = ItemForm(obj=item)
    processes = process_map.processes(year.cycle.administration_id)
    form.process_id.choices = [(p.id, f"{p.code} {p.name}") for p in processes]
    form.phase_id.choices = [(None, "-")] + [
        (ph.id, f"{p.code} · {ph.position}. {ph.name}") for p in processes for ph in p.phases]
    return form


def _item_data(form: ItemForm) -> register_service.ItemData:
    return register_service.ItemData(
        code=form.code.data, process_id=form.process_id.data, phase_id=form.phase_id.data,
        event=form.event.data, factors=form.factors.data, analysis=form.analysis.data,
        probability=form.probability.data, impact=form.impact.data,
        judgement=form.judgement.data)


@bp.route("/<int:year>/risks/new", methods=["GET", "POST"], endpoint="new_item")
@bp.route("/<int:year>/risks/<int:item_id>", methods=["GET", "POST"], endpoint="item")
def item_page(year: int, item_id: int | None = None):
    risk_year = year_or_404(year)
    item = _item(risk_year, item_id) if item_id is not None else None
    form = _item_form(risk_year, item)
    if request.method == "POST":
        ensure_editor(current_user)
        if form.validate_on_submit():
            try:
                register_service.save_item(current_user, risk_year, _item_data(form), item)
                db.session.commit()
                flash(_("Risk saved."), "success")
                return redirect(url_for("risk.register", year=year))
            except RiskError as exc:
                refused(exc)
        return render_template("risk/item.html", year=risk_year, item=item, form=form,
                               can_edit=True), 422
    return render_template("risk/item.html", year=risk_year, item=item, form=form,
                           band=register_service.band(item) if item else None,
                           can_edit=can_edit(current_user))


@bp.post("/<int:year>/risks/<int:item_id>/delete")
def delete_item(year: int, item_id: int):
    ensure_editor(current_user)
    risk_year = year_or_404(year)
    try:
        register_service.delete_item(current_user, _item(risk_year, item_id))
        db.session.commit()
        flash(_("Risk deleted."), "success")
    except RiskError as exc:
        refused(exc)
    return redirect(url_for("risk.register", year=year))


def _measure(year: RiskYear, measure_id: int) -> RiskMeasure:
    measure = db.session.get(RiskMeasure, measure_id)
    if measure is None or measure.year_id != year.id:
        abort(404)
    return measure


def _measure_form(year: RiskYear, measure: RiskMeasure | None) -> MeasureForm:
    form = MeasureForm(obj=measure, data=None if request.method == "POST" or measure is None
                       else {"item_ids": [i.id for i in measure.items]})
    unit_picker(form, "owner_unit_id", "owner_unit_code",
                measure.owner_unit_id if measure else None, none_label="-", none_value=None,
                label=lambda u: f"{u.code} {u.name}")
    form.objective_id.choices = [(None, "-")] + [
        (o.id, f"{o.code} {o.title}") for o in measure_service.tagged_objectives(year)]
    form.item_ids.choices = [(i.id, f"{i.code} {i.event[:80]}") for i in year.items]
    return form


@bp.get("/<int:year>/measures")
def measures(year: int):
    risk_year = year_or_404(year)
    return render_template("risk/measures.html", year=risk_year,
                           achievement=measure_service.objective_achievement,
                           can_edit=can_edit(current_user))


@bp.route("/<int:year>/measures/new", methods=["GET", "POST"], endpoint="new_measure")
@bp.route("/<int:year>/measures/<int:measure_id>", methods=["GET", "POST"], endpoint="measure")
def measure_page(year: int, measure_id: int | None = None):
    risk_year = year_or_404(year)
    measure = _measure(risk_year, measure_id) if measure_id is not None else None
    form = _measure_form(risk_year, measure)
    if request.method == "POST":
        ensure_editor(current_user)
        if form.validate_on_submit() and (owner := picked_unit(
                form, "owner_unit_id", "owner_unit_code")) is not NO_UNIT:
            try:
                measure_service.save_measure(current_user, risk_year, measure_service.MeasureData(
                    code=form.code.data, name=form.name.data, kind=form.kind.data,
                    description=form.description.data, owner_unit_id=owner,
                    deadline=form.deadline.data, indicator=form.indicator.data,
                    target=form.target.data, objective_id=form.objective_id.data,
                    item_ids=tuple(form.item_ids.data or ())), measure)
                db.session.commit()
                flash(_("Measure saved."), "success")
                return redirect(url_for("risk.measures", year=year))
            except RiskError as exc:
                refused(exc)
        return render_template("risk/measure.html", year=risk_year, measure=measure, form=form,
                               can_edit=True), 422
    return render_template("risk/measure.html", year=risk_year, measure=measure, form=form,
                           can_edit=can_edit(current_user))
