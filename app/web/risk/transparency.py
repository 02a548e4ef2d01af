"""The transparency pages of the section: the grid of publication obligations (who
prepares and publishes what, how often, what is late; `?late=1` lists only the late
ones, where the dashboards' counts link) and the OIV's attestations (opened
by the support unit, their PDF and XLSX). Read by the section's roles; the grid is edited
by the RPCT, the support unit and the administrator."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.engine import clock
from app.extensions import db
from app.models.org import Role
from app.models.transparency import Attestation, Obligation
from app.services.risk.errors import RiskError
from app.services.transparency import attestation as attestation_service
from app.services.transparency import attestation_files, grid
from app.web.reports.downloads import XLSX, download
from app.web.risk.forms import AttestationOpenForm, ObligationForm
from app.web.risk.views import administration_id, bp, refused
from app.web.unit_fields import NO_UNIT, picked_unit, unit_picker


@bp.route("/transparency", methods=["GET", "POST"])
def obligations():
    admin_id, today = administration_id(), clock.now().date()
    form = ObligationForm()
    for role in ("preparer", "publisher"):
        unit_picker(form, f"{role}_unit_id", f"{role}_unit_code", None, none_label="-",
                    none_value=None, label=lambda u: f"{u.code} {u.name}")
    if request.method == "POST":
        if not current_user.has_role(*grid.EDITORS):
            abort(403)
        preparer = publisher = NO_UNIT
        if form.validate_on_submit():
            preparer = picked_unit(form, "preparer_unit_id", "preparer_unit_code")
            publisher = picked_unit(form, "publisher_unit_id", "publisher_unit_code")
        if NO_UNIT not in (preparer, publisher):
            existing = db.session.execute(select(Obligation).where(
                Obligation.administration_id == admin_id,
                Obligation.code == form.code.data.strip())).scalar_one_or_none()
            try:
                grid.save_obligation(current_user, admin_id, grid.ObligationData(
                    form.code.data, form.section.data, form.title.data,
                    form.legal_reference.data or "", preparer, publisher,
                    form.frequency.data), existing)
                db.session.commit()
                flash(_("Obligation saved."), "success")
                return redirect(url_for("risk.obligations"))
            except RiskError as exc:
                refused(exc)
    rows = [(o, grid.next_due(o.last_published, o.frequency, today), grid.is_late(o, today))
            for o in grid.grid(admin_id)]
    late = sum(1 for _o, _d, is_late in rows if is_late)
    only_late = request.args.get("late") == "1"
    if only_late:
        rows = [row for row in rows if row[2]]
    return render_template("transparency/grid.html", rows=rows, form=form, late=late,
                           only_late=only_late,
                           can_edit=current_user.has_role(*grid.EDITORS)), \
        422 if form.errors else 200


def _attestation(attestation_id: int) -> Attestation:
    found = db.session.get(Attestation, attestation_id)
    if found is None or found.administration_id != administration_id():
        abort(404)
    return found


@bp.route("/attestations", methods=["GET", "POST"])
def attestations():
    admin_id = administration_id()
    form = AttestationOpenForm()
    form.obligation_ids.choices = [(o.id, f"{o.code} {o.title}") for o in grid.grid(admin_id)
                                   if o.active]
    may_open = current_user.has_role(Role.SUPPORT_UNIT, Role.ADMIN)
    if request.method == "POST":
        if not may_open:
            abort(403)
        if form.validate_on_submit():
            try:
                attestation_service.open_attestation(
                    current_user, admin_id, form.year.data, form.obligation_ids.data,
                    form.scale.data, form.due.data)
                db.session.commit()
                flash(_("The attestation is open: the OIV has it in their tasks."), "success")
                return redirect(url_for("risk.attestations"))
            except RiskError as exc:
                refused(exc)
    rows = list(db.session.execute(select(Attestation).where(
        Attestation.administration_id == admin_id).order_by(Attestation.year.desc())).scalars())
    return render_template("transparency/attestations.html", rows=rows, form=form,
                           may_open=may_open), 422 if form.errors else 200


@bp.get("/attestations/<int:attestation_id>/attestazione.<fmt>")
def attestation_file(attestation_id: int, fmt: str):
    attestation = _attestation(attestation_id)
    if fmt == "xlsx":
        return download(attestation_files.xlsx(attestation), XLSX,
                        f"griglia-attestazione-{attestation.year}.xlsx")
    if fmt == "pdf" and attestation.pdf is not None:
        return download(attestation.pdf, "application/pdf",
                        f"attestazione-oiv-{attestation.year}.pdf")
    abort(404)
