"""The default calendar agrees with the order of the workflow: along every path of the
cycle's master diagram, and on into the child processes its launch steps start, a task
is never due before the task that leads to it, so no task starts already overdue when
the steps before it kept their dates. Individual evaluations open after the Board has
noted the OIV's evaluation of the organisation, so their due date follows that step."""
from pathlib import Path
from types import SimpleNamespace

from lxml import etree

from app.models.plan import default_calendar
from app.services.cycle.operations import calendar_data

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
MASTER = "performance_cycle.bpmn"
# the master's task that starts each child process: the child's tasks open after it
# (the master's step that starts it, the child diagram); an extra monitoring round
# (monitoring_round.bpmn) runs on the dates of the calendar's round like its children.
CHILDREN = (("launch_assignments", "objective_assignment.bpmn"),
            ("launch_monitoring", "monitoring.bpmn"),
            ("launch_monitoring", "individual_check.bpmn"),
            ("launch_monitoring", "monitoring_round.bpmn"),
            ("launch_evaluations", "individual_evaluation.bpmn"))
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"


def _graph(name: str):
    """(start event, task -> dueDate key, node -> next nodes, user tasks) of a diagram."""
    process = etree.parse(str(WORKFLOWS / name)).getroot().find(f"{BPMN}process")
    due, flows = {}, {}
    for element in process:
        element_id = element.get("id")
        for prop in element.iter(f"{SPIFF}property"):
            if prop.get("name") == "dueDate":
                due[element_id] = prop.get("value").strip("'\"")
        if element.tag == f"{BPMN}sequenceFlow":
            flows.setdefault(element.get("sourceRef"), []).append(element.get("targetRef"))
    start = next(e.get("id") for e in process if e.tag == f"{BPMN}startEvent")
    tasks = {e.get("id") for e in process if e.tag == f"{BPMN}userTask"}
    return start, due, flows, tasks


def _forward_edges(start, flows):
    """Every (task before, task after) along the paths from the start, loops (sending a
    step back) left out: the edges of a depth-first walk that do not close a cycle."""
    edges, on_path, done = [], set(), set()

    def walk(node, last_task):
        on_path.add(node)
        for target in flows.get(node, []):
            if target in on_path:
                continue
            edges.append((last_task, target))
            if target not in done:
                walk(target, target)
        on_path.discard(node)
        done.add(node)

    walk(start, start)
    return edges


def _topological(start, flows):
    order, seen, on_path = [], set(), set()

    def visit(node):
        seen.add(node)
        on_path.add(node)
        for target in flows.get(node, []):
            if target not in seen and target not in on_path:
                visit(target)
        on_path.discard(node)
        order.append(node)

    visit(start)
    return list(reversed(order))


def _walk(name: str, dates: dict, opened: str | None):
    """The dates each node of the diagram inherits, walked in workflow order from a
    start opened on `opened` (None for the master); returns (latest per node, late
    tasks, tasks walked)."""
    start, due, flows, tasks = _graph(name)
    before_of = {}
    for before, after in _forward_edges(start, flows):
        before_of.setdefault(after, set()).add(before)
    latest, late, walked = {start: opened}, [], set()
    for node in _topological(start, flows):
        inherited = [latest.get(b) for b in before_of.get(node, ()) if latest.get(b)]
        previous = max(inherited) if inherited else None
        if node == start:
            previous = opened
        own = dates[due[node]] if node in due and due[node] in dates else None
        if own is not None and previous is not None and own < previous:
            late.append((name, node, due[node], own, previous))
        latest[node] = max(filter(None, (own, previous)), default=None)
        walked.add(node)
    assert tasks <= walked, f"{name}: tasks not reached from the start: {tasks - walked}"
    return latest, late, tasks


def test_no_task_of_the_default_calendar_starts_overdue():
    dates = calendar_data(SimpleNamespace(**default_calendar(2022)))
    latest, late, tasks = _walk(MASTER, dates, None)
    for launch, child in CHILDREN:
        _latest, child_late, child_tasks = _walk(child, dates, latest[launch])
        late += child_late
        tasks |= child_tasks
    assert late == []
    assert len(tasks) >= 30


def test_every_shipped_diagram_and_calendar_key_is_walked():
    from app.demo.risk import RISK_WORKFLOWS  # the risk section's own year (app.services.risk)

    # The integrated plan's other sections run on their own dates, not the cycle's calendar.
    other_sections = {*RISK_WORKFLOWS, "smart_working_agreement.bpmn",
                      "people_plan_adoption.bpmn", "training_due.bpmn"}
    shipped = {p.name for p in WORKFLOWS.glob("*.bpmn")} - other_sections
    assert shipped == {MASTER, *(child for _launch, child in CHILDREN)}
    dates = calendar_data(SimpleNamespace(**default_calendar(2022)))
    for name in shipped:
        _start, due, _flows, _tasks = _graph(name)
        named = {key for key in due.values() if not key.startswith("P")}
        assert named <= set(dates), f"{name}: unknown calendar keys {named - set(dates)}"


def test_individual_evaluations_are_due_after_the_board_notes_the_oiv_evaluation():
    dates = calendar_data(SimpleNamespace(**default_calendar(2022)))
    latest, _late, _tasks = _walk(MASTER, dates, None)
    assert latest["board_note"] <= latest["launch_evaluations"]
    assert dates["oiv_evaluation_due"] < dates["evaluation_due"] <= dates["report_due"]
