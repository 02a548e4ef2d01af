"""The plan's approval and revisions: the revisions page with what the open revision
changes, the Board's approval, a revision opened, the OIV's opinion, the differences
between approved revisions. Views parse and authorize; app.services.plan.adoption acts."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models.org import Role
from app.services.org.permissions import require_role
from app.services.plan import adoption
from app.services.plan.access import ensure_plan_editor, sees_whole_plan
from app.services.plan.errors import PlanError
from app.web.plan.forms import DeliberationForm, OpinionForm, RevisionForm
from app.web.plan.views import bp, cycle_or_404, flash_errors, plan_view


def _whole_plan(year: int):
    """The cycle of `year` and its plan, for those who see the whole plan (403 for
    anyone else)."""
    cycle = cycle_or_404(year)
    plan = plan_view(cycle)
    if not sees_whole_plan(current_user, plan):
        abort(403)
    return cycle, plan


@bp.get("/<int:year>/revisions")
def revisions(year: int):
    cycle, plan = _whole_plan(year)
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
    cycle, plan = _whole_plan(year)
    old = request.args.get("old", 0, type=int)
    new = request.args.get("new", type=int)
    try:
        changes = adoption.revision_diff(plan, old, new)
    except PlanError:
        abort(404)
    return render_template("plan/diff.html", cycle=cycle, plan=plan, old=old, new=new,
                           changes=changes)
