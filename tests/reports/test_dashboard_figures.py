"""The cycle dashboard at the size of a large administration: the organisation grown by
300 people (new areas and sectors, objectives, sheets, evaluations in every state, open
tasks) costs the page the same number of statements, and every figure it shows (people
per step, the late, the distribution of final scores, open tasks per step and unit) is
the one a direct count over the rows gives."""
from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.demo.population import grow
from app.extensions import db
from app.models.engine import HumanTask, ProcessInstance, TaskStatus
from app.models.evaluation import Evaluation, ObjectiveSheet
from app.models.org import OrgUnit, User
from app.models.plan import IndividualObjective
from app.models.types import utcnow
from app.scoring.individual import checked_bands, rounded_score
from app.services.cycle.children import people_to_evaluate
from app.services.plan.parts import bands_of
from app.services.reports import figures, standing
from tests.engine.helpers import deploy_test_workflows
from tests.helpers import SUPPORT, QueryCounter

MORE = 300
STATES = ["none", "objectives", "sheet", "acknowledged", "open", "rated", "final", "final",
          "not_evaluable"]


def _cycle_rows(cycle, people: list[tuple[int, int]]) -> None:
    """Each new person somewhere in the cycle (STATES in turn) with an open task."""
    objectives, sheets, evaluations = [], [], []
    for n, (uid, _unit) in enumerate(people):
        state = STATES[n % len(STATES)]
        if state == "none":
            continue
        objectives += [{"cycle_id": cycle.id, "user_id": uid, "position": p,
                        "title": "Obiettivo", "weight": 50} for p in (1, 2)]
        if state == "objectives":
            continue
        sheets.append({"cycle_id": cycle.id, "user_id": uid,
                       "status": "assigned" if state == "sheet" else "acknowledged"})
        if state in ("sheet", "acknowledged"):
            continue
        final = state in ("final", "not_evaluable")
        evaluations.append({
            "cycle_id": cycle.id, "user_id": uid, "status": "final" if final else state,
            "evaluated_by_board": False, "not_evaluable": state == "not_evaluable",
            "score": None if state in ("open", "not_evaluable") else Decimal(n % 601) / 100})
    for table, rows in ((IndividualObjective, objectives), (ObjectiveSheet, sheets),
                        (Evaluation, evaluations)):
        db.session.execute(insert(table), rows)
    _tasks(cycle, people)


def _tasks(cycle, people: list[tuple[int, int]]) -> None:
    """One task per person, three steps, a third of them closed, some overdue (and
    held by the person, the overdue list naming who holds each)."""
    definition = deploy_test_workflows()[0].definition
    now = utcnow()
    instance = db.session.execute(insert(ProcessInstance).returning(ProcessInstance.id), [
        {"definition_id": definition.id, "process_id": definition.process_id,
         "business_key": f"grown-{people[0][0]}", "cycle_id": cycle.id, "status": "running", "state": "{}",
         "serializer_version": "1.5", "version": 1}]).scalar_one()
    db.session.execute(insert(HumanTask), [
        {"instance_id": instance, "task_guid": f"grown-{uid}",
         "bpmn_id": ("review", "rate", "acknowledge")[n % 3], "title": "Review",
         "form_key": "approval", "role": "Employee", "assignee_id": uid, "org_unit_id": unit,
         "cycle_id": cycle.id, "subject_id": uid,
         "status": "completed" if n % 3 == 2 else "open",
         "due_at": now + timedelta(days=n % 20 - 10), "created_at": now, "version": 1}
        for n, (uid, unit) in enumerate(people)])


def _grow(cycle, more: int) -> None:
    """`more` people in new areas, each somewhere in the cycle with a task."""
    before = set(db.session.execute(select(User.id)).scalars())
    grow(len(people_to_evaluate(cycle)) + more, cycle)
    people = [(uid, unit) for uid, unit in db.session.execute(
        select(User.id, User.unit_id).order_by(User.id)) if uid not in before]
    _cycle_rows(cycle, people)
    db.session.commit()


def _statements(client) -> int:
    with QueryCounter() as counted:
        assert client.get("/dashboard/2022").status_code == 200
    return counted.count


def test_the_dashboard_costs_the_same_statements_whatever_the_number_of_people(
        report_cycle, client, signed_in):
    demo_people = db.session.execute(select(User.id, User.unit_id).where(
        User.unit_id.is_not(None)).order_by(User.id).limit(30)).all()
    _tasks(report_cycle, demo_people)  # every section shown already, overdue list included
    db.session.commit()
    signed_in(SUPPORT).get("/dashboard/2022")  # charts drawn
    small = _statements(client)
    _grow(report_cycle, MORE)
    client.get("/dashboard/2022")
    assert _statements(client) == small


def _step(evaluation, sheet, has_objectives) -> str:
    """DOMAIN's rule, person by person: the furthest step reached."""
    if evaluation is not None:
        return evaluation.status if evaluation.status != "open" else "evaluation_open"
    if sheet is not None:
        return "acknowledged" if sheet.status == "acknowledged" else "sheet_issued"
    return "objectives_assigned" if has_objectives else "no_objectives"


def _direct_people(cycle) -> tuple[Counter, int]:
    """People per step and the late, from the rows one by one."""
    of_cycle = {"cycle_id": cycle.id}
    evaluations = {e.user_id: e for e in db.session.scalars(select(Evaluation).filter_by(**of_cycle))}
    sheets = {s.user_id: s for s in db.session.scalars(select(ObjectiveSheet).filter_by(**of_cycle))}
    with_objectives = set(db.session.scalars(
        select(IndividualObjective.user_id).filter_by(**of_cycle)))
    today, steps, late = utcnow().date(), Counter(), 0
    for user in db.session.scalars(select(User).where(User.active, User.unit_id.is_not(None))):
        evaluation, sheet = evaluations.get(user.id), sheets.get(user.id)
        steps[_step(evaluation, sheet, user.id in with_objectives)] += 1
        acknowledged = sheet is not None and sheet.status == "acknowledged"
        final = evaluation is not None and evaluation.status == "final"
        late += ((today > cycle.assignment_due and not acknowledged)
                 or (today > cycle.evaluation_due and not final))
    return steps, late


def _direct_distribution(cycle) -> Counter:
    bands = checked_bands(bands_of(cycle))
    return Counter("ne" if e.not_evaluable else str(rounded_score(e.score, bands))
                   for e in db.session.scalars(select(Evaluation).where(
                       Evaluation.cycle_id == cycle.id, Evaluation.status == "final")))


def _shown(html: str, attribute: str) -> Counter:
    """The figures of the rows (or cells) marked data-<attribute> on the page."""
    cells = re.findall(rf'data-{attribute}="([^"]+)">(?:<th scope="row">[^<]*</th><td '
                       r'class="text-end">)?(\d+)<', html)
    return Counter({key: int(number) for key, number in cells if int(number)})


def test_the_dashboards_figures_are_the_direct_counts_of_a_grown_administration(
        report_cycle, client, signed_in):
    _grow(report_cycle, MORE)
    html = signed_in(SUPPORT).get("/dashboard/2022").get_data(as_text=True)
    steps, late = _direct_people(report_cycle)
    assert _shown(html, "step") == steps
    assert int(re.search(r'data-testid="late-count">(\d+)<', html).group(1)) == late
    assert _shown(html, "score") == _direct_distribution(report_cycle)
    open_tasks = [t for t in db.session.scalars(select(HumanTask))
                  if t.cycle_id == report_cycle.id and t.status == TaskStatus.OPEN.value]
    shown = figures.open_tasks(report_cycle)
    assert {k.bpmn_id: n for k, n in shown.per_title.items()} == Counter(
        t.bpmn_id for t in open_tasks)
    assert shown.per_unit == Counter(db.session.get(OrgUnit, t.org_unit_id).name
                                     for t in open_tasks)
    assert len(open_tasks) >= MORE * 2 // 3
    assert shown.late.total == sum(t.due_at < utcnow() for t in open_tasks)


def _table(html: str, testid_or_caption: str) -> list[tuple[str, list[int]]]:
    """(row header, figures) of each body row of the table found by its caption."""
    start = html.index(testid_or_caption)
    body = html[html.index("<tbody>", start):html.index("</tbody>", start)]
    return [(re.sub(r"<[^>]+>", "", head).strip(), [int(n) for n in re.findall(r">(\d+)</td>", cells)])
            for head, cells in re.findall(r'<tr[^>]*><th scope="row">(.*?)</th>(.*?)</tr>', body)]


def test_the_tables_over_areas_and_units_show_the_largest_and_the_others_together(
        report_cycle, client, signed_in, monkeypatch):
    """A ministry's hundreds of areas and thousands of units are not one table each: the
    largest FIGURE_ROWS rows, then one row with the others summed; nothing is lost."""
    _grow(report_cycle, MORE)
    monkeypatch.setattr(figures, "FIGURE_ROWS", 3)
    html = signed_in(SUPPORT).get("/dashboard/2022").get_data(as_text=True)
    steps = _table(html, 'data-testid="steps"')
    *areas, others, total = steps
    assert len(areas) == 3 and others[0].startswith("Le altre ") and others[0].endswith(" aree")
    per_area = standing.step_counts(report_cycle, per_area=True).per_area
    assert int(re.search(r"\d+", others[0]).group()) == len(per_area) - 3
    assert [sum(column) for column in zip(*(row for _name, row in areas + [others]))] == total[1]
    everyone = sorted((c.total() for c in per_area.values()), reverse=True)
    assert [sum(row) for _name, row in areas] == everyone[:3]
    units = _table(html, "Attività aperte per unità organizzativa")
    *largest, rest = units
    assert len(largest) == 3 and rest[0].startswith("Le altre ")
    open_tasks = figures.open_tasks(report_cycle)
    assert sum(n for _name, (n,) in units) == sum(open_tasks.per_unit.values())
    assert [n for _name, (n,) in largest] == [n for _u, n in open_tasks.per_unit.most_common(3)]


def test_largest_keeps_a_short_table_whole_and_in_its_order():
    assert figures.largest({"b": 1, "a": 5}, limit=2) == figures.Largest([("b", 1), ("a", 5)], 0, None)
    cut = figures.largest({"b": Counter(x=1), "a": Counter(x=5, y=1), "c": Counter(y=2)}, limit=1,
                          size=lambda c: c.total())
    assert cut == figures.Largest([("a", Counter(x=5, y=1))], 2, Counter(x=1, y=2))
