"""Moving running instances to a newer version of their process.

SpiffWorkflow aligns the task specs of the two versions (`diff_workflow`) and swaps the
spec under the running task tree (`migrate_workflow`). The rule is conservative: an
instance may move only if no task it has already completed or started was changed or
removed in the new version, i.e. the changed part has not been reached yet, and the
steps it is waiting at still exist in the new version. Call activities already started
cannot be moved either."""
from __future__ import annotations

import json
from dataclasses import dataclass

from SpiffWorkflow.bpmn.util.diff import diff_workflow, filter_tasks, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app import audit
from app.engine import definitions, inbox, runtime, serializer
from app.engine.errors import EngineError
from app.extensions import db
from app.models.engine import HumanTask, ProcessDefinition, ProcessInstance, TaskStatus

_PASSED = TaskState.COMPLETED | TaskState.STARTED
_WAITING = TaskState.READY | TaskState.WAITING


@dataclass(frozen=True)
class MigrationCheck:
    instance: ProcessInstance
    movable: bool
    reason: str  # why not, naming the BPMN elements; empty when movable
    changed: tuple[str, ...]  # BPMN ids of the instance's tasks that the new version changes


def _new_specs(target: ProcessDefinition):
    specs = json.loads(definitions.spec_json(target))
    spec = serializer.SERIALIZER.from_dict(specs["spec"])
    dependencies = {name: serializer.SERIALIZER.from_dict(dct)
                    for name, dct in specs["subprocess_specs"].items()}
    return spec, dependencies


def _names(tasks) -> tuple[str, ...]:
    return tuple(sorted({t.task_spec.bpmn_id or t.task_spec.name for t in tasks}))


def _refusal(diff, target: ProcessDefinition) -> str:
    """Why the tasks of one (sub)workflow cannot move; empty when they can."""
    gone = filter_tasks(diff.removed, state=_WAITING)
    if gone:
        return (f"waiting at steps that version {target.version} no longer has: "
                + ", ".join(_names(gone)))
    passed = filter_tasks(diff.changed + diff.removed, state=_PASSED)
    if passed:
        return "already past changed steps: " + ", ".join(_names(passed))
    return ""


def _check(instance: ProcessInstance, target: ProcessDefinition):
    if not instance.running:
        return None, MigrationCheck(instance, False, "the instance has ended", ())
    if instance.definition_id == target.id or instance.definition.version >= target.version:
        return None, MigrationCheck(instance, False, "already on this version or a newer one", ())
    workflow = runtime.load(instance)
    spec, dependencies = _new_specs(target)
    top, subprocesses = diff_workflow(serializer.SERIALIZER.registry, workflow, spec, dependencies)
    affected = _names(top.changed + top.removed)
    if any(d is None for d in subprocesses.values()):
        return None, MigrationCheck(
            instance, False, "a started subprocess is missing in the new version", affected)
    for diff in (top, *subprocesses.values()):
        reason = _refusal(diff, target)
        if reason:
            return None, MigrationCheck(instance, False, reason, affected)
    plan = (workflow, spec, dependencies, top, subprocesses)
    return plan, MigrationCheck(instance, True, "", affected)


def check(instance: ProcessInstance, target: ProcessDefinition) -> MigrationCheck:
    return _check(instance, target)[1]


def migrate(instance: ProcessInstance, target: ProcessDefinition, actor=None) -> MigrationCheck:
    """Move one instance in the current transaction; refuses (EngineError) when check()
    does. The inbox is rebuilt and the move audited by the save."""
    plan, result = _check(instance, target)
    if plan is None:
        raise EngineError(result.reason)
    workflow, spec, dependencies, top, subprocesses = plan
    waiting_before = _under_way(workflow)
    migrate_workflow(top, workflow, spec)
    for sp_id, diff in subprocesses.items():
        sub = workflow.subprocesses[sp_id]
        migrate_workflow(diff, sub, dependencies[sub.spec.name])
    workflow.subprocess_specs = dependencies
    before = instance.definition.version
    instance.definition_id, instance.definition = target.id, target
    runtime.advance_and_save(
        instance, workflow, actor, "instance.migrate",
        before={"version": before, "under_way": waiting_before},
        after={"version": target.version, "under_way": _under_way(workflow),
               "changed": list(result.changed)},
    )
    _redescribe_open_tasks(instance, workflow, set(result.changed), actor)
    return result


_DESCRIBED = ("title", "form_key", "role", "assignee_id", "org_unit_id", "subject_id",
              "due_at", "remind_at", "escalate_at")


def _redescribe_open_tasks(instance: ProcessInstance, workflow, changed: set[str], actor) -> None:
    """A task the instance is waiting at keeps its id (and its inbox row) across the move;
    when the new version changed that step, the row takes its title, form, lane and
    deadlines from the new version."""
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    rows = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN.value,
        HumanTask.bpmn_id.in_(changed))).scalars().all()
    for row in rows:
        task = ready.get(row.task_guid)
        if task is None:
            continue
        fresh = inbox._new_row(instance, task, row.created_at)  # described, never added
        before = {name: getattr(row, name) for name in _DESCRIBED}
        for name in _DESCRIBED:
            setattr(row, name, getattr(fresh, name))
        audit.record("task.update", actor=actor, obj=row, instance_id=instance.id,
                     task_id=row.task_guid, before=before,
                     after={name: getattr(row, name) for name in _DESCRIBED})


def _under_way(workflow) -> list[str]:
    """BPMN ids of the steps the instance is at (the audit's before/after summary)."""
    return sorted({t.task_spec.bpmn_id for t in workflow.get_tasks(state=_WAITING | TaskState.STARTED)
                   if getattr(t.task_spec, "bpmn_id", None)})
