"""The manager's pages: the people of the units they head with where each one stands
and who is late against the cycle's calendar, the objectives and indicators of those
units with their live achievement, and the evaluations they write (done and pending).
Only the units the signed-in person heads, never others."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models.evaluation import Evaluation, EvaluationStatus
from app.models.org import OrgUnit, Role
from app.models.privacy import AccessKind
from app.services.org.permissions import headed_units, require_role
from app.services.plan.scores import achievements
from app.services.privacy import access_log
from app.services.reports import charts as report_charts
from app.services.reports import figures as reports
from app.web.account.me import administration_id

bp = Blueprint("team", __name__, url_prefix="/team")


@bp.before_request
@login_required
def _signed_in():
    """Managers and supervisors who head a unit; checked per view with the scope."""


def _scope() -> set[int]:
    require_role(current_user, Role.MANAGER, Role.SUPERVISOR)
    units = headed_units(current_user)
    if not units:
        abort(403)
    return units


def _cycle(year: int | None):
    cycle = reports.pick_cycle(administration_id(), year)
    if cycle is None and year is not None:
        abort(404)
    return cycle


@bp.get("/")
@bp.get("/<int:year>")
def overview(year: int | None = None):
    units = _scope()
    cycle = _cycle(year)
    context = {"cycle": cycle, "cycles": reports.cycles(administration_id()),
               "units": db.session.execute(select(OrgUnit).where(OrgUnit.id.in_(units))
                                           .order_by(OrgUnit.code)).scalars().all()}
    if cycle is not None:
        rows = [r for r in reports.people_status(cycle, units) if r.user.id != current_user.id]
        mine = db.session.execute(
            select(Evaluation).where(Evaluation.cycle_id == cycle.id,
                                     Evaluation.evaluator_id == current_user.id)
        ).scalars().all()
        if access_log.record(current_user, [e.user_id for e in mine], AccessKind.EVALUATION,
                             request.path, cycle):
            db.session.commit()
        context.update(
            rows=rows, counts=reports.step_counts(rows), bands=None,
            written=[e for e in mine if e.status != EvaluationStatus.OPEN.value],
            pending=[e for e in mine if e.status == EvaluationStatus.OPEN.value],
        )
    return render_template("reports/team/overview.html", **context)


@bp.get("/objectives")
@bp.get("/<int:year>/objectives")
def objectives(year: int | None = None):
    units = _scope()
    cycle = _cycle(year)
    tree = reports.objective_tree(cycle, achievements(cycle), units) if cycle else []
    owned = [(n.objective.code, n.objective.title, n.achievement)
             for n in reports.tree_objectives(tree) if n.objective.owner_unit_id in units]
    return render_template("reports/team/objectives.html", cycle=cycle, tree=tree, owned=owned,
                           chart=report_charts.achievements_src([(c, v) for c, _t, v in owned]),
                           cycles=reports.cycles(administration_id()))
