"""The background jobs that start the children of a cycle's master process, one item
per person or area (see app.services.cycle.children, which records them).

Each item starts one child in the worker's chunk transaction, so it is done exactly once:
the unique running business key of the child (one per process and person) and the
unique evaluation per (cycle, person) hold it at the database level as well. The org
snapshot is loaded once per chunk, not once per person."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.org import OrgUnit, User
from app.models.plan import Cycle
from app.services.cycle import children
from app.services.jobs.registry import job_kind
from app.services.org.operations import OrgSnapshot


def _master(job) -> tuple[Cycle, ProcessInstance]:
    return db.session.get(Cycle, job.parameters["cycle_id"]), db.session.get(
        ProcessInstance, job.parent_instance_id)


def _with_snapshot(job) -> tuple:
    cycle, parent = _master(job)
    return cycle, parent, OrgSnapshot.load(cycle.id)


def _person(key: str) -> User:
    person = db.session.get(User, int(key))
    if person is None:
        raise LookupError(_l("This person no longer exists."))
    return person


@job_kind(children.ASSIGNMENT_JOB, prepare=_with_snapshot)
def start_assignment(job, key: str, shared) -> None:
    cycle, parent, snapshot = shared
    children.start_assignment(job.created_by, cycle, parent, _person(key), snapshot)


def _round(job) -> tuple:
    from app.models.monitoring import MonitoringRound

    cycle, parent = _master(job)
    return cycle, parent, db.session.get(MonitoringRound, job.parameters["round_id"])


@job_kind(children.MONITORING_JOB, prepare=_round)
def start_round_child(job, key: str, shared) -> None:
    cycle, parent, round_ = shared
    kind, _, ident = key.partition(":")
    model = OrgUnit if kind == "area" else User
    if db.session.get(model, int(ident)) is None:
        raise LookupError(_l("This unit no longer exists.") if kind == "area"
                          else _l("This person no longer exists."))
    children.start_round_child(job.created_by, cycle, parent, round_, key)


@job_kind(children.EVALUATION_JOB, prepare=_master)
def start_evaluation(job, key: str, shared) -> None:
    cycle, parent = shared
    children.start_evaluation(job.created_by, cycle, parent, _person(key))
