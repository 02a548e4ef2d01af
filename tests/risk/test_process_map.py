"""The process map: processes of a unit in a risk area, their phases and activities."""
from sqlalchemy import func, select

from app.extensions import db
from app.models.org import Administration, OrgUnit
from app.models.risk import MappedProcess, PhaseActivity, ProcessPhase, RiskArea


def _process() -> MappedProcess:
    administration = Administration(name="Camera di commercio", code="cc")
    db.session.add(administration)
    db.session.flush()
    unit = OrgUnit(administration_id=administration.id, code="A1", name="Area anagrafe")
    area = RiskArea(administration_id=administration.id, code="B", name="Contratti pubblici")
    process = MappedProcess(administration_id=administration.id, unit=unit, area=area,
                            code="P1", name="Affidamento diretto")
    phase = ProcessPhase(position=1, name="Determina a contrarre")
    phase.activities = [PhaseActivity(position=1, name="Istruttoria"),
                        PhaseActivity(position=2, name="Firma")]
    process.phases = [ProcessPhase(position=2, name="Stipula"), phase]
    db.session.add(process)
    db.session.commit()
    return process


def test_phases_and_activities_read_in_their_order():
    process = _process()
    db.session.expire_all()
    assert [p.name for p in process.phases] == ["Determina a contrarre", "Stipula"]
    assert [a.name for a in process.phases[0].activities] == ["Istruttoria", "Firma"]


def test_removing_a_process_removes_its_phases_and_activities():
    process = _process()
    db.session.delete(process)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ProcessPhase)) == 0
    assert db.session.scalar(select(func.count()).select_from(PhaseActivity)) == 0
