"""The agreements' pages: /lavoro-agile lists one's own agreements (and, for the heads of
units and the organisation-wide roles, those they may see), /lavoro-agile/richiesta asks
for one or renews one, /lavoro-agile/<id> shows it with its PDF and its withdrawal, and
/lavoro-agile/regole sets the policy, /lavoro-agile/remotabilita scores the process
map's sub-processes and links the people working on each, /lavoro-agile/calendario shows a
unit's month and /lavoro-agile/dati the year's figures (also as Excel)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from app.extensions import db
from app.models.risk import ProcessPhase
from app.models.smart_working import AgreementStatus, Remotability, SmartWorkingAgreement
from app.scoring import smart_working as rules
from app.services.org import listing
from app.services.org.permissions import units_in_scope
from app.services.smart_working import document, figures, remotability
from app.services.smart_working import operations as agreements
from app.services.smart_working import policy as policies
from app.web import people_fields
from app.web.account.me import administration_id
from app.web.smart_working.forms import PolicyForm, RemotabilityForm, RequestForm, WithdrawForm

bp = Blueprint("smart_working", __name__, url_prefix="/lavoro-agile")
LISTED = 200  # the agreements of one's units shown on the overview, newest first


@bp.before_request
@login_required
def _signed_in():
    """Signed-in users; each view and service checks the rest."""


@bp.context_processor
def _tabs():
    """Which tabs of the section the reader may open."""
    if not current_user.is_authenticated:
        return {}
    return {"can_edit_policy": current_user.has_role(*policies.EDITORS),
            "can_read_remotability": remotability.may_read(current_user),
            "can_read_figures": figures.may_read_figures(current_user)}


def _agreement(agreement_id: int) -> SmartWorkingAgreement:
    agreement = db.get_or_404(SmartWorkingAgreement, agreement_id)
    if not agreements.may_view(current_user, agreement):
        abort(403)
    return agreement


def _of_my_units() -> list[SmartWorkingAgreement]:
    scope = units_in_scope(current_user)
    if scope is not None and not scope:
        return []
    stmt = select(SmartWorkingAgreement).where(SmartWorkingAgreement.user_id != current_user.id)
    if scope is not None:
        stmt = stmt.where(SmartWorkingAgreement.unit_id.in_(scope))
    return list(db.session.execute(stmt.order_by(
        SmartWorkingAgreement.requested_at.desc()).limit(LISTED)).scalars())


@bp.get("")
def overview():
    return render_template("smart_working/overview.html",
                           mine=agreements.agreements_of(current_user), others=_of_my_units())


def _limits():
    return policies.limits_of(policies.policy_of(administration_id()))


@bp.route("/richiesta", methods=["GET", "POST"])
def request_page():
    renewal_of = None
    if request.args.get("rinnovo"):
        renewal_of = _agreement(int(request.args["rinnovo"]))
        if renewal_of.user_id != current_user.id:
            abort(403)
    form = RequestForm()
    if request.method == "GET" and renewal_of is not None:
        defaults = agreements.renewal_defaults(renewal_of)
        form.starts_on.data, form.ends_on.data = defaults.starts_on, defaults.ends_on
        for n, field in enumerate(form.weekday_fields()):
            field.data = defaults.pattern.get(n, "")
        form.place.data, form.place_detail.data = defaults.place, defaults.place_detail
        form.equipment.data = defaults.equipment
    if form.validate_on_submit():
        data = agreements.RequestData(
            starts_on=form.starts_on.data, ends_on=form.ends_on.data, pattern=form.pattern(),
            place=form.place.data, equipment=form.equipment.data,
            place_detail=form.place_detail.data or "",
            own_equipment_safe=bool(form.own_equipment_safe.data),
            exception_reason=form.exception_reason.data or "")
        try:
            row = agreements.request_agreement(current_user, data, renewal_of)
            db.session.commit()
        except agreements.AgreementError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return _request_form(form, renewal_of, 422)
        flash(_("Request sent: the head of your unit decides on it."), "success")
        return redirect(url_for("smart_working.agreement_page", agreement_id=row.id))
    return _request_form(form, renewal_of, 422 if form.errors else 200)


def _request_form(form, renewal_of, status: int):
    return render_template("smart_working/request.html", form=form, renewal_of=renewal_of,
                           limits=_limits(), eligibility=remotability.eligibility(current_user),
                           refusal=remotability.refusal(current_user)), status


@bp.get("/<int:agreement_id>")
def agreement_page(agreement_id: int):
    agreement = _agreement(agreement_id)
    limits = policies.limits_of(policies.policy_of(
        agreement.unit.administration_id if agreement.unit else None))
    form = WithdrawForm(version=agreement.version, effective=agreements.today())
    return render_template(
        "smart_working/agreement.html", agreement=agreement, limits=limits,
        periods=rules.usage_by_period(agreement.weekly_pattern, agreement.starts_on,
                                      agreement.ends_on, limits),
        withdraw_form=form, may_withdraw=agreements.may_withdraw(current_user, agreement),
        may_renew=agreement.user_id == current_user.id and agreement.status in (
            AgreementStatus.IN_FORCE.value, AgreementStatus.WITHDRAWN.value))


@bp.get("/<int:agreement_id>/accordo.pdf")
def agreement_pdf(agreement_id: int):
    agreement = db.get_or_404(SmartWorkingAgreement, agreement_id)
    data = document.agreement_pdf(current_user, agreement)
    name = f"accordo-lavoro-agile-{agreement.id}.pdf"
    return data, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'attachment; filename="{name}"'}


@bp.post("/<int:agreement_id>/recesso")
def withdraw(agreement_id: int):
    agreement = _agreement(agreement_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Give the last day of the agreement and the reason."), "danger")
        return redirect(url_for("smart_working.agreement_page", agreement_id=agreement.id)), 303
    try:
        version = int(form.version.data or 0)
    except ValueError:
        abort(400)
    try:
        agreements.withdraw(current_user, agreement, form.reason.data, form.effective.data,
                            version)
        db.session.commit()
    except agreements.AgreementError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("smart_working.agreement_page", agreement_id=agreement.id)), 303
    flash(_("Agreement withdrawn: it ends on %(day)s.", day=form.effective.data.strftime("%d/%m/%Y")),
          "success")
    return redirect(url_for("smart_working.agreement_page", agreement_id=agreement.id)), 303


@bp.route("/regole", methods=["GET", "POST"])
def policy_page():
    if not current_user.has_role(*policies.EDITORS):
        raise Forbidden()
    policy = policies.policy_of(administration_id())
    form = PolicyForm(obj=policy)
    if form.validate_on_submit():
        try:
            policies.save_policy(current_user, administration_id(), period=form.period.data,
                                 max_days=form.max_days.data, max_half_days=form.max_half_days.data,
                                 report_due_days=form.report_due_days.data,
                                 score_rule=form.score_rule.data, threshold=form.threshold.data)
            db.session.commit()
        except policies.PolicyError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return render_template("smart_working/policy.html", form=form), 422
        flash(_("Smart-working rules saved."), "success")
        return redirect(url_for("smart_working.policy_page")), 303
    return render_template("smart_working/policy.html", form=form), 422 if form.errors else 200


@bp.get("/remotabilita")
def remotability_page():
    if not remotability.may_read(current_user):
        raise Forbidden()
    rows = remotability.phase_rows(administration_id())
    return render_template("smart_working/remotability.html", rows=rows,
                           policy=policies.policy_of(administration_id()),
                           editable={r.process.id for r in rows
                                     if remotability.may_edit(current_user, r.process)})


@bp.route("/remotabilita/<int:phase_id>", methods=["GET", "POST"])
def phase_page(phase_id: int):
    phase = db.get_or_404(ProcessPhase, phase_id)
    if phase.process.administration_id != administration_id() or not remotability.may_edit(
            current_user, phase.process):
        raise Forbidden()
    scores = db.session.execute(select(Remotability).where(
        Remotability.phase_id == phase.id)).scalar_one_or_none()
    form = RemotabilityForm(obj=scores)
    candidates = remotability.candidates(phase)
    people_fields.keep_people_field(form, "people", "emails", listing.listed_people(candidates))
    if request.method == "GET":
        people_fields.show_people(form, "people", "emails", remotability.people_of(phase))
    if form.validate_on_submit() and (chosen := people_fields.picked_people(
            form, "people", "emails", candidates,
            refusal=_("Nobody of the process's unit or of the units below it has these "
                      "e-mails: %(emails)s"))) is not people_fields.NO_PERSON:
        remotability.save_phase(current_user, phase, {
            name: getattr(form, name).data for name in rules.CONDITIONS},
            form.note.data or "", chosen)
        db.session.commit()
        flash(_("Sub-process saved."), "success")
        return redirect(url_for("smart_working.remotability_page")), 303
    return render_template("smart_working/phase.html", phase=phase, form=form), \
        422 if form.errors else 200


def _month_arg():
    try:
        return rules.month_start(date.fromisoformat(request.args.get("mese", "") + "-01"))
    except ValueError:
        return rules.month_start(agreements.today())


@bp.get("/calendario")
def calendar_page():
    units = figures.calendar_units(current_user)
    if not units:
        raise Forbidden()
    unit_id = request.args.get("unita", type=int) or current_user.unit_id or units[0].id
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        raise Forbidden()
    month = _month_arg()
    days, rows = figures.month_calendar(current_user, unit, month)
    previous = (month - timedelta(days=1)).replace(day=1)
    return render_template("smart_working/calendar.html", units=units, unit=unit, month=month,
                           days=days, rows=rows, previous=previous,
                           following=rules.next_month(month))


@bp.get("/dati")
@bp.get("/dati/<int:year>")
def figures_page(year: int | None = None):
    year = year or agreements.today().year
    units, categories, total = figures.year_figures(current_user, year)
    return render_template("smart_working/figures.html", year=year, units=units,
                           categories=categories, total=total)


@bp.get("/dati/<int:year>.xlsx")
def figures_xlsx(year: int):
    data = figures.figures_workbook(current_user, year)
    return data, 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="lavoro-agile-{year}.xlsx"'}
