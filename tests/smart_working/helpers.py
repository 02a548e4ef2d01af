"""Helpers of the smart-working tests: a request as the browser posts it, the agreement's
instance and its open tasks."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.smart_working import SmartWorkingAgreement
from app.scoring.smart_working import next_month
from app.services.smart_working.operations import today
from tests.helpers import csrf_token


def next_month_start() -> date:
    return next_month(today())


def request_data(starts_on: date | None = None, months: int = 2, **fields) -> dict:
    """Tuesdays as whole days (never more than five a month) from the first of next month."""
    starts_on = starts_on or next_month_start()
    ends_on = starts_on
    for _ in range(months):
        ends_on = next_month(ends_on)
    data = {"starts_on": starts_on.isoformat(), "ends_on": (ends_on - timedelta(days=1)).isoformat(),
            "day_1": "day", "place": "home", "equipment": "administration"}
    data.update(fields)
    return data


def post(client, path: str, data: dict, form_page: str | None = None):
    token = csrf_token(client, form_page or path)
    return client.post(path, data={"csrf_token": token, **data})


def ask(client, **fields):
    return post(client, "/lavoro-agile/richiesta", request_data(**fields))


def agreement_of(user) -> SmartWorkingAgreement:
    db.session.expire_all()
    return db.session.execute(select(SmartWorkingAgreement).where(
        SmartWorkingAgreement.user_id == user.id).order_by(SmartWorkingAgreement.id.desc())
    ).scalars().first()


def instance_of(agreement) -> ProcessInstance:
    db.session.expire_all()
    return db.session.execute(select(ProcessInstance).where(
        ProcessInstance.business_key == f"smart_working:{agreement.id}")).scalar_one()


def in_force(people, **fields) -> SmartWorkingAgreement:
    """An agreement of the employee authorised by the manager and signed, through the
    services and the workflow (the HTTP flow has its own test)."""
    from app.services.smart_working import operations as agreements
    from app.services.tasks import operations as tasks
    from tests.engine.helpers import open_task

    data = request_data(**fields)
    agreement = agreements.request_agreement(people.employee, agreements.RequestData(
        starts_on=date.fromisoformat(data["starts_on"]), ends_on=date.fromisoformat(data["ends_on"]),
        pattern={1: "day"}, place="home", equipment="administration"))
    db.session.commit()
    instance = instance_of(agreement)
    authorise = open_task(instance.id, "authorise")
    tasks.claim(people.manager, authorise.id)
    tasks.complete(people.manager, authorise.id, {"decision": "yes", "note": ""})
    db.session.commit()
    tasks.complete(people.employee, open_task(instance.id, "acknowledge").id, {"accept": True})
    db.session.commit()
    return agreement_of(people.employee)


def process_map(people) -> dict:
    """A process of area A1 with a remotable sub-process (the employee works on it) and
    one at the front desk, which is not (the colleague works on it)."""
    from app.models.risk import MappedProcess, ProcessPhase, RiskArea
    from app.models.smart_working import PhasePerson, Remotability

    unit = people.employee.unit.parent  # area A1
    administration_id = people.employee.unit.administration_id
    area = RiskArea(administration_id=administration_id, code="C", name="Provvedimenti")
    process = MappedProcess(administration_id=administration_id, unit_id=unit.id, area=area,
                            code="RI-01", name="Iscrizioni nel registro delle imprese")
    paperwork = ProcessPhase(position=1, name="Istruttoria delle pratiche")
    desk = ProcessPhase(position=2, name="Sportello al pubblico")
    process.phases = [paperwork, desk]
    db.session.add(process)
    db.session.flush()
    db.session.add_all([
        Remotability(phase_id=paperwork.id, contact=4, scheduling=3, collegiality=3,
                     interdependence=4),
        Remotability(phase_id=desk.id, contact=0, scheduling=2, collegiality=4, interdependence=4),
        PhasePerson(phase_id=paperwork.id, user_id=people.employee.id),
        PhasePerson(phase_id=desk.id, user_id=people.colleague.id)])
    db.session.commit()
    return {"process": process, "paperwork": paperwork, "desk": desk}
