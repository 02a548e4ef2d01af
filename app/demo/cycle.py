"""`flask demo run-cycle`: a whole cycle of the demo administration, driven headless.

A new cycle (the year after the latest adopted plan, its plan copied from that one) is
started as `flask cycle start` does; then every open task of the cycle, of the master
process and of its children, is completed by the person it is for, with synthetic but
plausible inputs (seeded, so every run is the same): the inputs are validated by the
task's form class and handed to app.services.tasks.operations.complete, as the task page does."""
from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random

import click
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage, MultiDict

from app.engine import assignment
from app.extensions import db
from app.formats import italian as formatting
from app.formats.values import format_value
from app.models.engine import HumanTask, InstanceStatus, ProcessInstance, TaskStatus
from app.models.org import Administration, Role, User, UserRole
from app.models.plan import Cycle, Direction, IndicatorUnit
from app.services.cycle import measurement
from app.services.cycle import operations as cycle_service
from app.services.jobs import worker
from app.services.tasks import operations as task_service
from app.services.tasks.steps import context_for
from forms.registry import build

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TURIN_FUNDS = {"staff_fund": Decimal("734312.44"), "managers_fund": Decimal("78980.25")}  # 2019
TURIN_PEOPLE = 200  # the people Turin's two pools were shared among, about 200


def funds() -> dict[str, str]:
    """Turin's 2019 pools scaled to the demo's size, so a demo bonus is a plausible one:
    each pool x the demo's people in the pools (everyone with the Employee role) / the
    about 200 people of Turin's, to the cent, as the fund form takes them."""
    people = db.session.execute(
        select(func.count(UserRole.user_id)).join(User, User.id == UserRole.user_id)
        .where(User.is_demo, UserRole.role == Role.EMPLOYEE.value)).scalar_one()
    return {key: formatting.number(amount * people / TURIN_PEOPLE)
            for key, amount in TURIN_FUNDS.items()}


@dataclass
class Scenario:
    """Which detours the run takes: a plan revision after monitoring, an OIV refusal of
    the first Report, review requests by some people."""

    revision: bool = True
    refuse_report_once: bool = True
    review_share: float = 0.05
    refused: bool = field(default=False, init=False)


# --- inputs of the master's tasks ----------------------------------------------------------

def _deliberation(task: HumanTask, rng: Random, approved: bool = True, reason: str = "") -> dict:
    when = task.due_at.date() if task.due_at else date.today()
    return {"number": f"{rng.randint(10, 199)}/{when.year}", "date": when.isoformat(),
            "approved": str(approved), "reason": reason, "attachment": ("delibera.pdf", PDF)}


def _revised(indicator) -> tuple[str, str]:
    """A lower (or, lower-is-better, higher) target still on the right side of the
    threshold: 80% of the way from the threshold, or 90% (110%) of the target."""
    target, threshold = indicator.target, indicator.threshold
    if threshold is not None:
        new = threshold + (target - threshold) * Decimal("0.8")
    else:
        new = target * (Decimal("0.9") if indicator.direction == Direction.AT_LEAST.value
                        else Decimal("1.1"))
    return format_value(new.quantize(Decimal("0.01"))), format_value(threshold)


def _revisable(indicator) -> bool:
    return (IndicatorUnit(indicator.unit).kind.value == "number"
            and indicator.direction != Direction.EXACTLY.value and indicator.target)


def _actual(indicator, rng: Random) -> str:
    kind = IndicatorUnit(indicator.unit).kind.value
    if kind == "boolean":
        return format_value(rng.random() < 0.85)
    if kind == "date":
        return format_value(indicator.target + timedelta(days=rng.randint(-20, 6)))
    factor = Decimal(rng.randint(80, 115)) / 100
    if indicator.direction == Direction.AT_MOST.value:
        factor = Decimal(2) - factor
    value = (indicator.target * factor).quantize(Decimal("0.01"))
    if indicator.unit == IndicatorUnit.PERCENT.value:
        value = min(value, Decimal(100))
    return format_value(value)


def master_inputs(task: HumanTask, rng: Random, scenario: Scenario) -> dict:
    """POST fields completing a task of performance_cycle."""
    cycle = db.session.get(Cycle, task.instance.cycle_id)
    key = task.form_key
    if key in ("cycle_launch_assignments", "cycle_launch_monitoring", "cycle_launch_measurement",
               "cycle_measurement_check", "cycle_launch_evaluations", "cycle_rewards_compute",
               "cycle_publish"):
        return {"confirm": "y"}
    if key == "cycle_plan_submit":
        return {"note": f"Piano {cycle.year} pronto per la revisione."}
    if key in ("cycle_sg_review", "cycle_rewards_approval"):
        return {"approved": "True", "reason": ""}
    if key in ("cycle_plan_deliberation", "cycle_revision_deliberation",
               "cycle_oiv_evaluation_note", "cycle_report_approval", "cycle_fund_confirmation"):
        return _deliberation(task, rng)
    if key == "cycle_monitoring_consolidation":
        needed = scenario.revision and any(_revisable(i) for i in measurement.at_risk(cycle))
        return {"revision_needed": str(needed),
                "reason": "Target non più realistici per gli indicatori a rischio." if needed else ""}
    if key == "cycle_oiv_monitoring_report":
        return {"text": f"L'OIV ha esaminato il monitoraggio: {len(measurement.at_risk(cycle))} "
                        "indicatori a rischio, gli altri in linea con i target."}
    if key == "cycle_revision_proposal":
        fields = {}
        for n, indicator in enumerate(measurement.at_risk(cycle)):
            target, threshold = (_revised(indicator) if _revisable(indicator) else
                                 (format_value(indicator.target), format_value(indicator.threshold)))
            fields.update({f"entries-{n}-indicator_id": str(indicator.id),
                           f"entries-{n}-target": target, f"entries-{n}-threshold": threshold})
        return fields
    if key == "cycle_revision_opinion":
        when = task.due_at.date() if task.due_at else date.today()
        return {"reference": f"Parere OIV n. {rng.randint(1, 9)}/{when.year}",
                "date": when.isoformat(), "positive": "True", "reason": ""}
    if key == "cycle_area_actuals":
        return area_actuals(task, rng)
    if key == "cycle_oiv_evaluation":
        return {"assessment": "Performance organizzativa complessivamente buona.",
                "sg_score": "5", "sg_proposal": "Obiettivi del Segretario Generale in larga parte raggiunti."}
    if key == "cycle_report_draft":
        return {"note": "Relazione sulla performance."}
    if key == "cycle_report_validation":
        refuse = scenario.refuse_report_once and not scenario.refused
        scenario.refused = scenario.refused or refuse
        return {"validated": str(not refuse), "signed": "y",
                "statement": ("Mancano le motivazioni degli scostamenti principali." if refuse else
                              "L'OIV valida la Relazione sulla performance.")}
    if key == "cycle_fund_entry":
        return funds()
    raise KeyError(f"no synthetic input for form '{key}'")


def area_actuals(task: HumanTask, rng: Random) -> dict:
    """The year-end value of every indicator of the area; the area's last indicator of
    the first area is neutralised, with its reason."""
    from app.models.org import OrgUnit

    cycle = db.session.get(Cycle, task.instance.cycle_id)
    area = db.session.get(OrgUnit, task.org_unit_id)
    indicators = measurement.area_indicators(cycle, area)
    first_area = measurement.measured_areas(cycle)[0].id == area.id
    fields = {}
    for n, indicator in enumerate(indicators):
        neutral = first_area and n == len(indicators) - 1
        fields.update({
            f"entries-{n}-indicator_id": str(indicator.id),
            f"entries-{n}-value": "" if neutral else _actual(indicator, rng),
            f"entries-{n}-neutralise_reason":
                "Dato non disponibile: la fonte esterna non è stata pubblicata." if neutral else ""})
    return fields


def flag_one_at_risk(task: HumanTask, data: dict, scenario: Scenario) -> dict:
    """With a revision in the scenario, the first area's monitoring flags its first
    revisable indicator at risk (with a note), so the revision has something to change."""
    if not scenario.revision or task.form_key != "monitoring":
        return data
    cycle = db.session.get(Cycle, task.instance.cycle_id)
    if measurement.measured_areas(cycle)[0].id != task.instance.org_unit_id:
        return data
    by_id = {i.id: i for i in measurement.indicators_of(cycle)}
    for name, value in sorted(data.items()):
        if name.endswith("-indicator_id") and _revisable(by_id[int(value)]):
            prefix = name.removesuffix("indicator_id")
            data = {**data, f"{prefix}at_risk": "y",
                    f"{prefix}note": "Domanda inferiore alle attese: il target non è più realistico."}
            break
    return data


def inputs(task: HumanTask, rng: Random, scenario: Scenario) -> dict:
    if task.form_key.startswith("cycle_"):
        return master_inputs(task, rng, scenario)
    from app.demo.child_inputs import synthetic

    data = synthetic(task, rng, ask_review=rng.random() < scenario.review_share)
    return flag_one_at_risk(task, data, scenario)


# --- driving the tasks ---------------------------------------------------------------------

def _formdata(data: dict) -> MultiDict:
    pairs = []
    for name, value in data.items():
        if isinstance(value, tuple):  # (filename, bytes): an upload
            value = FileStorage(io.BytesIO(value[1]), filename=value[0],
                                content_type="application/pdf")
        pairs.append((name, value))
    return MultiDict(pairs)


def _signed_in(user_id: int) -> User:
    """The person as a request signs them in: with their roles, in one statement
    (app.web.account.auth.load_user)."""
    return db.session.get(User, user_id, options=[joinedload(User.role_rows)])


def actor_for(task: HumanTask) -> User:
    """The assignee, or the first holder of a pooled task's role (who claims it)."""
    if task.holder_id is not None:
        return _signed_in(task.holder_id)
    candidates = assignment.candidate_ids(task.role, task.org_unit_id)
    if not candidates:
        raise click.ClickException(f"nobody can take the task '{task.title}' ({task.role})")
    actor = _signed_in(candidates[0])
    task_service.claim(actor, task.id)
    return actor


def complete(task: HumanTask, data: dict) -> None:
    """Validate the inputs with the task's form, then complete it as the page does."""
    actor = actor_for(task)
    with current_app.test_request_context(method="POST"):
        form = build(task.form_key, context_for(task), formdata=_formdata(data),
                     meta={"csrf": False})
        if not form.validate():
            raise click.ClickException(f"'{task.title}': the synthetic input was refused: {form.errors}")
        task_service.complete(actor, task.id, task_service.submitted_data(form))
    db.session.commit()


def open_tasks(cycle: Cycle) -> list[HumanTask]:
    return list(db.session.execute(
        select(HumanTask).where(HumanTask.cycle_id == cycle.id,
                                HumanTask.status == TaskStatus.OPEN.value)
        .order_by(HumanTask.id)).scalars())


def at_step(*bpmn_ids: str) -> Callable[[HumanTask], bool]:
    """A stop condition for drive: the tasks of these steps (BPMN ids) stay open."""
    return lambda task: task.bpmn_id in bpmn_ids


def drive(cycle: Cycle, master: ProcessInstance, rng: Random, scenario: Scenario,
          echo=click.echo, leave_open: Callable[[HumanTask], bool] | None = None) -> int:
    """Complete open tasks, batch after batch, until the master ends, doing the
    background jobs a step records (the children it starts) as the worker would.
    With `leave_open`, the tasks it accepts are left open and the drive stops once only
    such tasks are open (`at_step("oiv_opinion")` stops where the master reaches that
    step): the living demo stops its cycles half-way so. Returns how many tasks were
    completed."""
    done = 0
    while True:
        jobs = worker.work()
        if jobs.done or jobs.failed:
            echo(f"  background jobs: {jobs.done} items done, {jobs.failed} failed")
        db.session.expire_all()
        if db.session.get(ProcessInstance, master.id).status != InstanceStatus.RUNNING.value:
            return done
        waiting = open_tasks(cycle)
        batch = [t for t in waiting if leave_open is None or not leave_open(t)]
        if waiting and not batch:
            return done
        if not batch:
            raise click.ClickException("the cycle waits with no open task (a timer?)")
        title = Counter(t.title for t in batch).most_common(1)[0][0]
        label = f"{title} ({len(batch)})" if len(batch) > 1 else title
        if len(batch) > 3:
            with click.progressbar(batch, label=label, file=None) as bar:
                for task in bar:
                    complete(task, inputs(task, rng, scenario))
        else:
            echo(f"  {label}")
            for task in batch:
                complete(task, inputs(task, rng, scenario))
        done += len(batch)


def run(year: int | None = None, seed: int = 2023, echo=click.echo) -> Cycle:
    from app.demo import org

    administration = db.session.execute(select(Administration).where(
        Administration.code == org.ADMINISTRATION[0])).scalar_one_or_none()
    if administration is None:
        raise click.ClickException("no demo administration: run `flask demo load` first")
    support = db.session.execute(select(User).where(
        User.is_demo, User.role_rows.any(role=Role.SUPPORT_UNIT.value)).order_by(User.id).limit(1)
    ).scalar_one()
    source = cycle_service.latest_plan_cycle(administration.id, year or 9999)
    if source is None:
        raise click.ClickException("no adopted plan to start from")
    year = year or source.year + 1
    cycle, master = cycle_service.start(support, administration.id, year, copy_from=source)
    db.session.commit()
    echo(f"Cycle {year} started (plan copied from {source.year}), instance {master.id}.")
    done = drive(cycle, master, Random(seed), Scenario(), echo)
    echo(f"{done} tasks completed.")
    return cycle


def summary(cycle: Cycle) -> list[str]:
    from app.services.plan.scores import achievements
    from app.services.reports import figures as reports

    pct = formatting.percent

    result = achievements(cycle)
    lines = [f"Cycle {cycle.year}: {cycle.status}",
             f"Organisation achievement: {pct(result.organisation)}"]
    lines += [f"  area {unit.code} {unit.name}: {pct(value)}" for unit, value in result.unit_areas]
    lines.append("Scores per band:")
    counts = Counter(e.band or "low" for e in reports.final_evaluations(cycle))
    total = sum(counts.values())
    for band in ("low", "medium", "high"):
        share = Decimal(counts.get(band, 0) * 100) / total if total else Decimal(0)
        lines.append(f"  {band}: {counts.get(band, 0)} ({pct(share)})")
    fund = reports.fund(cycle)
    lines += [f"Total fund: {formatting.number(fund.amount)} EUR",
              f"Distributed: {formatting.number(fund.distributed)} EUR",
              f"Remainder: {formatting.number(fund.remainder)} EUR"]
    return lines
