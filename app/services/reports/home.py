"""What the home page shows the signed-in person, read-only.

Everyone: what needs them now (their open tasks, the overdue first, then by due date)
and where the current cycle stands (the master process's steps from the engine's state).
Then per role, only what that role may see elsewhere too: a manager or supervisor the
progress of the people of the units they head; every member of staff their own
objectives and latest evaluation; SupportUnit, the Secretary General and the OIV the
cycle's open steps; the Board its deliberations; the RPCT and SupportUnit the
publication obligations whose update is late; the Admin the messages not delivered
and the processes stopped on an error."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app import engine
from app.engine import clock
from app.extensions import db
from app.models.cycle import BoardDeliberation
from app.models.engine import InstanceStatus, Notification, NotificationStatus, ProcessInstance
from app.models.evaluation import Evaluation
from app.models.org import Role, User
from app.models.plan import Cycle, IndividualObjective
from app.services.cycle.operations import instance_of
from app.services.org.permissions import ORG_WIDE, headed_units
from app.services.plan.individual import objectives_of
from app.services.reports import figures, standing
from app.services.tasks import inbox
from app.services.transparency import grid

TASKS_SHOWN = 8


@dataclass
class Home:
    tasks: list
    task_counts: dict[str, int]
    cycle: Cycle | None = None
    timeline: list[engine.Step] = field(default_factory=list)
    team: figures.StepCounts | None = None
    objectives: list[IndividualObjective] | None = None
    evaluation: Evaluation | None = None
    evaluation_year: int | None = None
    open_steps: figures.TaskOverview | None = None
    deliberations: list[BoardDeliberation] | None = None
    late_obligations: int | None = None
    failed_mail: int | None = None
    stopped_processes: int | None = None


def timeline(cycle: Cycle) -> list[engine.Step]:
    """The cycle's steps in order with done/current/next, from its master instance."""
    instance = instance_of(cycle)
    return engine.steps(instance) if instance is not None else []


def latest_evaluation(user: User) -> tuple[Evaluation | None, int | None]:
    """The person's evaluation of the most recent cycle that has one, with its year."""
    row = db.session.execute(
        select(Evaluation, Cycle.year).join(Cycle, Cycle.id == Evaluation.cycle_id)
        .where(Evaluation.user_id == user.id).order_by(Cycle.year.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def _admin_figures(home: Home) -> None:
    home.failed_mail = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.status == NotificationStatus.FAILED.value))
    home.stopped_processes = db.session.scalar(select(func.count(ProcessInstance.id)).where(
        ProcessInstance.status == InstanceStatus.RUNNING.value,
        ProcessInstance.last_error.is_not(None)))


def home_of(user: User, cycle: Cycle | None, administration_id: int) -> Home:
    """`cycle`: the administration's current one (None before the first)."""
    home = Home(tasks=inbox.page("mine", user, inbox.Filters()).items[:TASKS_SHOWN],
                task_counts=inbox.counts(user), cycle=cycle)
    if user.has_role(Role.ADMIN):
        _admin_figures(home)
    if user.has_role(Role.RPCT, Role.SUPPORT_UNIT):
        home.late_obligations = len(grid.late(administration_id, clock.now().date()))
    if cycle is None:
        return home
    home.timeline = timeline(cycle)
    units = headed_units(user) if user.has_role(Role.MANAGER, Role.SUPERVISOR) else set()
    if units:
        home.team = standing.step_counts(cycle, standing.PeopleFilters(units=units,
                                                                      without=user.id))
    if user.unit_id is not None:
        home.objectives = objectives_of(cycle, user)
        home.evaluation, home.evaluation_year = latest_evaluation(user)
    if user.has_role(*ORG_WIDE) and not user.has_role(Role.ADMIN):
        home.open_steps = figures.open_tasks(cycle)
    if user.has_role(Role.BOARD):
        home.deliberations = list(db.session.execute(
            select(BoardDeliberation).where(BoardDeliberation.cycle_id == cycle.id)
            .order_by(BoardDeliberation.date.desc(), BoardDeliberation.id.desc())).scalars())
    return home
