"""A whole cycle of the demo administration through the HTTP interface: every task is
opened and posted by the person it is for (signing in as each in turn), with the
synthetic inputs of `flask demo run-cycle`; the run takes a plan revision, a review
request and an OIV refusal of the first Report.

Then the final figures are checked against values computed here, independently of
app.scoring, from the SMVP rules of DOMAIN.md; the rewards add up to the fund to the
cent; the published aggregates name nobody."""
from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from random import Random

import pytest
from sqlalchemy import select

from app.demo import cycle as demo_cycle
from app.engine import assignment
from app.extensions import db
from app.formats.tables import parse_decimal
from app.models.cycle import ReportStatus, ReportVersion
from app.models.engine import InstanceStatus, ProcessInstance
from app.models.evaluation import Evaluation, ObjectiveSheet, RewardPool
from app.models.org import User
from app.models.plan import Cycle, PlanRevision
from app.services.plan.scores import achievements
from tests.cycle.helpers import errors_of, open_cycle_tasks, post_task, start_cycle
from tests.helpers import EMPLOYEE_A1, csrf_token, login, run_jobs

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
MATRIX = {"A": [0, 1, 2, 3, 4, 5, 6], "B": [0, 1, 2, 3, 3, 4, 5], "C": [0, 0, 1, 2, 2, 3, 4]}


# --- driving the cycle through HTTP ----------------------------------------------------------

def _actor_id(task) -> int:
    return task.holder_id or assignment.candidate_ids(task.role, task.org_unit_id)[0]


def _browser(client, email: str):
    """A browser of its own (a test client), signed in as `email`: signing out of a
    shared one would end every session of the person signed out (User.end_sessions)."""
    browser = client.application.test_client()
    assert login(browser, email).status_code == 302
    return browser


def _run(client, cycle, master, checks) -> int:
    """Post every open task as its person until the master ends, the jobs worker doing
    what the posts queued between batches; `checks` sees each batch of open tasks
    first. Each person signs in once, in a browser of their own (a test client), and
    keeps it for the whole cycle. Returns the number of tasks completed."""
    rng, scenario = Random(7), demo_cycle.Scenario(review_share=0)
    reviewer = db.session.execute(select(User.id).where(User.email == EMPLOYEE_A1)).scalar_one()
    browsers = {}
    completed = 0
    while True:
        db.session.expire_all()  # the worker reads what the requests saved, as its own process would
        run_jobs()
        db.session.expire_all()
        if db.session.get(ProcessInstance, master.id).status != InstanceStatus.RUNNING.value:
            return completed
        batch = open_cycle_tasks(cycle.id)
        assert batch, "the cycle waits with no open task"
        checks(batch)
        by_person = defaultdict(list)
        for task in batch:
            by_person[_actor_id(task)].append(task.id)
        for person_id, task_ids in sorted(by_person.items()):
            if person_id not in browsers:
                browsers[person_id] = _browser(client, db.session.get(User, person_id).email)
            browser = browsers[person_id]
            for task_id in task_ids:
                db.session.expire_all()
                task = next(t for t in open_cycle_tasks(cycle.id) if t.id == task_id)
                if task.form_key.startswith("cycle_"):
                    data = demo_cycle.master_inputs(task, rng, scenario)
                else:
                    from app.demo.child_inputs import synthetic

                    ask = task.form_key == "evaluation_acknowledgement" and task.subject_id == reviewer
                    data = demo_cycle.flag_one_at_risk(task, synthetic(task, rng, ask_review=ask),
                                                       scenario)
                response = post_task(browser, task.id, data, claim=task.holder_id is None)
                assert response.status_code == 302, (task.title, errors_of(response))
                completed += 1


class Checks:
    """What must hold while the cycle runs: nothing to evaluate before the objectives are
    acknowledged; a task refuses anyone but its person; a completed task takes no post."""

    def __init__(self, client):
        self.client = client
        self.seen_ack = self.wrong_actor = self.completed_post = False
        self.done_task_id = None

    def __call__(self, batch):
        keys = {t.form_key for t in batch}
        if "objective_acknowledgement" in keys:
            self.seen_ack = True
            assert not keys & {"evaluation_rating", "evaluation_self_assessment",
                               "cycle_launch_evaluations"}
            assert db.session.execute(select(Evaluation.id)).first() is None
            assert db.session.execute(select(ProcessInstance.id).where(
                ProcessInstance.process_id == "individual_evaluation")).first() is None
            if not self.wrong_actor:
                self._wrong_actor(next(t for t in batch if t.form_key == "objective_acknowledgement"))
        if "cycle_launch_monitoring" in keys and self.done_task_id and not self.completed_post:
            self._completed_post()
        if "cycle_launch_assignments" in keys:
            self.done_task_id = next(t.id for t in batch if t.form_key == "cycle_launch_assignments")

    def _wrong_actor(self, task):
        other = db.session.execute(select(User).where(
            User.id != task.assignee_id, User.unit_id.is_not(None)).limit(1)).scalar_one()
        browser = _browser(self.client, other.email)
        assert browser.get(f"/tasks/{task.id}").status_code == 403
        token = csrf_token(browser, "/tasks")
        answer = browser.post(f"/tasks/{task.id}", data={"csrf_token": token,
                                                         "decision": "acknowledge"})
        assert answer.status_code == 403
        self.wrong_actor = True

    def _completed_post(self):
        from tests.helpers import SUPPORT

        answer = post_task(_browser(self.client, SUPPORT), self.done_task_id, {"confirm": "y"})
        assert answer.status_code in (403, 409)
        self.completed_post = True


# --- the rules of DOMAIN.md, computed here ---------------------------------------------------

def _indicator(indicator) -> Decimal | None:
    """Achievement (0-100) of one indicator by the default rules: threshold method
    (linear between threshold and target, nothing short of a target without threshold),
    ratio method capped at 100, yes/no, deadlines met on or before the date."""
    actual, target, threshold = indicator.actual, indicator.target, indicator.threshold
    if indicator.neutralised or actual is None:
        return None
    if isinstance(actual, bool):
        return HUNDRED if actual == target else Decimal(0)
    if isinstance(actual, date):
        return HUNDRED if actual <= target else Decimal(0)
    if indicator.direction == "=":
        return HUNDRED if actual == target else Decimal(0)
    higher = indicator.direction == ">="
    if indicator.method == "ratio":
        value = actual / target * HUNDRED if higher else target / actual * HUNDRED
        return min(value, HUNDRED)
    if (actual >= target) if higher else (actual <= target):
        return HUNDRED
    if threshold is None or ((actual <= threshold) if higher else (actual >= threshold)):
        return Decimal(0)
    span = (actual - threshold) / (target - threshold) if higher else \
        (threshold - actual) / (threshold - target)
    return span * HUNDRED


def _mean(rows) -> Decimal | None:
    rows = [(v, w) for v, w in rows if v is not None and w > 0]
    if not rows:
        return None
    return sum((v * w for v, w in rows), Decimal(0)) / sum((w for _v, w in rows), Decimal(0))


def _expected_achievements(cycle):
    plan = cycle.plan
    objectives = {}
    operational = [o for o in plan.objectives if not o.is_strategic]
    for o in operational:
        objectives[o.id] = _mean([(_indicator(i), i.weight) for i in o.indicators])
    strategic = [o for o in plan.objectives if o.is_strategic]
    for o in strategic:
        own = _mean([(_indicator(i), i.weight) for i in o.indicators])
        objectives[o.id] = own if own is not None else _mean(
            [(objectives[c.id], c.weight) for c in o.children])
    measured = [objectives[o.id] for o in strategic if objectives[o.id] is not None]
    organisation = sum(measured, Decimal(0)) / len(measured)
    areas = {}
    for o in operational:
        unit = o.owner_unit
        area = unit if unit.kind == "area" else unit.parent
        areas.setdefault(area.code, []).append((objectives[o.id], o.weight))
    return organisation, {code: _mean(rows) for code, rows in areas.items()}


def _expected_score(evaluation) -> tuple[Decimal, str]:
    stage = "review" if any(r.stage == "review" for r in evaluation.ratings) else "evaluation"
    rows = [r for r in evaluation.ratings if r.stage == stage]
    total = sum((Decimal(MATRIX[r.how][r.what]) * r.weight for r in rows), Decimal(0))
    score = (total / sum((r.weight for r in rows), Decimal(0))).quantize(CENT, ROUND_HALF_UP)
    rounded = int(score.quantize(Decimal(1), ROUND_HALF_UP))
    return score, "low" if rounded <= 1 else "medium" if rounded <= 4 else "high"


def _pct(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


# --- the test ------------------------------------------------------------------------------

def test_a_whole_cycle_through_http(client, all_workflows, demo_plan):
    cycle, master = start_cycle(demo_plan)
    checks = Checks(client)
    completed = _run(client, cycle, master, checks)
    assert checks.seen_ack and checks.wrong_actor and checks.completed_post
    assert completed > 200

    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.status == "closed"

    # one revision, approved after the OIV's positive opinion
    revision = db.session.execute(select(PlanRevision).where(
        PlanRevision.plan_id == cycle.plan.id, PlanRevision.number == 1)).scalar_one()
    assert revision.status == "approved" and revision.oiv_opinion_positive and revision.changes

    # the Report refused once, then validated with the PDF attached
    versions = list(db.session.execute(select(ReportVersion).order_by(ReportVersion.number)).scalars())
    assert [v.status for v in versions] == [ReportStatus.REFUSED.value, ReportStatus.VALIDATED.value]
    assert versions[1].validated_pdf.startswith(b"%PDF")

    # a review request, decided by the second-level evaluator
    reviewed = db.session.execute(select(Evaluation).join(User, User.id == Evaluation.user_id)
                                  .where(User.email == EMPLOYEE_A1)).scalar_one()
    assert reviewed.review_requested_at is not None and reviewed.review_outcome is not None

    # everyone acknowledged objectives and was evaluated; scores and bands as the rules say
    sheets = db.session.execute(select(ObjectiveSheet).where(ObjectiveSheet.cycle_id == cycle.id)).scalars().all()
    evaluations = db.session.execute(select(Evaluation).where(Evaluation.cycle_id == cycle.id)).scalars().all()
    from app.services.cycle.children import people_to_evaluate

    assert len(evaluations) == len(sheets) == len(people_to_evaluate(cycle)) > 50
    for evaluation in evaluations:
        assert evaluation.status == "final"
        if not evaluation.not_evaluable:
            assert (evaluation.score, evaluation.band) == _expected_score(evaluation), evaluation.user_id

    # achievements of the organisation and of the areas
    organisation, areas = _expected_achievements(cycle)
    result = achievements(cycle)
    assert _pct(result.organisation) == _pct(organisation)
    assert {u.code: _pct(v) for u, v in result.unit_areas} == {
        code: _pct(v) for code, v in areas.items() if v is not None}

    # the rewards add up to each fund, to the cent
    pools = db.session.execute(select(RewardPool).where(RewardPool.cycle_id == cycle.id)).scalars().all()
    funds = demo_cycle.funds()  # Turin's pools scaled to the demo's people
    assert {p.group: p.amount for p in pools} == {
        "staff": parse_decimal(funds["staff_fund"]),
        "managers": parse_decimal(funds["managers_fund"])}
    for pool in pools:
        assert pool.status == "confirmed"
        assert pool.distributed + pool.remainder == pool.amount
        assert sum((a.total for a in pool.allocations), Decimal(0)) == pool.distributed
        assert all(a.total == 0 for a in pool.allocations if a.score is None or a.score < 2)

    _published_aggregates_name_nobody(client, cycle, pools)


def _published_aggregates_name_nobody(client, cycle, pools):
    """Read as anyone: `client` has signed nobody in."""
    people = db.session.execute(select(User)).scalars().all()
    page = client.get("/trasparenza/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert str(cycle.year) in html
    texts = [html]
    workbook = client.get(f"/trasparenza/{cycle.year}/piano.xlsx")
    if workbook.status_code == 200:
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(workbook.data), read_only=True)
        texts.append(" ".join(str(c) for sheet in book.worksheets
                              for row in sheet.iter_rows(values_only=True) for c in row if c))
    report = client.get(f"/trasparenza/{cycle.year}/relazione.pdf")
    if report.status_code == 200:
        try:
            texts.append(subprocess.run(["pdftotext", "-", "-"], input=report.data,
                                        capture_output=True, check=True).stdout.decode())
        except FileNotFoundError:
            pytest.skip("pdftotext is not installed")
    published = "\n".join(texts)
    for person in people:
        assert person.email not in published
        assert f"{person.first_name} {person.last_name}" not in published
        assert f"{person.last_name} {person.first_name}" not in published
    individual = {a.total for p in pools for a in p.allocations if a.total > 0}
    shown = {Decimal(m.replace(".", "").replace(",", "."))
             for m in re.findall(r"\d{1,3}(?:\.\d{3})*,\d{2}", published)}
    totals = {p.amount for p in pools} | {p.distributed for p in pools} | {p.remainder for p in pools}
    assert not (individual & shown) - totals
