"""The inbox mirror after a completion: rows of the tasks still open beside the completed
one are kept as they are (not read again when they are all still ready), rows of tasks
the completion withdrew are cancelled, rows of new tasks are opened once."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from app import engine
from app.extensions import db
from tests.engine.helpers import actions, instance, open_task, open_tasks

_TASK = """<bpmn:userTask id="{id}" name="{name}">
  <bpmn:extensionElements><spiffworkflow:properties>
    <spiffworkflow:property name="formKey" value="acknowledgement" />
  </spiffworkflow:properties></bpmn:extensionElements>
  <bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>
</bpmn:userTask>"""

# Two tasks side by side (A and B); after both, C. With `terminate`, finishing A ends the
# instance at once, withdrawing B.
_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="defs_{pid}" targetNamespace="http://example.org/engine-tests">
  <bpmn:collaboration id="collab_{pid}">
    <bpmn:participant id="pool_{pid}" name="Side by side" processRef="{pid}" />
  </bpmn:collaboration>
  <bpmn:process id="{pid}" name="Side by side" isExecutable="true">
    <bpmn:laneSet id="lanes_{pid}">
      <bpmn:lane id="lane_employee" name="Employee">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>split</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>a</bpmn:flowNodeRef><bpmn:flowNodeRef>b</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>join</bpmn:flowNodeRef><bpmn:flowNodeRef>c</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef><bpmn:flowNodeRef>end_a</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f_start</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="split"><bpmn:incoming>f_start</bpmn:incoming>
      <bpmn:outgoing>f_a</bpmn:outgoing><bpmn:outgoing>f_b</bpmn:outgoing></bpmn:parallelGateway>
    {task_a}
    {task_b}
    <bpmn:parallelGateway id="join"><bpmn:incoming>f_a_done</bpmn:incoming>
      <bpmn:incoming>f_b_done</bpmn:incoming><bpmn:outgoing>f_c</bpmn:outgoing></bpmn:parallelGateway>
    {task_c}
    <bpmn:endEvent id="end"><bpmn:incoming>f_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="end_a"><bpmn:incoming>f_a_end</bpmn:incoming>
      <bpmn:terminateEventDefinition id="terminate_{pid}" /></bpmn:endEvent>
    <bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="split" />
    <bpmn:sequenceFlow id="f_a" sourceRef="split" targetRef="a" />
    <bpmn:sequenceFlow id="f_b" sourceRef="split" targetRef="b" />
    <bpmn:sequenceFlow id="{a_out}" sourceRef="a" targetRef="{a_target}" />
    <bpmn:sequenceFlow id="f_b_done" sourceRef="b" targetRef="join" />
    <bpmn:sequenceFlow id="f_c" sourceRef="join" targetRef="c" />
    <bpmn:sequenceFlow id="f_end" sourceRef="c" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _deploy(pid: str, terminate: bool) -> None:
    a_out, a_target = ("f_a_end", "end_a") if terminate else ("f_a_done", "join")
    xml = _DIAGRAM.format(
        pid=pid, a_out=a_out, a_target=a_target,
        task_a=_TASK.format(id="a", name="Task A", incoming="f_a", outgoing=a_out),
        task_b=_TASK.format(id="b", name="Task B", incoming="f_b", outgoing="f_b_done"),
        task_c=_TASK.format(id="c", name="Task C", incoming="f_c", outgoing="f_end"))
    if terminate:  # the join waits for A in vain: it never runs
        xml = xml.replace('<bpmn:incoming>f_a_done</bpmn:incoming>', '')
    engine.deploy({f"{pid}.bpmn": xml.encode()})
    db.session.commit()


def _started(pid: str, person, terminate: bool):
    """A new instance of the diagram, deployed as `pid`: it and its open tasks A and B."""
    _deploy(pid, terminate)
    started = engine.start(pid, business_key=f"{pid}:{person.id}",
                           data={"employee_id": person.id, "unit_id": person.unit_id})
    db.session.commit()
    return started, open_task(started.id, "a"), open_task(started.id, "b")


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", on_execute)
    yield seen
    event.remove(db.engine, "before_cursor_execute", on_execute)


def _reads_of_open_rows(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("SELECT human_task.")
            and "human_task.instance_id =" in s and "human_task.status =" in s]


def _complete(person, task) -> None:
    engine.complete_task(task, {}, person)
    db.session.commit()


def test_a_task_still_open_beside_the_completed_one_keeps_its_row(demo, people, statements):
    started, a, b = _started("engine_side_by_side", people.employee, terminate=False)
    statements.clear()
    _complete(people.employee, a)
    # B was known open and is still ready: the open rows were not read again, and B's
    # row is the one it had, alone.
    assert _reads_of_open_rows(statements) == []
    assert [(t.id, t.bpmn_id) for t in open_tasks(started.id)] == [(b.id, "b")]
    _complete(people.employee, open_task(started.id, "b"))
    c = open_task(started.id, "c")
    assert c.assignee_id == people.employee.id
    _complete(people.employee, c)
    assert open_tasks(started.id) == [] and instance(started.id).status == "completed"
    assert actions(started.id).count("task.open") == 3
    assert "task.cancel" not in actions(started.id)


def test_a_completion_that_withdraws_a_task_cancels_its_row(demo, people, statements):
    started, a, b = _started("engine_terminated", people.employee, terminate=True)
    statements.clear()
    _complete(people.employee, a)
    assert _reads_of_open_rows(statements)  # B was no longer ready: its row was read
    assert open_tasks(started.id) == []
    db.session.expire_all()
    assert b.status == "cancelled" and instance(started.id).status == "completed"
    assert actions(started.id)[-3:] == ["task.complete", "task.cancel", "instance.complete"]
