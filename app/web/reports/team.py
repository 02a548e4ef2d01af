"""The manager's pages: the people of the units they head with where each one stands
and who is late against the cycle's calendar, the objectives and indicators of those
units with their live achievement, and the evaluations they write (done and pending), each list one page at a time.
Only the units the signed-in person heads, never others; the access log records the
evaluations this page showed."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit, Role
from app.models.privacy import AccessKind
from app.services.org import unit_search
from app.services.org.permissions import headed_units, require_role
from app.services.plan.parts import Systems
from app.services.plan.scores import achievements
from app.services.privacy import access_log
from app.services.reports import charts as report_charts
from app.services.reports import figures as reports
from app.services.reports import standing
from app.services.reports.standing import PeopleFilters
from app.web.account.me import cycle_and_cycles
from app.web.pagination import page_number, page_size, unit_filter
from app.web.reports.people_list import filters_from_request, pager_args

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


@bp.get("/")
@bp.get("/<int:year>")
def overview(year: int | None = None):
    units = _scope()
    context = cycle_and_cycles(year)
    cycle = context["cycle"]
    # The units named at the top: all of them, or above the limit of a list the ones
    # the person heads themselves (a director of 600 sectors is not shown 600 names).
    choices = unit_search.choices(units)
    named = choices if choices is not None else db.session.execute(
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name)
        .where(OrgUnit.head_id == current_user.id, OrgUnit.id.in_(units))
        .order_by(OrgUnit.code)).all()
    context.update(units=named, units_below=len(units) - len(named))
    shown: list[int] = []
    if cycle is not None:
        filters = filters_from_request(units, without=current_user.id)
        people = standing.people_page(cycle, filters, page_number(), page_size())
        to_write, done = standing.evaluation_counts(cycle, current_user)
        pending = standing.evaluations_page(cycle, current_user, False, page_number("pending_page"),
                                            total=to_write)
        written = standing.evaluations_page(cycle, current_user, True, page_number("written_page"),
                                            total=done)
        shown = [e.user_id for e in pending.items + written.items] + [
            r.user.id for r in people.items
            if r.evaluation is not None and r.evaluation.evaluator_id == current_user.id]
        context.update(
            people=people, filters=filters, steps=standing.STEPS,
            people_args=pager_args(filters, year=cycle.year),
            **unit_filter(units, filters.unit_id, filters.unit_text, choices),
            counts=standing.step_counts(cycle, PeopleFilters(units=units, without=current_user.id)),
            evaluation_counts=(to_write, done),
            pending=pending, written=written, band_of=_band_labeller(cycle),
        )
    html = render_template("reports/team/overview.html", **context)
    # Logged once the page is drawn: committing first would expire every row loaded
    # and reload each one on its own while the template reads it.
    if shown and access_log.record(current_user, shown, AccessKind.EVALUATION, request.path,
                                   cycle):
        db.session.commit()
    return html


def _band_labeller(cycle):
    """A row's band as shown, under the bands of the person's own evaluation system (the
    systems read once for the page, not once per row)."""
    systems = Systems.of_cycle(cycle)

    def band_of(row) -> str:
        return reports.evaluation_band(row.evaluation, systems.of_unit(row.user.unit_id).bands)

    return band_of


@bp.get("/objectives")
@bp.get("/<int:year>/objectives")
def objectives(year: int | None = None):
    units = _scope()
    context = cycle_and_cycles(year)
    cycle = context["cycle"]
    tree = reports.objective_tree(cycle, achievements(cycle), units) if cycle else []
    owned = [(n.objective.code, n.objective.title, n.achievement)
             for n in reports.tree_objectives(tree) if n.objective.owner_unit_id in units]
    return render_template("reports/team/objectives.html", tree=tree, owned=owned,
                           chart=report_charts.achievements_src([(c, v) for c, _t, v in owned]),
                           **context)
