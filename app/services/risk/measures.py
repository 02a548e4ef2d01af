"""Prevention measures of a year: general (the code of conduct, the managers' yearly
declarations, rotation or its alternatives, training) or specific (for given risks),
each with its owner unit, deadline, indicator and target, linked to the risk items it
treats. A measure carried by the performance plan links to an objective tagged "A" (the
plan's anti-corruption objectives), so its achievement reads the same in both places:
the objective's score on the measure, the measures on the objective."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import OrgUnit, User
from app.models.plan import Objective
from app.models.risk_register import MeasureKind, ObjectiveTag, RiskItem, RiskMeasure, RiskYear
from app.services.risk.access import ensure_editor
from app.services.risk.errors import RiskError
from app.services.risk.years import ensure_draft

ANTICORRUPTION_TAG = "A"
PIAO_TAGS = ("A", "S", "C")  # anti-corruption, simplification, accessibility


@dataclass(frozen=True)
class MeasureData:
    code: str
    name: str
    kind: str
    description: str | None
    owner_unit_id: int | None
    deadline: date | None
    indicator: str | None
    target: str | None
    objective_id: int | None
    item_ids: tuple[int, ...] = ()


def tagged_objectives(year: RiskYear, tag: str = ANTICORRUPTION_TAG) -> list[Objective]:
    """The objectives of the year's plan carrying the tag."""
    plan = year.cycle.plan
    if plan is None:
        return []
    return list(db.session.execute(
        select(Objective).join(ObjectiveTag, ObjectiveTag.objective_id == Objective.id)
        .where(Objective.plan_id == plan.id, ObjectiveTag.tag == tag)
        .order_by(Objective.code)).scalars())


def tags_of(objective: Objective) -> set[str]:
    return set(db.session.execute(
        select(ObjectiveTag.tag).where(ObjectiveTag.objective_id == objective.id)).scalars())


def set_tags(actor: User, objective: Objective, tags: set[str]) -> None:
    """The objective's PIAO tags (A, S, C)."""
    ensure_editor(actor)
    unknown = tags - set(PIAO_TAGS)
    if unknown:
        raise RiskError(_l("Unknown tag: %(tag)s.", tag=min(unknown)))
    before = tags_of(objective)
    for row in db.session.execute(select(ObjectiveTag).where(
            ObjectiveTag.objective_id == objective.id)).scalars():
        if row.tag not in tags:
            db.session.delete(row)
    for tag in tags - before:
        db.session.add(ObjectiveTag(objective_id=objective.id, tag=tag))
    db.session.flush()
    audit.record("risk.objective.tags", actor=actor, obj=objective,
                 before={"tags": sorted(before)}, after={"tags": sorted(tags)})


def measure_problems(year: RiskYear, data: MeasureData, measure: RiskMeasure | None) -> list[str]:
    problems = []
    if not data.code.strip() or not data.name.strip():
        problems.append(str(_l("Give the measure's code and name.")))
    clash = db.session.execute(select(RiskMeasure.id).where(
        RiskMeasure.year_id == year.id, RiskMeasure.code == data.code.strip())).scalar()
    if clash is not None and (measure is None or clash != measure.id):
        problems.append(str(_l("Another measure has the code %(code)s.", code=data.code)))
    if data.kind not in {k.value for k in MeasureKind}:
        problems.append(str(_l("Say whether the measure is general or specific.")))
    if data.owner_unit_id is not None and db.session.get(OrgUnit, data.owner_unit_id) is None:
        problems.append(str(_l("Choose the unit that owns the measure.")))
    if data.objective_id is not None and data.objective_id not in {
            o.id for o in tagged_objectives(year)}:
        problems.append(str(_l("A measure links only to an objective of the year's plan "
                               "tagged \"A\" (anti-corruption).")))
    known = {i.id for i in year.items}
    if any(item_id not in known for item_id in data.item_ids):
        problems.append(str(_l("A measure treats only risks of the same year's register.")))
    if data.kind == MeasureKind.SPECIFIC.value and not data.item_ids:
        problems.append(str(_l("A specific measure treats at least one risk: choose it.")))
    return problems


def _values(measure: RiskMeasure) -> dict:
    return {"code": measure.code, "name": measure.name, "kind": measure.kind,
            "owner_unit_id": measure.owner_unit_id, "deadline": measure.deadline,
            "indicator": measure.indicator, "target": measure.target,
            "objective_id": measure.objective_id, "items": [i.code for i in measure.items]}


def save_measure(actor: User, year: RiskYear, data: MeasureData,
                 measure: RiskMeasure | None = None) -> RiskMeasure:
    ensure_editor(actor)
    ensure_draft(year)
    problems = measure_problems(year, data, measure)
    if problems:
        raise RiskError(problems)
    before = _values(measure) if measure is not None else None
    if measure is None:
        measure = RiskMeasure(year_id=year.id)
        db.session.add(measure)
    measure.code, measure.name, measure.kind = data.code.strip(), data.name.strip(), data.kind
    measure.description = (data.description or "").strip() or None
    measure.owner_unit_id, measure.deadline = data.owner_unit_id, data.deadline
    measure.indicator = (data.indicator or "").strip() or None
    measure.target = (data.target or "").strip() or None
    measure.objective_id = data.objective_id
    measure.items = [db.session.get(RiskItem, i) for i in data.item_ids]
    db.session.flush()
    audit.record("risk.measure.save", actor=actor, obj=measure, before=before,
                 after=_values(measure))
    return measure


def delete_measure(actor: User, measure: RiskMeasure) -> None:
    ensure_editor(actor)
    ensure_draft(measure.year)
    audit.record("risk.measure.delete", actor=actor, obj=measure, before=_values(measure))
    db.session.delete(measure)
    db.session.flush()


def objective_achievement(measure: RiskMeasure) -> Decimal | None:
    """The score of the measure's objective in the plan (year-end, else the monitoring
    forecast), the same figure the plan's pages show."""
    from app.services.plan.scores import achievements

    if measure.objective_id is None:
        return None
    cycle = measure.year.cycle
    for basis in ("actual", "monitoring_forecast"):
        score = achievements(cycle, basis).objectives.get(measure.objective_id)
        if score is not None:
            return score
    return None


def measures_of_objective(objective: Objective) -> list[RiskMeasure]:
    return list(db.session.execute(select(RiskMeasure).where(
        RiskMeasure.objective_id == objective.id).order_by(RiskMeasure.code)).scalars())
