"""From a BPMN lane to the people who may act on a task.

Lanes are role names. `Employee` is the person concerned (`employee_id` in the task data)
and `Evaluator` that person's evaluator (`evaluator_id`, or the evaluation chain that the
organisation behind `EvaluatorDirectory` gives); both give one assignee. Every other lane pools the task to the holders
of the role, limited for unit-scoped roles to those heading the task's unit (`unit_id` in
the data, else the instance's unit) or a unit above it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select

from app.engine.errors import EngineError
from app.extensions import db
from app.models.org import OrgUnit, Role, User, UserRole

# Roles whose holders act only within the units they head.
UNIT_SCOPED = frozenset({Role.MANAGER.value, Role.SUPERVISOR.value})


class Evaluator(Protocol):
    user_id: int | None
    board: bool  # evaluated by the Board (the Secretary General)


class EvaluationChain(Protocol):
    def evaluator(self, user_id: int) -> Evaluator: ...


class EvaluatorDirectory(Protocol):
    """What the engine needs of the organisation: who evaluates whom in a cycle. The
    organisation's services provide it (app.services.org) and the application installs it
    with `use_directory` when it starts, so the engine imports nothing above it."""

    def chain(self, cycle_id: int | None) -> EvaluationChain: ...


_directory: EvaluatorDirectory | None = None


def use_directory(directory: EvaluatorDirectory) -> None:
    global _directory
    _directory = directory


def evaluation_chain(cycle_id: int | None) -> EvaluationChain:
    """Who evaluates whom in the cycle (the organisation's evaluation chain)."""
    if _directory is None:
        raise EngineError("no evaluator directory is installed: call use_directory at start-up")
    return _directory.chain(cycle_id)


@dataclass(frozen=True)
class Assignment:
    role: str
    assignee_id: int | None
    org_unit_id: int | None
    subject_id: int | None


def _int(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise EngineError(f"'{key}' in the task data must be a user or unit id, not {value!r}")
    return value


def resolve(lane: str, data: dict, *, instance_unit_id: int | None,
            cycle_id: int | None, task_name: str) -> Assignment:
    unit_id = _int(data, "unit_id") or instance_unit_id
    employee_id = _int(data, "employee_id")
    if lane == Role.EMPLOYEE.value:
        if employee_id is None:
            raise EngineError(f"task '{task_name}' is in lane Employee but the data has no employee_id")
        return Assignment(lane, employee_id, unit_id, employee_id)
    if lane == Role.EVALUATOR.value:
        evaluator_id = _int(data, "evaluator_id")
        if evaluator_id is None:
            if employee_id is None:
                raise EngineError(f"task '{task_name}' is in lane Evaluator but the data has "
                                  "neither evaluator_id nor employee_id")
            evaluator = evaluation_chain(cycle_id).evaluator(employee_id)
            if evaluator.board:  # the Secretary General is evaluated by the Board
                return Assignment(Role.BOARD.value, None, unit_id, employee_id)
            evaluator_id = evaluator.user_id
        return Assignment(lane, evaluator_id, unit_id, employee_id)
    return Assignment(lane, None, unit_id, employee_id)


def _units_above(unit_id: int) -> set[int]:
    """The unit and its ancestors: their heads are in scope for it."""
    chain, current = set(), unit_id
    while current is not None and current not in chain:
        chain.add(current)
        current = db.session.scalar(select(OrgUnit.parent_id).where(OrgUnit.id == current))
    return chain


def candidate_ids(role: str, org_unit_id: int | None) -> list[int]:
    """Active holders of a pooled task's role, within its unit for unit-scoped roles."""
    stmt = (select(User.id).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.active).order_by(User.id))
    if role in UNIT_SCOPED and org_unit_id is not None:
        heads = select(OrgUnit.head_id).where(OrgUnit.id.in_(_units_above(org_unit_id)))
        stmt = stmt.where(User.id.in_(heads))
    return list(db.session.execute(stmt).scalars())


def in_pool(user: User, role: str, org_unit_id: int | None, headed: set[int]) -> bool:
    """Whether the user is a candidate for a pooled task; `headed` is the set of units the
    user heads (app.services.org.permissions.headed_units)."""
    if not user.has_role(role):
        return False
    return role not in UNIT_SCOPED or org_unit_id is None or org_unit_id in headed
