"""Smart working in the demo administration: a small process map of area A1 scored for
remotability (unless the corruption-risk demo has mapped processes already, whose
sub-processes are then scored), its staff linked to their sub-processes, and three
agreements that leave work in the inboxes after `make run`: a request waiting for the
head of area A1, an agreement in force since last month whose monthly report is due,
and one in force with its first report done; the front-desk clerk's request would be
refused, his sub-process not being remotable. Dates are relative to today, so the tasks
are current whenever the demo is loaded. Needs the workflows deployed (`flask engine
deploy`, which `make run` does first); without them the agreements are left out."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import engine
from app.engine import runtime
from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance, TaskStatus
from app.models.org import Administration, OrgUnit, User
from app.models.risk import MappedProcess, ProcessPhase, RiskArea
from app.models.smart_working import PhasePerson, Remotability, SmartWorkingAgreement
from app.scoring.smart_working import month_start, next_month
from app.services.org.permissions import unit_and_below
from app.services.smart_working import operations as agreements
from app.services.tasks import operations as tasks

AREA = ("C", "Provvedimenti ampliativi privi di effetto economico diretto")
# (unit, code, process, [(sub-process, contact, scheduling, collegiality, interdependence)])
PROCESSES = [
    ("A1.1", "LA-RI-01", "Iscrizioni e depositi nel registro delle imprese", [
        ("Istruttoria delle pratiche telematiche", 4, 3, 3, 4),
        ("Sportello al pubblico", 0, 2, 4, 4)]),
    ("A1.3", "LA-SD-01", "Firma digitale e servizi digitali", [
        ("Rilascio dei dispositivi di firma digitale", 1, 3, 3, 3),
        ("Assistenza telefonica e via e-mail", 3, 4, 3, 4)]),
]
PENDING, REPORT_DUE, REPORTED = "silvia.colombo", "alessandro.russo", "elisa.barbieri"
FRONT_DESK = "giorgio.costa"


def _units(administration: Administration) -> dict[str, OrgUnit]:
    return {u.code: u for u in db.session.execute(select(OrgUnit).where(
        OrgUnit.administration_id == administration.id)).scalars()}


def _process_map(administration: Administration, units: dict[str, OrgUnit]) -> list[ProcessPhase]:
    existing = list(db.session.execute(
        select(ProcessPhase).join(MappedProcess).where(
            MappedProcess.administration_id == administration.id)
        .order_by(MappedProcess.code, ProcessPhase.position)).scalars())
    if existing:
        return existing
    area = db.session.execute(select(RiskArea).where(
        RiskArea.administration_id == administration.id, RiskArea.code == AREA[0])
    ).scalar_one_or_none() or RiskArea(administration_id=administration.id, code=AREA[0],
                                       name=AREA[1])
    phases = []
    for unit, code, name, subs in PROCESSES:
        process = MappedProcess(administration_id=administration.id, unit_id=units[unit].id,
                                area=area, code=code, name=name)
        process.phases = [ProcessPhase(position=n, name=sub[0]) for n, sub in enumerate(subs, 1)]
        db.session.add(process)
        db.session.flush()
        for phase, (_name, *scores) in zip(process.phases, subs, strict=True):
            db.session.add(Remotability(phase_id=phase.id, **dict(zip(
                ("contact", "scheduling", "collegiality", "interdependence"), scores, strict=True))))
        phases += process.phases
    return phases


def _score_and_link(phases: list[ProcessPhase]) -> None:
    """Score the phases not scored yet (every third one at the front desk) and link the
    staff of each process's unit to its phases; the front-desk clerk only to those that
    are not remotable, so that one request of the demo is refused with its reason."""
    scores = {}
    for n, phase in enumerate(phases):
        row = db.session.execute(select(Remotability).where(
            Remotability.phase_id == phase.id)).scalar_one_or_none()
        if row is None:
            row = Remotability(phase_id=phase.id, contact=0 if n % 3 == 1 else 3,
                               scheduling=3, collegiality=3, interdependence=4)
            db.session.add(row)
        scores[phase.id] = row
    db.session.flush()
    by_unit: dict[int, list[ProcessPhase]] = {}
    for phase in phases:
        by_unit.setdefault(phase.process.unit_id, []).append(phase)
    for unit_id, unit_phases in by_unit.items():
        desk = [p for p in unit_phases if scores[p.id].contact == 0] or unit_phases
        staff = db.session.execute(select(User).where(
            User.unit_id.in_(unit_and_below(unit_id)), User.active)).scalars()
        for person in staff:
            targets = desk if person.email.startswith(f"{FRONT_DESK}@") else unit_phases
            db.session.add_all(PhasePerson(phase_id=p.id, user_id=person.id) for p in targets)
    db.session.flush()


def _person(prefix: str) -> User | None:
    return db.session.execute(select(User).where(User.email.startswith(f"{prefix}@"))
                              ).scalar_one_or_none()


def _open_task(agreement: SmartWorkingAgreement, bpmn_id: str) -> HumanTask:
    return db.session.execute(select(HumanTask).join(HumanTask.instance).where(
        HumanTask.bpmn_id == bpmn_id, HumanTask.status == TaskStatus.OPEN.value,
        HumanTask.instance.has(business_key=f"smart_working:{agreement.id}"))).scalar_one()


def _agreement(person: User, starts_on: date, pattern: dict[int, str]) -> SmartWorkingAgreement:
    row = SmartWorkingAgreement(
        user_id=person.id, unit_id=person.unit_id, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=181), pattern={str(k): v for k, v in pattern.items()},
        place="home", equipment="administration", exceeds_limits=False)
    db.session.add(row)
    db.session.flush()
    agreements.start_workflow(person, row)
    return row


def _instance(row: SmartWorkingAgreement) -> ProcessInstance:
    return db.session.execute(select(ProcessInstance).where(
        ProcessInstance.business_key == f"smart_working:{row.id}")).scalar_one()


def _in_force(person: User, head: User, pattern: dict[int, str]) -> SmartWorkingAgreement:
    """Authorised and signed, in force since the first of last month: last month's
    report opens at once."""
    row = _agreement(person, month_start(month_start(agreements.today()) - timedelta(days=1)),
                     pattern)
    authorise = _open_task(row, "authorise")
    tasks.claim(head, authorise.id)
    tasks.complete(head, authorise.id, {"decision": "yes", "note": ""})
    tasks.complete(person, _open_task(row, "acknowledge").id, {"accept": True})
    runtime.fire_timers(_instance(row))
    return row


def load(administration: Administration) -> None:
    """Running it twice changes nothing."""
    units = _units(administration)
    if db.session.execute(select(Remotability.id)).first() is None:
        _score_and_link(_process_map(administration, units))
    if engine.undeployed((agreements.PROCESS_ID,)) or db.session.execute(
            select(SmartWorkingAgreement.id)).first() is not None:
        return
    head = units["A1"].head
    pending, due, reported = (_person(p) for p in (PENDING, REPORT_DUE, REPORTED))
    if None in (pending, due, reported):
        return
    _agreement(pending, next_month(agreements.today()), {0: "day", 3: "morning"})
    _in_force(due, head, {1: "day", 3: "day"})
    done = _in_force(reported, head, {2: "day", 4: "afternoon"})
    month = month_start(done.starts_on)
    planned = agreements.planned_usage(done, month, next_month(month) - timedelta(days=1))
    tasks.complete(reported, _open_task(done, "monthly_report").id, {
        "days": planned.days, "half_days": planned.half_days, "problems": "",
        "activities": "Assistenza agli utenti sulla firma digitale e sul cassetto digitale "
                      "dell'imprenditore; aggiornamento delle guide sul sito."})
