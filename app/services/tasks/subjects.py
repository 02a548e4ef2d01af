"""Who a task is about, and who may take it over.

A task's subject (`subject_id`: the `employee_id` of its process instance) never acts on
a task about himself, whatever his roles: he neither sees it, claims it, reassigns or
delegates it, receives it, nor completes it. A Manager heading the unit of a task could
otherwise take over the Secretary General's rating of himself and rate himself. The one
exception is the Employee lane, whose tasks (self-assessment, acknowledgement) are the
subject's own by design.

Reassignment must never lock out the rightful evaluator. The rule: a task that evaluates
its subject (lanes Evaluator and Board) goes only to the person its lane resolved to
(`lane_assignee_id`, kept through reassignments) or someone above that person in the
evaluation chain (up to the Secretary General, and the Board where the chain ends there).
The person the lane resolved to, or the Board for a Board task, may always reassign it,
so they take it back by reassigning it to themselves. A first-level evaluator stays out
of the second-level review of his own rating: the line starts above him."""
from __future__ import annotations

from sqlalchemy import and_, or_, select

from app.extensions import db
from app.models.engine import HumanTask
from app.models.org import Role, User, UserRole
from app.services.org.operations import OrgSnapshot

EVALUATING = frozenset({Role.EVALUATOR.value, Role.BOARD.value})


def about_self(user: User, task: HumanTask) -> bool:
    """Whether the task evaluates or decides about the user (Employee-lane tasks excepted)."""
    return (task.subject_id is not None and task.subject_id == user.id
            and task.role != Role.EMPLOYEE.value)


def not_about_self_clause(user: User):
    """The inbox filter matching `about_self`: a task about me is never in my lists."""
    return not_about_self_of(user.id)


def not_about_self_of(me):
    """not_about_self_clause for the user whose id is `me` (a value or a bind parameter)."""
    return or_(HumanTask.subject_id.is_(None), HumanTask.subject_id != me,
               HumanTask.role == Role.EMPLOYEE.value)


def _board() -> set[int]:
    return set(db.session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(and_(UserRole.role == Role.BOARD.value, User.active))).scalars())


def evaluators(task: HumanTask) -> set[int] | None:
    """Who may hold a task that evaluates its subject: the person the lane resolved to and
    the chain above them; None for any other task (anyone but the subject may hold it)."""
    if task.role not in EVALUATING or task.subject_id is None:
        return None
    if task.lane_assignee_id is None:  # the Board's task: evaluating the Secretary General
        return _board() - {task.subject_id}
    snapshot = OrgSnapshot.around(task.cycle_id)
    snapshot.know_line(task.lane_assignee_id)
    line, current = {task.lane_assignee_id}, task.lane_assignee_id
    while True:
        evaluator = snapshot.evaluator(current)
        if evaluator.board:
            line |= _board()
            break
        if evaluator.user_id is None or evaluator.user_id in line:
            break
        line.add(evaluator.user_id)
        current = evaluator.user_id
    line.discard(task.subject_id)
    return line


def rightful(user: User, task: HumanTask) -> bool:
    """Whether the lane designates the user, who may then always take the task back."""
    if task.role not in EVALUATING or about_self(user, task):
        return False
    if task.lane_assignee_id is None:
        return user.has_role(task.role)
    return user.id == task.lane_assignee_id


def may_receive(user: User, task: HumanTask) -> bool:
    line = evaluators(task)
    return not about_self(user, task) and (line is None or user.id in line)
