"""The background jobs that start the children of a cycle's master process, one item
per person or area (see app.services.cycle.children, which records them).

A chunk's children start together in the worker's chunk transaction (engine.start_many:
one flush for the instances, one for their inbox rows, one INSERT for the audit events),
so each is done exactly once: the unique running business key of the child (one per
process and person) and the unique evaluation per (cycle, person) hold it at the
database level as well. A chunk reads the evaluation chain of its own people only: the
people in one query, their overrides and the units above theirs in one read each
(OrgSnapshot.around, then know), not the whole administration for every fifty people.
A chunk with a broken item is done again item by item, so that only that item fails."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.org import OrgUnit, User
from app.models.plan import Cycle
from app.services.cycle import children
from app.services.jobs.registry import job_kind
from app.services.org.operations import OrgSnapshot

# Children started per transaction: about 8 ms each, so well under a second a chunk.
CHUNK = 50


def _cycle(job) -> Cycle:
    return db.session.get(Cycle, job.parameters["cycle_id"])


def _master(job) -> tuple[Cycle, ProcessInstance]:
    return _cycle(job), db.session.get(ProcessInstance, job.parent_instance_id)


def _with_snapshot(job) -> tuple:
    cycle, parent = _master(job)
    return cycle, parent, OrgSnapshot.around(cycle.id)


def _person(key: str) -> User:
    person = db.session.get(User, int(key))
    if person is None:
        raise LookupError(_l("This person no longer exists."))
    return person


def _people(keys: list[str]) -> list[User]:
    """The people of a chunk, in one query; a missing one fails the batch, and then
    that person's item alone (see app.services.jobs.queue)."""
    people = {person.id: person for person in db.session.scalars(
        select(User).where(User.id.in_([int(key) for key in keys])))}
    return [people.get(int(key)) or _person(key) for key in keys]


def _known(keys: list[str], snapshot: OrgSnapshot) -> list[User]:
    """The chunk's people, told to the snapshot (their overrides and units in one read
    each); one who has left is read as the snapshot reads anyone (their unit no longer
    counts)."""
    people = _people(keys)
    snapshot.know({person.id: person.unit_id for person in people if person.active})
    return people


def _start_assignments(job, keys: list[str], shared) -> None:
    cycle, parent, snapshot = shared
    children.start_children(job.created_by, parent, children.ASSIGNMENTS_DONE, [
        children.assignment_start(cycle, person, snapshot) for person in _known(keys, snapshot)])


@job_kind(children.ASSIGNMENT_JOB, prepare=_with_snapshot, batch=_start_assignments,
         chunk=CHUNK, expand=lambda job: children.assignment_people(_cycle(job)))
def start_assignment(job, key: str, shared) -> None:
    _start_assignments(job, [key], shared)


def _round(job) -> tuple:
    from app.models.monitoring import MonitoringRound

    cycle, parent = _master(job)
    return cycle, parent, db.session.get(MonitoringRound, job.parameters["round_id"])


def _check_exists(key: str) -> None:
    kind, _, ident = key.partition(":")
    model = OrgUnit if kind == "area" else User
    if db.session.get(model, int(ident)) is None:
        raise LookupError(_l("This unit no longer exists.") if kind == "area"
                          else _l("This person no longer exists."))


def _start_round_children(job, keys: list[str], shared) -> None:
    cycle, parent, round_ = shared
    for key in keys:
        _check_exists(key)
    children.start_children(job.created_by, parent, children.MONITORING_DONE, [
        children.round_child_start(cycle, round_, key) for key in keys])


@job_kind(children.MONITORING_JOB, prepare=_round, batch=_start_round_children,
         chunk=CHUNK, expand=lambda job: children.round_checkers(_cycle(job)))
def start_round_child(job, key: str, shared) -> None:
    _start_round_children(job, [key], shared)


def _start_evaluations(job, keys: list[str], shared) -> None:
    cycle, parent, snapshot = shared
    children.start_children(job.created_by, parent, children.EVALUATIONS_DONE, [
        children.evaluation_start(job.created_by, cycle, person, snapshot)
        for person in _known(keys, snapshot)])


@job_kind(children.EVALUATION_JOB, prepare=_with_snapshot, batch=_start_evaluations,
         chunk=CHUNK, expand=lambda job: children.evaluation_people(_cycle(job)))
def start_evaluation(job, key: str, shared) -> None:
    _start_evaluations(job, [key], shared)
