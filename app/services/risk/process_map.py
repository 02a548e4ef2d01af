"""The process map: processes per unit and risk area, their phases (sub-processes) and
activities. Phases are written one per line, the activities after a colon:
"Determina di affidamento: Richiesta di preventivi, Motivazione della scelta"."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import OrgUnit, User
from app.models.risk import MappedProcess, PhaseActivity, ProcessPhase, RiskArea
from app.services.risk.access import ensure_editor
from app.services.risk.errors import RiskError


@dataclass(frozen=True)
class ProcessData:
    code: str
    name: str
    unit_id: int
    area_id: int
    phases: str


def parse_phases(text: str) -> list[tuple[str, list[str]]]:
    """"Bando: Requisiti, Pubblicazione" lines -> [("Bando", ["Requisiti", "Pubblicazione"])]."""
    phases = []
    for line in (text or "").splitlines():
        name, _sep, activities = line.partition(":")
        if name.strip():
            phases.append((name.strip(), [a.strip() for a in activities.split(",") if a.strip()]))
    return phases


def processes(administration_id: int) -> list[MappedProcess]:
    return list(db.session.execute(
        select(MappedProcess).join(RiskArea, MappedProcess.area_id == RiskArea.id)
        .where(MappedProcess.administration_id == administration_id)
        .order_by(RiskArea.position, MappedProcess.code)).scalars())


def add_process(actor: User, administration_id: int, data: ProcessData) -> MappedProcess:
    ensure_editor(actor)
    unit, area = db.session.get(OrgUnit, data.unit_id), db.session.get(RiskArea, data.area_id)
    if unit is None or area is None or administration_id not in (
            unit.administration_id, area.administration_id) or (
            unit.administration_id != area.administration_id):
        raise RiskError(_l("Choose the unit and the risk area."))
    if db.session.execute(select(MappedProcess.id).where(
            MappedProcess.administration_id == administration_id,
            MappedProcess.code == data.code.strip())).scalar() is not None:
        raise RiskError(_l("Another process has the code %(code)s.", code=data.code))
    process = MappedProcess(administration_id=administration_id, unit_id=unit.id,
                            area_id=area.id, code=data.code.strip(), name=data.name.strip())
    process.phases = [ProcessPhase(position=n, name=name, activities=[
        PhaseActivity(position=k, name=activity) for k, activity in enumerate(acts, 1)])
        for n, (name, acts) in enumerate(parse_phases(data.phases), 1)]
    db.session.add(process)
    db.session.flush()
    audit.record("risk.process.add", actor=actor, obj=process,
                 after={"code": process.code, "unit_id": unit.id, "area": area.code,
                        "phases": [p.name for p in process.phases]})
    return process
