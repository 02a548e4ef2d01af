"""The steps of a process in the order of its diagram, each done, current, next or
skipped, from the instance's own state: the home page's timeline of the cycle.

Order: a breadth-first walk of the sequence flows from the start, each step at its first
visit (a flow that sends the process back to an earlier step adds nothing), keeping the
user tasks and the intermediate catch events (the waits for the child processes). A step
not done that lies before the last step reached was passed by (an optional branch)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import IntermediateCatchEvent
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.util.task import TaskState

from app.engine.runtime import load
from app.models.engine import ProcessInstance

DONE, CURRENT, NEXT, SKIPPED = "done", "current", "next", "skipped"


@dataclass(frozen=True)
class Step:
    bpmn_id: str
    title: str  # the diagram's name, shown through app.task_names like a task's
    state: str


def _ordered(spec) -> list:
    seen, order, queue = {spec.start.name}, [], deque([spec.start])
    while queue:
        current = queue.popleft()
        if isinstance(current, UserTask | IntermediateCatchEvent):
            order.append(current)
        for following in current.outputs:
            if following.name not in seen:
                seen.add(following.name)
                queue.append(following)
    return order


def steps(instance: ProcessInstance) -> list[Step]:
    workflow = load(instance)
    done, current = set(), set()
    for task in workflow.get_tasks():
        if task.state == TaskState.COMPLETED:
            done.add(task.task_spec.name)
        elif task.state & (TaskState.READY | TaskState.WAITING | TaskState.STARTED):
            current.add(task.task_spec.name)
    ordered = _ordered(workflow.spec)
    reached = max((i for i, s in enumerate(ordered) if s.name in done | current), default=-1)
    result = []
    for index, spec in enumerate(ordered):
        if spec.name in current:
            state = CURRENT
        elif spec.name in done:
            state = DONE
        else:
            state = SKIPPED if index < reached else NEXT
        result.append(Step(spec.bpmn_id or spec.name,
                           (spec.bpmn_name or spec.bpmn_id or spec.name)[:200], state))
    return result
