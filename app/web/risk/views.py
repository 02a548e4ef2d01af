"""The risk section's pages: the years, the register with its heat map (per unit and
area), its import and export, the settings (scales and bands), the checks table, the
managers' reports, the process map, the PIAO tags of objectives and the RPCT's report.
Everyone in the section reads (app.services.risk.access.READERS); the RPCT and the
administrator change; anyone else gets 403."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.engine import clock
from app.extensions import db
from app.formats.tables import format_decimal, parse_decimal
from app.models.plan import Cycle, Objective
from app.models.risk_register import RiskYear
from app.services.org.units import default_administration_id
from app.services.plan.cycles import cycle_by_year
from app.services.risk import (
    checks,
    cycle,
    labels,
    measures,
    monitoring,
    process_map,
    register_io,
    years,
)
from app.services.risk import register as register_service
from app.services.risk.access import can_edit, ensure_editor, ensure_reader
from app.services.risk.errors import RiskError
from app.services.transparency import grid
from app.web.reports.downloads import XLSX, download
from app.web.risk.forms import AreaForm, CheckForm, ProcessForm, SettingsForm, StartForm, TagsForm
from app.web.unit_fields import NO_UNIT, picked_unit, unit_picker
from app.web.uploads import import_page

bp = Blueprint("risk", __name__, url_prefix="/rischi")


@bp.before_request
@login_required
def _readers_only():
    ensure_reader(current_user)


@bp.app_context_processor
def _labels():
    """The section's labels, and the measures carried by a plan's objective (shown on the
    objective's page, so a measure's achievement reads in both places)."""
    return {"risk_labels": labels, "risk_measures_of": measures.measures_of_objective}


def administration_id() -> int:
    unit = current_user.unit
    return unit.administration_id if unit is not None else default_administration_id()


def year_or_404(year: int) -> RiskYear:
    found = cycle_by_year(administration_id(), year)
    risk_year = years.year_of(found) if found is not None else None
    if risk_year is None:
        abort(404)
    return risk_year


def refused(exc: RiskError) -> None:
    db.session.rollback()
    for message in exc.messages:
        flash(message, "danger")


@bp.get("/")
def index():
    cycles = db.session.execute(select(Cycle).where(
        Cycle.administration_id == administration_id()).order_by(Cycle.year.desc())).scalars()
    rows = [(c, years.year_of(c)) for c in cycles]
    late = len(grid.late(administration_id(), clock.now().date()))
    return render_template("risk/index.html", rows=rows, form=StartForm(), late=late,
                           instance_of=cycle.instance_of, can_edit=can_edit(current_user))


@bp.post("/start")
def start():
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    ensure_editor(current_user)
    found = cycle_by_year(administration_id(), form.year.data)
    if found is None:
        flash(_("There is no cycle of %(year)d: the support unit creates it first.",
                year=form.year.data), "danger")
        return redirect(url_for("risk.index"))
    try:
        cycle.start(current_user, found)
        db.session.commit()
    except RiskError as exc:
        refused(exc)
        return redirect(url_for("risk.index"))
    flash(_("The corruption-risk process of %(year)d has started: the first task is in your "
            "inbox.", year=found.year), "success")
    return redirect(url_for("risk.register", year=found.year))


def _int_arg(name: str) -> int | None:
    return request.args.get(name, type=int)


@bp.get("/<int:year>/")
def register(year: int):
    risk_year = year_or_404(year)
    unit_id, area_id = _int_arg("unit"), _int_arg("area")
    rows = register_service.items(risk_year, unit_id, area_id)
    units = sorted({i.process.unit for i in risk_year.items}, key=lambda u: u.code)
    return render_template(
        "risk/register.html", year=risk_year, rows=rows, units=units, unit_id=unit_id,
        areas=years.areas_of(risk_year.cycle.administration_id), area_id=area_id,
        heat=register_service.heat_map(risk_year, rows), band=register_service.band,
        bands=register_service.band_counts(rows), can_edit=can_edit(current_user))


@bp.get("/<int:year>/register.<fmt>")
def export(year: int, fmt: str):
    risk_year = year_or_404(year)
    if fmt == "csv":
        return download(register_io.to_csv(risk_year), "text/csv; charset=utf-8",
                        f"registro-rischi-{year}.csv")
    if fmt == "xlsx":
        return download(register_io.to_xlsx(risk_year), XLSX, f"registro-rischi-{year}.xlsx")
    abort(404)


@bp.route("/<int:year>/import", methods=["GET", "POST"])
def import_register(year: int):
    ensure_editor(current_user)
    risk_year = year_or_404(year)
    return import_page(
        lambda name, content: register_io.import_file(current_user, risk_year, name, content),
        lambda report: _("Register imported: %(created)d risks added, %(updated)d updated.",
                         created=report.created, updated=report.updated),
        url_for("risk.register", year=year), "risk/import.html", year=risk_year,
        columns=register_io.HEADER)


# A method's bands, lowest first; the settings give only their upper bounds.
METHOD_BANDS = {"four_bands": ("low", "medium", "medium_high", "high"),
                "three_bands": ("low", "medium", "high")}


def _bands_text(bands) -> str:
    return "; ".join(format_decimal(upper) for upper, _code in bands)


def _parse_bands(method: str, text: str):
    codes = METHOD_BANDS[method]
    try:
        uppers = [parse_decimal(part.strip()) for part in text.split(";") if part.strip()]
    except ValueError:
        uppers = []
    if len(uppers) != len(codes):
        raise RiskError(_("Give %(count)d upper bounds separated by semicolons.",
                          count=len(codes)))
    return tuple(zip(uppers, codes, strict=True))


@bp.route("/<int:year>/settings", methods=["GET", "POST"])
def settings(year: int):
    risk_year = year_or_404(year)
    form = SettingsForm(data={
        "probability_max": risk_year.probability_max, "impact_max": risk_year.impact_max,
        "four_bands": _bands_text(years.bands(risk_year, "four_bands")),
        "three_bands": _bands_text(years.bands(risk_year, "three_bands"))})
    if request.method == "POST":
        ensure_editor(current_user)
        if form.validate_on_submit():
            try:
                years.configure(current_user, risk_year, form.probability_max.data,
                                form.impact_max.data,
                                {m: _parse_bands(m, getattr(form, m).data) for m in METHOD_BANDS})
                db.session.commit()
                flash(_("Settings saved."), "success")
                return redirect(url_for("risk.settings", year=year))
            except RiskError as exc:
                refused(exc)
        return render_template("risk/settings.html", year=risk_year, form=form,
                               area_form=AreaForm(), can_edit=True,
                               areas=years.areas_of(risk_year.cycle.administration_id)), 422
    return render_template("risk/settings.html", year=risk_year, form=form,
                           areas=years.areas_of(risk_year.cycle.administration_id),
                           area_form=AreaForm(), can_edit=can_edit(current_user))


@bp.post("/<int:year>/areas")
def save_area(year: int):
    """Add a risk area or change one's name and band method (the code says which)."""
    ensure_editor(current_user)
    risk_year = year_or_404(year)
    form = AreaForm()
    if not form.validate_on_submit():
        flash(_("Give the area's code, its name and its band method."), "danger")
        return redirect(url_for("risk.settings", year=year))
    try:
        years.save_area(current_user, risk_year.cycle.administration_id, form.code.data,
                        form.name.data, form.method.data)
        db.session.commit()
        flash(_("Risk area saved."), "success")
    except RiskError as exc:
        refused(exc)
    return redirect(url_for("risk.settings", year=year))


@bp.route("/<int:year>/checks", methods=["GET", "POST"])
def checks_table(year: int):
    risk_year = year_or_404(year)
    form = CheckForm()
    if request.method == "POST":
        ensure_editor(current_user)
        if form.validate_on_submit():
            try:
                checks.save_check(current_user, risk_year, checks.CheckData(
                    form.process_name.data, form.measure_code.data, form.method.data,
                    form.periodicity.data))
                db.session.commit()
                return redirect(url_for("risk.checks_table", year=year))
            except RiskError as exc:
                refused(exc)
    return render_template("risk/checks.html", year=risk_year, form=form,
                           can_edit=can_edit(current_user)), 422 if form.errors else 200


@bp.get("/<int:year>/reports")
def reports(year: int):
    risk_year = year_or_404(year)
    rounds = {r: monitoring.reports_of(risk_year, r) for r in labels.ROUND_LABELS}
    return render_template("risk/reports.html", year=risk_year, rounds=rounds,
                           report=cycle.report_of(risk_year))


@bp.get("/<int:year>/rpct-report.pdf")
def rpct_report(year: int):
    report = cycle.report_of(year_or_404(year))
    if report is None or report.pdf is None:
        abort(404)
    return download(report.pdf, "application/pdf", f"relazione-rpct-{year}.pdf")


@bp.route("/map", methods=["GET", "POST"])
def process_map_page():
    admin_id = administration_id()
    form = ProcessForm()
    unit_picker(form, "unit_id", "unit_code", None, label=lambda u: f"{u.code} {u.name}")
    form.area_id.choices = [(a.id, f"{a.code} {a.name}") for a in years.areas_of(admin_id)]
    if request.method == "POST":
        ensure_editor(current_user)
        if form.validate_on_submit() and (unit_id := picked_unit(
                form, "unit_id", "unit_code", required=True)) is not NO_UNIT:
            try:
                process_map.add_process(current_user, admin_id, process_map.ProcessData(
                    form.code.data, form.name.data, unit_id, form.area_id.data,
                    form.phases.data or ""))
                db.session.commit()
                return redirect(url_for("risk.process_map_page"))
            except RiskError as exc:
                refused(exc)
    return render_template("risk/map.html", processes=process_map.processes(admin_id),
                           form=form, can_edit=can_edit(current_user)), 422 if form.errors else 200


@bp.route("/<int:year>/objectives", methods=["GET", "POST"])
def objectives(year: int):
    risk_year = year_or_404(year)
    plan = risk_year.cycle.plan
    rows = list(plan.objectives) if plan else []
    form = TagsForm()
    form.objective_id.choices = [(o.id, f"{o.code} {o.title}") for o in rows]
    if request.method == "POST":
        ensure_editor(current_user)
        if form.validate_on_submit():
            objective = db.session.get(Objective, form.objective_id.data)
            try:
                measures.set_tags(current_user, objective, set(form.tags.data or []))
                db.session.commit()
            except RiskError as exc:
                refused(exc)
            return redirect(url_for("risk.objectives", year=year))
    return render_template("risk/objectives.html", year=risk_year, rows=rows, form=form,
                           tags_of=measures.tags_of, measures_of=measures.measures_of_objective,
                           can_edit=can_edit(current_user))
