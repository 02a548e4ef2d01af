"""The living demo (`flask demo load`, `make run`): the demo administration on the day the
command runs, with three cycles so that every role finds work today.

One master process runs per year and a cycle spans eighteen months (its Report and
rewards come in June-July of the next year), so "last year's cycle closed" and "last
year's evaluations open" cannot both hold: the closed cycle is the one two years back.
The three years, `today` being the date the command runs (passed in, so tests fix it):

- year - 2: driven to its end by `flask demo run-cycle`'s driver: results, Report
  validated by the OIV, rewards, transparency page;
- year - 1: driven into its individual evaluations (the master waits for them): some
  evaluations rated and acknowledged, a manager with many people who has only saved
  drafts, employees with a self-assessment to write or an evaluation to read, the
  Secretary General rating the managers and the Board the Secretary General;
- year: mid-year. The intermediate monitoring round is done (indicators at risk, a
  revision proposed); the master waits for the OIV's opinion on the revision, overdue
  since a few days, while the OIV's extra round is open: some areas have reported
  (indicators at risk), the others and most evaluators' checks are due in ten days.

The OIV's validation and the Board's deliberations of a cycle come after its
evaluations in workflows/performance_cycle.bpmn, so they cannot be open beside them:
the OIV's open task is the revision opinion of this year, the Board's is the Secretary
General's evaluation (the Giunta evaluates the SG).

Every date is the calendar of DOMAIN.md moved so that `today` falls on 3 November of
this year's cycle (one shift for all three cycles, so they stay in step); the previous
cycle's evaluation and Report deadlines were extended past today, as administrations do
when evaluations run late."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from random import Random

import click
from sqlalchemy import select

from app import engine
from app.demo import cycle as driver
from app.demo import org
from app.demo import plan as demo_plan
from app.demo.child_inputs import grades
from app.extensions import db
from app.models.engine import HumanTask
from app.models.org import Administration, OrgUnit, Role, User, UserRole
from app.models.plan import CALENDAR_DEFAULTS, Cycle
from app.services.cycle import operations as cycle_service
from app.services.cycle import rounds
from app.services.plan.cycles import create_cycle, set_calendar
from app.services.tasks import drafts

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
SEED = 2023  # the synthetic inputs are the same every year the demo is loaded
TODAY_IN_CALENDAR = (11, 3)  # today is 3 November of this year's cycle
EVALUATIONS_DUE_IN, REPORT_DUE_IN, EXTRA_ROUND_DUE_IN = 14, 45, 10
RATED_BY_FAST = 4  # evaluations the quick manager has rated; one of them acknowledged
DRAFTS_BY_SLOW = 3  # drafts the manager with many people has saved, none completed
FAST_MANAGER, SLOW_MANAGER = "elena.bruno", "marco.ferraris"
SELF_ASSESSING_SECTOR = "A4.2"  # its people still have their self-assessment open
LATE_AREAS = ("A3", "A4")  # areas that have not reported in the extra round yet
EXTRA_ROUND = "Verifica straordinaria degli indicatori a rischio"


def years(today: date) -> tuple[int, int, int]:
    """The closed, the evaluating and the current cycle's years."""
    if today.year - 2 <= demo_plan.YEAR:
        raise click.ClickException(f"the living demo starts after {demo_plan.YEAR + 2}")
    return today.year - 2, today.year - 1, today.year


def calendar(year: int, today: date) -> dict[str, date]:
    """The cycle's calendar: DOMAIN.md's, moved so that today is 3 November of the
    current cycle; the previous cycle's evaluations and Report are due after today."""
    current = today.year
    shift = today - date(current, *TODAY_IN_CALENDAR)
    dates = {name: default(year) + shift for name, default in CALENDAR_DEFAULTS.items()}
    if year == current - 1:
        dates["evaluation_due"] = today + timedelta(days=EVALUATIONS_DUE_IN)
        dates["report_due"] = today + timedelta(days=REPORT_DUE_IN)
    return dates


def is_living(administration: Administration) -> bool:
    return db.session.execute(select(Cycle.id).where(
        Cycle.administration_id == administration.id, Cycle.year > demo_plan.YEAR)
    ).first() is not None


def load(password: str, today: date, echo=click.echo) -> bool:
    """Load the demo administration with its three cycles; False when it was loaded
    already (nothing changes). Refuses on a database with real users (org.DemoRefused)."""
    administration = org.load(password)
    source = demo_plan.load(administration)
    db.session.commit()
    if is_living(administration):
        return False
    if engine.undeployed((cycle_service.PROCESS_ID,)):
        engine.deploy_directory(WORKFLOWS)
        db.session.commit()
    closed, previous, current = years(today)
    quiet = _quiet
    cycle, master = _start(administration, closed, source, today)
    echo(f"Cycle {closed}: driven to its end")
    # no detour the demo does not show: the Report validated at once (a PDF less to draw)
    driver.drive(cycle, master, Random(SEED), driver.Scenario(refuse_report_once=False), quiet)
    cycle, master = _start(administration, previous, cycle, today)
    echo(f"Cycle {previous}: driven into its individual evaluations")
    driver.drive(cycle, master, Random(SEED + 1), driver.Scenario(revision=False, review_share=0),
                 quiet, leave_open=Evaluations(cycle))
    _save_drafts(cycle, Random(SEED + 1))
    cycle, master = _start(administration, current, cycle, today)
    echo(f"Cycle {current}: driven to its extra monitoring round")
    driver.drive(cycle, master, Random(SEED + 2), driver.Scenario(), quiet,
                 leave_open=driver.at_step("oiv_opinion"))
    _open_extra_round(cycle, today)
    driver.drive(cycle, master, Random(SEED + 3), driver.Scenario(revision=False), quiet,
                 leave_open=ExtraRound())
    _other_sections(administration, cycle)
    return True


def _other_sections(administration: Administration, current: Cycle) -> None:
    """The integrated plan's other sections of this year: the people plans (Turin's
    figures, on this year's three years), the corruption-risk section (its mid-year
    reports asked), and the smart-working agreements as of today (they score the risk
    section's process map, so they come after it)."""
    from app.demo import people_plan as demo_people
    from app.demo import risk as demo_risk
    from app.demo import smart_working as demo_smart_working

    demo_people.load(current)
    db.session.commit()
    demo_risk.load(current)
    demo_smart_working.load(administration)
    db.session.commit()


def _quiet(*_args, **_kwargs) -> None:
    """The driver's echo, silenced: the load prints one line per cycle."""


def _first(role: Role) -> User:
    return db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.is_demo, UserRole.role == role.value).order_by(User.id).limit(1)
    ).scalar_one()


def _user(slug: str) -> User:
    return db.session.execute(select(User).where(User.email == f"{slug}@{org.DOMAIN}")).scalar_one()


def _start(administration: Administration, year: int, source: Cycle, today: date):
    support = _first(Role.SUPPORT_UNIT)
    cycle = create_cycle(support, administration.id, year)
    set_calendar(support, cycle, calendar(year, today))
    cycle, master = cycle_service.start(support, administration.id, year, copy_from=source)
    db.session.commit()
    return cycle, master


class Evaluations:
    """Which tasks of the previous cycle's evaluations stay open (True) for the drive:
    the self-assessments of one sector; every rating but the quick manager's first
    few; every acknowledgement but one; any review."""

    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        self.fast = _user(FAST_MANAGER).id
        self.sector = db.session.execute(select(OrgUnit.id).where(
            OrgUnit.code == SELF_ASSESSING_SECTOR)).scalar_one()
        self._rated: list[int] | None = None

    def rated(self) -> list[int]:
        """The people the quick manager rates: the first ones of theirs, by id (read
        once every rating task of theirs exists, at the first one)."""
        if self._rated is None:
            self._rated = sorted(db.session.execute(select(HumanTask.subject_id).where(
                HumanTask.cycle_id == self.cycle.id, HumanTask.bpmn_id == "rate_evaluation",
                HumanTask.lane_assignee_id == self.fast)).scalars())[:RATED_BY_FAST]
        return self._rated

    def __call__(self, task: HumanTask) -> bool:
        if task.bpmn_id == "self_assessment":
            return task.subject.unit_id == self.sector
        if task.bpmn_id == "rate_evaluation":
            return task.assignee_id != self.fast or task.subject_id not in self.rated()
        if task.bpmn_id == "acknowledge_evaluation":
            return task.subject_id != self.rated()[0]
        return task.bpmn_id in ("review_evaluation", "review_board")


def _save_drafts(cycle: Cycle, rng: Random) -> None:
    """The slow manager has saved a few ratings as drafts in the team grid."""
    slow = _user(SLOW_MANAGER)
    tasks = db.session.execute(select(HumanTask).where(
        HumanTask.cycle_id == cycle.id, HumanTask.bpmn_id == "rate_evaluation",
        HumanTask.assignee_id == slow.id).order_by(HumanTask.subject_id)
        .limit(DRAFTS_BY_SLOW)).scalars().all()
    for task in tasks:
        fields = grades(task, rng)
        rows = [{"objective_id": int(fields[f"rows-{n}-objective_id"]),
                 "what": fields[f"rows-{n}-what"], "how": fields[f"rows-{n}-how"], "comment": ""}
                for n in range(len(fields) // 4)]
        drafts.save(slow, task.id, {"rows": rows, "comment": ""}, 0)
    db.session.commit()


def _open_extra_round(cycle: Cycle, today: date) -> None:
    rounds.open_extra_round(_first(Role.OIV), cycle, EXTRA_ROUND,
                            today + timedelta(days=EXTRA_ROUND_DUE_IN))
    db.session.commit()


class ExtraRound:
    """Open in the current cycle: the OIV's opinion, the monitoring of the late areas,
    the checks of the managers and the Secretary General (the supervisors have done
    theirs)."""

    def __init__(self):
        self.late = set(db.session.execute(select(OrgUnit.id).where(
            OrgUnit.code.in_(LATE_AREAS))).scalars())

    def __call__(self, task: HumanTask) -> bool:
        if task.bpmn_id == "report_monitoring":
            return task.instance.org_unit_id in self.late
        if task.bpmn_id == "check_objectives":
            return not task.assignee.has_role(Role.SUPERVISOR)
        return task.bpmn_id == "oiv_opinion"
