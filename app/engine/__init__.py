"""The workflow engine: the only package that imports SpiffWorkflow.

The facade other code uses (each call works in the caller's transaction; the caller
commits, and a StaleDataError at commit or flush means "reload and retry"):

- deploy(sources, actor) / deploy_directory(path, actor): versioned definitions;
  parse(sources) validates without writing (raises DeploymentError with .problems)
- start(process_id, business_key=..., data=..., actor=..., parent=..., end_message=...)
- complete_task(human_task, decisions, actor): low level; app.services.tasks.operations.complete
  adds authorization, the form's step handler and the audit of what was submitted
- all_children_started(parent_id, end_message): a background job started every child;
  tell the parent now if they all ended already (otherwise the last one to end does)
- send_message(name, key=..., instance_id=... | process_id=..., business_key=...,
  payload=...): BPMN message correlation, idempotent per key; batch_key(parent_id,
  name): the key of the end message of a parent's next batch of children
- progress(instance): BPMN ids done and under way (diagram highlights);
  steps(instance): the process's steps in diagram order, done/current/next/skipped;
  instructions(definition, bpmn_id): a task's documentation for its page
- preload(): restore the latest specs now (an app server before it forks its workers)
- record_error(instance_id, error): after a failed operation was rolled back, keep why
  on the instance (a script over its time or memory limit raises ScriptLimitError)
- tick(): timers, reminders, escalations, mail (commits its own transactions)
"""
from app.engine.definitions import (
    deploy,
    instructions,
    parse,
    preload,
    read_directory,
    undeployed,
)
from app.engine.errors import (
    DeploymentError,
    EngineError,
    Problem,
    ScriptLimitError,
    ScriptPolicyError,
    TaskNotOpen,
)
from app.engine.messages import batch_key
from app.engine.runtime import (
    Start,
    all_children_started,
    complete_task,
    load,
    progress,
    record_error,
    send_message,
    start,
    start_many,
)
from app.engine.tick import tick
from app.engine.timeline import Step, steps
from app.engine.validation import TASK_PROPERTIES


def deploy_directory(path, actor=None):
    """Deploy every .bpmn and .dmn file of a directory (none: nothing to do)."""
    sources = read_directory(path)
    return deploy(sources, actor) if sources else []


__all__ = [
    "TASK_PROPERTIES",
    "DeploymentError",
    "EngineError",
    "Problem",
    "ScriptLimitError",
    "ScriptPolicyError",
    "Start",
    "Step",
    "TaskNotOpen",
    "all_children_started",
    "batch_key",
    "complete_task",
    "deploy",
    "deploy_directory",
    "instructions",
    "load",
    "parse",
    "preload",
    "progress",
    "record_error",
    "send_message",
    "start",
    "start_many",
    "steps",
    "tick",
    "undeployed",
]
