"""The child processes the master process of a cycle starts and waits for: one
`objective_assignment` per person, one `monitoring` per area and one `individual_check`
per evaluator in each monitoring round, one `individual_evaluation` per person with
acknowledged objectives.

Each start_* function records, in the caller's transaction, the background job that
starts the children (one item per person or area, done by `flask jobs work`; the item
handlers are in fanout_jobs.py) and returns at once. The children carry the master as
parent and an end message; the engine sends that message to the master when the job is
done and the last child has ended (app.engine.messages.finished_children). With nothing
to start, the function sends the end message itself, with an empty list of children, so
the master never waits for children that do not exist: if the master does not wait yet,
the message stays pending and is delivered as soon as it reaches its catch event."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app import engine
from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.evaluation import ObjectiveSheet, SheetStatus
from app.models.org import OrgUnit, Role, UnitKind, User, UserRole
from app.models.plan import Cycle, Indicator, Objective
from app.services.evaluation.operations import open_evaluation
from app.services.jobs import queue
from app.services.org.operations import OrgSnapshot

# The child processes (workflows/*.bpmn) and the messages that tell the master they ended.
ASSIGNMENT, MONITORING, EVALUATION = "objective_assignment", "monitoring", "individual_evaluation"
INDIVIDUAL_CHECK = "individual_check"
ASSIGNMENTS_DONE = "assignments_done"
MONITORING_DONE = "monitoring_done"
EVALUATIONS_DONE = "evaluations_done"

# The job kinds starting them (app.services.cycle.fanout_jobs).
ASSIGNMENT_JOB, MONITORING_JOB, EVALUATION_JOB = (
    "cycle.start_assignments", "cycle.start_monitoring", "cycle.start_evaluations")

# How long the person has to acknowledge before being reminded, and to self-assess
# before the evaluator rates (ISO durations, read by the diagrams' timers).
ACKNOWLEDGEMENT_REMINDER = "P7D"
SELF_ASSESSMENT_WITHIN = "P14D"


def task_subject(task) -> tuple[Cycle, User]:
    """The cycle and the person a child process of the cycle is about."""
    instance = task.instance
    return (db.session.get(Cycle, instance.cycle_id), db.session.get(User, instance.subject_id))


def _to_evaluate():
    """Active staff: holders of the Employee role with a unit, and the Secretary General.
    External members (the OIV) and accounts without the Employee role are not evaluated."""
    employees = select(UserRole.user_id).where(UserRole.role == Role.EMPLOYEE.value)
    general = select(UserRole.user_id).where(UserRole.role == Role.SECRETARY_GENERAL.value)
    return (User.active, User.id.in_(employees), User.unit_id.is_not(None) | User.id.in_(general))


def people_to_evaluate(cycle: Cycle) -> list[User]:
    return list(db.session.execute(select(User).where(*_to_evaluate()).order_by(User.id)).scalars())


def _named(*where) -> Select:
    """(id, full name) of the people: a job's items, which the database copies into the
    job itself (25,000 people read into a transaction would take seconds of it)."""
    return select(User.id, User.first_name + " " + User.last_name).where(*where).order_by(User.id)


def assignment_people(cycle: Cycle) -> Select:
    return _named(*_to_evaluate())


def _evaluator_data(snapshot: OrgSnapshot, person: User) -> dict:
    """`evaluator_id` when a person evaluates; nothing for the Board, which the
    Evaluator lane resolves to by itself."""
    evaluator = snapshot.evaluator(person.id)
    return {} if evaluator.board or evaluator.user_id is None else {"evaluator_id": evaluator.user_id}


def _none_started(name: str, parent: ProcessInstance, actor) -> int:
    engine.send_message(name, instance_id=parent.id, key=engine.batch_key(parent.id, name),
                        payload=[], actor=actor, sender_id=parent.id)
    return 0


def _enqueue(kind: str, items: list[tuple], actor, cycle: Cycle, parent: ProcessInstance,
             message: str, expand_label: str | None = None, **parameters) -> int:
    """Record the job starting one child per item, and per item the worker lists when
    `expand_label` is given (see queue.EXPAND); the number of children it starts now."""
    if not items and expand_label is None:
        return _none_started(message, parent, actor)
    queue.enqueue(kind, items, actor=actor, parameters={"cycle_id": cycle.id, **parameters},
                  cycle_id=cycle.id, parent=parent, notify_message=message,
                  expand_label=expand_label)
    return len(items)


def _enqueue_people(kind: str, people: Select, label: str, actor, cycle: Cycle,
                    parent: ProcessInstance, message: str) -> int:
    """Record the job starting one child per person, the people listed by the worker as
    the job's first item: copying 25,000 of them into the job takes about a second, not
    for the request. Returns how many people there are now."""
    count = db.session.scalar(select(func.count()).select_from(people.order_by(None).subquery()))
    if not count:
        return _none_started(message, parent, actor)
    _enqueue(kind, [], actor, cycle, parent, message, expand_label=label)
    return count


def start_assignments(actor, cycle: Cycle, parent: ProcessInstance) -> int:
    """One objective assignment per person to evaluate; returns how many will start."""
    return _enqueue_people(ASSIGNMENT_JOB, assignment_people(cycle),
                           _l("The people whose objectives are to be assigned"),
                           actor, cycle, parent, ASSIGNMENTS_DONE)


def assignment_start(cycle: Cycle, person: User, snapshot: OrgSnapshot) -> engine.Start:
    """The person's objective assignment, as the engine starts it."""
    return engine.Start(ASSIGNMENT, f"assignment:{cycle.id}:{person.id}", {
        "cycle_id": cycle.id, "employee_id": person.id, "unit_id": person.unit_id,
        **_evaluator_data(snapshot, person),
        "assignment_due": cycle.assignment_due.isoformat(),
        "acknowledgement_reminder": ACKNOWLEDGEMENT_REMINDER, "reminders": 0})


def start_children(actor, parent: ProcessInstance, message: str,
                   starts: list[engine.Start]) -> list[ProcessInstance]:
    """Start children of the master together (see engine.start_many)."""
    return engine.start_many(starts, actor=actor, parent=parent, end_message=message)


def areas_to_monitor(cycle: Cycle) -> list[OrgUnit]:
    """The areas owning (themselves or through their sectors) an indicator of the plan."""
    if cycle.plan is None:
        return []
    owners = set(db.session.execute(
        select(Objective.owner_unit_id).join(Indicator, Indicator.objective_id == Objective.id)
        .where(Objective.plan_id == cycle.plan.id, Objective.owner_unit_id.is_not(None))
    ).scalars())
    areas = db.session.execute(
        select(OrgUnit).where(OrgUnit.kind == UnitKind.AREA.value).order_by(OrgUnit.code)
    ).scalars().all()
    return [area for area in areas if owners & area_unit_ids(area)]


def area_unit_ids(area: OrgUnit) -> set[int]:
    """The area and every unit below it."""
    ids, frontier = set(), [area]
    while frontier:
        unit = frontier.pop()
        ids.add(unit.id)
        frontier.extend(unit.children)
    return ids


def start_monitoring(actor, cycle: Cycle, parent: ProcessInstance, round_) -> int:
    """The round's children: one monitoring per area owning indicators and one check of
    the individual objectives per evaluator. The areas are listed here; the evaluators,
    which takes the whole organisation's evaluation chain (seconds at 25,000 people), by
    the worker (round_checkers). Returns how many areas will start."""
    items = [(f"area:{area.id}", area.name) for area in areas_to_monitor(cycle)]
    with_objectives = db.session.scalar(select(
        select(ObjectiveSheet.id).where(ObjectiveSheet.cycle_id == cycle.id).exists()))
    checkers = _l("The evaluators checking the individual objectives")
    return _enqueue(MONITORING_JOB, items, actor, cycle, parent, MONITORING_DONE,
                    expand_label=checkers if with_objectives else None, round_id=round_.id)


def round_checkers(cycle: Cycle) -> list[tuple[str, str]]:
    """The checks of a monitoring round, as its job's items: one per evaluator of
    people with objectives in the cycle (app.services.cycle.checks.people_by_checker)."""
    from app.services.cycle.checks import people_by_checker

    checkers = people_by_checker(cycle)
    names = dict(db.session.execute(select(User.id, User.first_name + " " + User.last_name)
                                    .where(User.id.in_(list(checkers)))).all())
    return [(f"check:{checker_id}", names.get(checker_id, str(checker_id)))
            for checker_id in sorted(checkers)]


def round_child_start(cycle: Cycle, round_, key: str) -> engine.Start:
    """One child of a monitoring round: `area:<unit id>` or `check:<evaluator id>`."""
    kind, _, ident = key.partition(":")
    prefix, due = f"monitoring_round:{round_.id}", {"monitoring_due": round_.due.isoformat()}
    if kind == "area":
        return engine.Start(MONITORING, f"{prefix}:area:{ident}",
                            {"cycle_id": cycle.id, "unit_id": int(ident), **due})
    return engine.Start(INDIVIDUAL_CHECK, f"{prefix}:check:{ident}",
                        {"cycle_id": cycle.id, "evaluator_id": int(ident), **due})


def evaluation_people(cycle: Cycle) -> Select:
    """The people with acknowledged objectives."""
    return _named(User.id.in_(select(ObjectiveSheet.user_id).where(
        ObjectiveSheet.cycle_id == cycle.id,
        ObjectiveSheet.status == SheetStatus.ACKNOWLEDGED.value)))


def start_evaluations(actor, cycle: Cycle, parent: ProcessInstance) -> int:
    """The evaluation of every person with acknowledged objectives, each opened with
    its process; returns how many will start."""
    return _enqueue_people(EVALUATION_JOB, evaluation_people(cycle), _l("The people to evaluate"),
                           actor, cycle, parent, EVALUATIONS_DONE)


def evaluation_start(actor, cycle: Cycle, person: User, snapshot: OrgSnapshot) -> engine.Start:
    """Open the person's evaluation (one per cycle and person); its process to start."""
    evaluation = open_evaluation(cycle, person, actor, snapshot)
    evaluator = {} if evaluation.evaluated_by_board else {"evaluator_id": evaluation.evaluator_id}
    return engine.Start(EVALUATION, f"evaluation:{cycle.id}:{person.id}", {
        "cycle_id": cycle.id, "employee_id": person.id, "unit_id": person.unit_id,
        **evaluator, "evaluation_due": cycle.evaluation_due.isoformat(),
        "self_assessment_within": SELF_ASSESSMENT_WITHIN})
