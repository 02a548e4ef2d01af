"""The integrated plan (PIAO) of one cycle as one tagged PDF, assembled from the sections
the administration runs, in the order of the official template (DM 30 June 2022 n. 132):

  1   Scheda anagrafica dell'amministrazione
  2   Valore pubblico, performance e anticorruzione
      2.1 valore pubblico (the plan's strategic areas and objectives)
      2.2 performance (objectives and indicators with their targets)
      2.3 rischi corruttivi e trasparenza (the risk year and the obligations grid)
  3   Organizzazione e capitale umano
      3.1 struttura organizzativa, 3.2 lavoro agile, 3.3 fabbisogni di personale and
      formazione, 3.4 azioni positive (the equality plan is a plan on the people, so it
      stays in section 3 rather than in an annex: one document, one order)
  4   Monitoraggio (the calendars of the sections' monitoring)

Each section reads its own domain's queries (objective tree, risk register, staffing
table, smart-working figures...): nothing is computed twice. A section the
administration does not run for that year is printed as "Sezione non compilata", never
dropped. The public version (transparency page, once the performance plan is adopted)
prints only the sections the Board adopted, names nobody (a positive action's owner is
left out) and gives the smart-working total only for groups of PUBLIC_MIN_GROUP or more.
Official acts are in Italian whatever the reader's language, like the Report."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from app.extensions import db
from app.models.monitoring import MonitoringRound
from app.models.org import Administration, OrgUnit, Role, User
from app.models.people_plan import AdoptionStatus
from app.models.plan import Cycle, Plan, PlanStatus
from app.models.risk_register import RiskYearStatus
from app.models.smart_working import SmartWorkingPolicy
from app.models.types import utcnow
from app.services.org.permissions import ORG_WIDE
from app.services.people_plan import equality, staffing, training
from app.services.people_plan.common import status_text
from app.services.people_plan.staffing_reports import labels as staffing_labels
from app.services.plan.scores import achievements
from app.services.reports import accessible_pdf, disclosure
from app.services.reports import figures as reports
from app.services.risk import labels as risk_labels
from app.services.risk import register, years
from app.services.smart_working import policy as smart_policy
from app.services.smart_working import remotability
from app.services.smart_working.figures import figures_of_year
from app.services.transparency import grid

READERS = (*ORG_WIDE, Role.BOARD)
FILLED, EMPTY, NOT_ADOPTED = "filled", "empty", "not_adopted"


@dataclass
class Section:
    """One section's state: filled (with its data), empty (the administration does not
    run it that year) or, in the public version, not adopted yet."""

    state: str
    status: str = ""  # the people plans' adoption line (status_text)
    data: dict = field(default_factory=dict)


def is_adopted(cycle: Cycle) -> bool:
    """The plan is public once the Board adopted the cycle's performance plan."""
    return cycle.plan is not None and cycle.plan.ever_approved


def adopted_cycles() -> list[Cycle]:
    """The cycles whose plan the transparency page publishes, the latest first."""
    return list(db.session.execute(
        select(Cycle).join(Plan, Plan.cycle_id == Cycle.id)
        .where(Plan.status != PlanStatus.DRAFT.value).order_by(Cycle.year.desc())).scalars())


def _performance(cycle: Cycle) -> tuple[Section, Section]:
    plan = cycle.plan
    if plan is None or not plan.objectives:
        return Section(EMPTY), Section(EMPTY)
    adoption = next((r for r in plan.revisions if r.number == 0 and r.approved_at), None)
    tree = reports.objective_tree(cycle, achievements(cycle))
    return (Section(FILLED, data={"areas": plan.areas, "adoption": adoption,
                                  "strategic": [o for o in plan.objectives if o.is_strategic]}),
            Section(FILLED, data={"tree": tree, "adoption": adoption}))


def _risk(cycle: Cycle, public: bool) -> Section:
    year = years.year_of(cycle)
    obligations = [o for o in grid.grid(cycle.administration_id) if o.active]
    if year is None and not obligations:
        return Section(EMPTY)
    adopted = year is not None and year.status == RiskYearStatus.ADOPTED.value
    if public and year is not None and not adopted:
        return Section(NOT_ADOPTED)
    data = {"year": year, "adopted": adopted, "obligations": obligations}
    if year is not None:
        data.update(by_area=Counter((i.process.area.code, register.band(i)) for i in year.items),
                    bands=Counter(register.band(i) for i in year.items),
                    areas=sorted({i.process.area for i in year.items}, key=lambda a: a.code))
    return Section(FILLED, data=data)


def _structure(cycle: Cycle) -> Section:
    units = list(db.session.execute(select(OrgUnit).where(
        OrgUnit.administration_id == cycle.administration_id).order_by(OrgUnit.code)).scalars())
    if not units:
        return Section(EMPTY)
    people = dict(db.session.execute(select(User.unit_id, func.count(User.id)).where(
        User.unit_id.in_([u.id for u in units]), User.active).group_by(User.unit_id)).all())
    return Section(FILLED, data={"units": units, "people": people,
                                 "total": sum(people.values())})


def _smart_working(cycle: Cycle, public: bool) -> Section:
    saved = db.session.execute(select(SmartWorkingPolicy).where(
        SmartWorkingPolicy.administration_id == cycle.administration_id)).scalar_one_or_none()
    rows = remotability.phase_rows(cycle.administration_id)
    scored = [r for r in rows if r.scores is not None]
    _units, _categories, total = figures_of_year(cycle.year)
    if saved is None and not scored and not total.people:
        return Section(EMPTY)
    people = len(total.people)
    shown = total_published(people, public, disclosure.minimum())
    return Section(FILLED, data={
        "policy": smart_policy.policy_of(cycle.administration_id), "scored": len(scored),
        "remotable": sum(1 for r in scored if r.remotable), "phases": len(rows),
        "total": total if shown else None, "people": people,
        "minimum": disclosure.minimum()})


def total_published(people: int, public: bool, minimum: int) -> bool:
    """Whether the smart-working total is printed: always inside; in public only when it
    counts nobody or at least `minimum` people, whose days then describe no one.

        (2, True, 3) -> False; (3, True, 3) -> True; (2, False, 3) -> True"""
    return not public or people == 0 or people >= minimum


def _people_plan(plan, public: bool, data: dict) -> Section:
    if plan is None:
        return Section(EMPTY)
    if public and plan.status != AdoptionStatus.ADOPTED.value:
        return Section(NOT_ADOPTED)
    return Section(FILLED, status_text(plan), data)


def _people(cycle: Cycle, public: bool) -> dict[str, Section]:
    staff, learning, equal = (staffing.plan_of(cycle), training.plan_of(cycle),
                              equality.plan_of(cycle))
    staff_data = ({"plan": staff, "table": staffing.table(staff), "pools": staffing.pools(staff),
                   "hires": staffing.hires_by_pool(staff)} if staff else {})
    equal_data = ({"plan": equal, "opinions": equality.opinions(equal)} if equal else {})
    return {"staffing": _people_plan(staff, public, staff_data),
            "training": _people_plan(learning, public, {"plan": learning}),
            "equality": _people_plan(equal, public, equal_data)}


def _monitoring(cycle: Cycle) -> Section:
    rounds = list(db.session.execute(select(MonitoringRound).where(
        MonitoringRound.cycle_id == cycle.id).order_by(MonitoringRound.due)).scalars())
    return Section(FILLED, data={"rounds": rounds, "risk_year": years.year_of(cycle),
                                 "policy": smart_policy.policy_of(cycle.administration_id),
                                 "equality": equality.plan_of(cycle)})


def context(cycle: Cycle, public: bool = False) -> dict:
    """Every section of the plan of `cycle`, keyed by its place in the template."""
    public_value, performance = _performance(cycle)
    people = _people(cycle, public)
    return {
        "cycle": cycle, "public": public, "generated_at": utcnow(),
        "administration": db.session.get(Administration, cycle.administration_id),
        "sections": {"2.1": public_value, "2.2": performance, "2.3": _risk(cycle, public),
                     "3.1": _structure(cycle), "3.2": _smart_working(cycle, public),
                     "3.3": people["staffing"], "3.3.2": people["training"],
                     "3.4": people["equality"], "4": _monitoring(cycle)},
        "risk_labels": risk_labels, "teaching_labels": training.TEACHING_LABELS,
        "opinion_labels": equality.OUTCOME_LABELS, **staffing_labels(),
    }


def render(cycle: Cycle, public: bool = False) -> bytes:
    """The plan as PDF bytes: tagged (PDF/UA-1) and archival (PDF/A-3a), in Italian."""
    with force_locale("it"):
        html = render_template("reports/piao_pdf.html", **context(cycle, public))
    return accessible_pdf.write(html, archival=True)


def filename(cycle: Cycle) -> str:
    return f"piao-{cycle.year}.pdf"
