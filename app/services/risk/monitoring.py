"""The managers' reports to the RPCT, mid-year and at year end: every manager heading an
area says, per measure of the area's processes (the general measures and the specific
ones treating risks of processes of the area or its sectors), whether it was applied,
partly applied or not applied, with the evidence, and proposes changes to the register.
One report process per manager and round (workflows/risk_manager_report.bpmn); the
RPCT's inbox collects them when all have reported."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import OrgUnit, Role, UnitKind, User
from app.models.risk import MappedProcess
from app.models.risk_register import (
    Application,
    MeasureKind,
    MeasureReport,
    ReportRound,
    RiskItem,
    RiskMeasure,
    RiskYear,
)
from app.services.cycle.children import area_unit_ids
from app.services.org.permissions import headed_units
from app.services.risk.errors import RiskError


@dataclass(frozen=True)
class ReportRow:
    measure_id: int
    application: str
    evidence: str | None
    proposal: str | None


def reporting_areas(year: RiskYear) -> list[OrgUnit]:
    """The areas headed by a manager: each one reports in every round."""
    areas = db.session.execute(
        select(OrgUnit).where(OrgUnit.kind == UnitKind.AREA.value,
                              OrgUnit.administration_id == year.cycle.administration_id,
                              OrgUnit.head_id.is_not(None)).order_by(OrgUnit.code)).scalars()
    return [a for a in areas if a.head.has_role(Role.MANAGER) and a.head.active]


def measures_of_area(year: RiskYear, area: OrgUnit) -> list[RiskMeasure]:
    """The general measures, and the specific ones treating a risk of the area's processes."""
    units = area_unit_ids(area)
    specific = select(RiskMeasure.id).join(RiskMeasure.items).join(
        MappedProcess, RiskItem.process_id == MappedProcess.id).where(
        MappedProcess.unit_id.in_(units))
    return list(db.session.execute(
        select(RiskMeasure).where(RiskMeasure.year_id == year.id,
                                  (RiskMeasure.kind == MeasureKind.GENERAL.value)
                                  | RiskMeasure.id.in_(specific))
        .order_by(RiskMeasure.code)).scalars())


def reports_of(year: RiskYear, round_: str, area: OrgUnit | None = None) -> list[MeasureReport]:
    stmt = (select(MeasureReport).join(RiskMeasure, MeasureReport.measure_id == RiskMeasure.id)
            .where(RiskMeasure.year_id == year.id, MeasureReport.round == round_)
            .order_by(MeasureReport.unit_id, RiskMeasure.code))
    if area is not None:
        stmt = stmt.where(MeasureReport.unit_id == area.id)
    return list(db.session.execute(stmt).scalars())


def record_report(actor: User, year: RiskYear, round_: str, area: OrgUnit,
                  rows: list[ReportRow]) -> int:
    """The area head's report for the round (again: it replaces the earlier one); returns
    how many measures are not fully applied."""
    if area.id not in headed_units(actor) and not actor.has_role(Role.RPCT):
        raise RiskError(_l("Only the head of the area reports on its measures."))
    if round_ not in {r.value for r in ReportRound}:
        raise RiskError(_l("Unknown monitoring round."))
    allowed = {m.id: m for m in measures_of_area(year, area)}
    if {r.measure_id for r in rows} != set(allowed):
        raise RiskError(_l("Report on every measure of the area, and only on those."))
    existing = {r.measure_id: r for r in reports_of(year, round_, area)}
    lacking = 0
    for row in rows:
        if row.application not in {a.value for a in Application}:
            raise RiskError(_l("Say whether each measure was applied."))
        if row.application != Application.APPLIED.value and not (row.evidence or "").strip():
            raise RiskError(_l("Explain why the measure %(code)s was not fully applied.",
                               code=allowed[row.measure_id].code))
        report = existing.get(row.measure_id) or MeasureReport(
            measure_id=row.measure_id, round=round_, unit_id=area.id)
        report.application, report.reported_by_id = row.application, actor.id
        report.evidence = (row.evidence or "").strip() or None
        report.proposal = (row.proposal or "").strip() or None
        db.session.add(report)
        lacking += row.application != Application.APPLIED.value
    db.session.flush()
    audit.record("risk.report.record", actor=actor, obj=year,
                 after={"round": round_, "unit_id": area.id, "measures": len(rows),
                        "not_fully_applied": lacking})
    return lacking
