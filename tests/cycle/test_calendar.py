"""The default calendar agrees with the order of the workflow: along every path of the
cycle's master diagram, a task is never due before the task that leads to it, so no task
starts already overdue when the steps before it kept their dates."""
from pathlib import Path
from types import SimpleNamespace

from lxml import etree

from app.models.plan import default_calendar
from app.services.cycle.operations import calendar_data

DIAGRAM = Path(__file__).resolve().parents[2] / "workflows" / "performance_cycle.bpmn"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"


def _graph():
    process = etree.parse(str(DIAGRAM)).getroot().find(f"{BPMN}process")
    due, flows = {}, {}
    for element in process:
        element_id = element.get("id")
        for prop in element.iter(f"{SPIFF}property"):
            if prop.get("name") == "dueDate":
                due[element_id] = prop.get("value").strip("'\"")
        if element.tag == f"{BPMN}sequenceFlow":
            flows.setdefault(element.get("sourceRef"), []).append(element.get("targetRef"))
    start = next(e.get("id") for e in process if e.tag == f"{BPMN}startEvent")
    return start, due, flows


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


def test_no_task_of_the_default_calendar_starts_overdue():
    start, due, flows = _graph()
    dates = calendar_data(SimpleNamespace(**default_calendar(2022)))
    before_of = {}
    for before, after in _forward_edges(start, flows):
        before_of.setdefault(after, set()).add(before)
    latest = {start: None}
    late = []
    for node in _topological(start, flows):
        inherited = [latest.get(b) for b in before_of.get(node, ()) if latest.get(b)]
        previous = max(inherited) if inherited else None
        own = dates[due[node]] if node in due else None
        if own is not None and previous is not None and own < previous:
            late.append((node, due[node], own, previous))
        latest[node] = max(filter(None, (own, previous)), default=None)
    assert late == []
    assert len(due) >= 20


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
