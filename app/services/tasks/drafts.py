"""Drafts of task forms: answers saved without completing the task, so an evaluator
can rate forty people over several sittings (see app.models.engine.TaskDraft).

Only whoever may complete the task saves its draft (403 otherwise, 409 once the task
has closed); only the forms of operations.DRAFT_FORMS keep drafts (404 for any other).
Every save names the version of the draft it started from (0 when there
was none); an older version means someone saved meanwhile, and the save is refused with
409 rather than overwriting their answers. The same check guards a completion that
starts from a draft. The draft is deleted when the task completes (operations.complete)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from app import audit
from app.extensions import db
from app.models.engine import HumanTask, TaskDraft
from app.models.org import User
from app.models.types import utcnow
from app.services.tasks import operations, subjects


def draft_of(task: HumanTask) -> TaskDraft | None:
    return db.session.execute(
        select(TaskDraft).where(TaskDraft.task_id == task.id)).scalar_one_or_none()


def drafts_of(tasks: list[HumanTask]) -> dict[int, TaskDraft]:
    """The drafts of several tasks in one query, by task id."""
    if not tasks:
        return {}
    rows = db.session.execute(
        select(TaskDraft).where(TaskDraft.task_id.in_([t.id for t in tasks]))).scalars()
    return {d.task_id: d for d in rows}


def version_of(draft: TaskDraft | None) -> int:
    return draft.version if draft is not None else 0


def check_version(task: HumanTask, version: int | None) -> TaskDraft | None:
    """The task's draft, if the caller started from its current version; 409 otherwise."""
    draft = draft_of(task)
    if version != version_of(draft):
        raise Conflict(description=str(_l(
            "Someone saved these answers meanwhile: reload the page to see them, then "
            "try again.")))
    return draft


def require_holder(actor: User, task: HumanTask) -> None:
    """404 for a task whose form keeps no draft, 403 for anyone but the task's holder
    (never its subject), then 409 if it closed."""
    if task.form_key not in operations.DRAFT_FORMS:
        raise NotFound()
    if task.holder_id != actor.id or subjects.about_self(actor, task):
        raise Forbidden()
    if not task.is_open:
        raise Conflict(description=str(_l("This task is no longer open.")))


def save(actor: User, task_id: int, data: dict, version: int | None) -> TaskDraft:
    """Keep the form's answers on the task without completing it; returns the draft
    with its new version."""
    task = operations.get(task_id)
    require_holder(actor, task)
    draft = check_version(task, version)
    if draft is None:
        draft = TaskDraft(task_id=task.id, version=0)
        db.session.add(draft)
    draft.data, draft.saved_by_id, draft.saved_at = data, actor.id, utcnow()
    draft.version += 1
    db.session.flush()
    audit.record("task.draft", actor=actor, obj=draft, instance_id=task.instance_id,
                 task_id=task.task_guid, after={"version": draft.version})
    return draft
