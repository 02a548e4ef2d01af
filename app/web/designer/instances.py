"""Process instances (list, diagram with progress, history from the audit trail) and the
outbox of notifications: every message, those kept when no SMTP server is configured,
and the ones whose sending failed, which the Admin may queue again."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from app import diagram_texts, engine, mailer, task_names
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.engine import HumanTask, InstanceStatus, Notification, ProcessInstance
from app.models.org import Role, User
from app.services.org.permissions import ORG_WIDE, headed_units, require_role

bp = Blueprint("engine_admin", __name__)
PAGE_SIZE = 50

ACTION_LABELS = {
    "instance.start": _l("Started"),
    "instance.complete": _l("Completed"),
    "task.open": _l("Task opened"),
    "task.complete": _l("Task completed"),
    "task.cancel": _l("Task withdrawn"),
    "task.update": _l("Task moved to the new version of the process"),
    "task.claim": _l("Task taken"),
    "task.draft": _l("Draft saved"),
    "task.unclaim": _l("Task released"),
    "task.reassign": _l("Task reassigned"),
    "task.delegate": _l("Task delegated"),
    "task.remind": _l("Reminder sent"),
    "task.escalate": _l("Overdue task escalated"),
    "timer.fire": _l("Timer fired"),
    "timer.check": _l("Timers checked"),
    "message.receive": _l("Message received"),
    "message.deliver": _l("Message delivered"),
    "cycle.create": _l("Cycle created"),
    "cycle.start": _l("Cycle started"),
    "cycle.calendar": _l("Calendar changed"),
    "cycle.plan.copy": _l("Plan copied from the previous cycle"),
    "cycle.plan.submit": _l("Plan sent for review"),
    "cycle.plan.review": _l("Plan reviewed"),
    "cycle.deliberation": _l("Board deliberation recorded"),
    "people_plan.submit": _l("People plan submitted for adoption"),
    "risk.cycle.start": _l("Corruption-risk year started"),
    "cycle.remark": _l("Remark recorded"),
    "cycle.monitoring.consolidate": _l("Monitoring consolidated"),
    "cycle.monitoring.oiv_report": _l("OIV monitoring report"),
    "cycle.revision.propose": _l("Revision proposed"),
    "cycle.measurement.area": _l("Year-end actuals of an area"),
    "cycle.oiv_evaluation": _l("OIV evaluation of the organisation"),
    "cycle.scores": _l("Achievements computed"),
    "cycle.report.draft": _l("Report drafted"),
    "cycle.report.board": _l("Report approved by the Board"),
    "cycle.report.validation": _l("Report validated by the OIV"),
    "cycle.report.validation_attached": _l("OIV's validation attached to the Report"),
    "cycle.publish": _l("Cycle published and closed"),
    "plan.approve": _l("Plan adopted"),
    "plan.import": _l("Plan imported"),
    "plan.area.save": _l("Strategic area saved"),
    "plan.area.delete": _l("Strategic area deleted"),
    "plan.objective.save": _l("Objective saved"),
    "plan.objective.delete": _l("Objective deleted"),
    "plan.indicator.save": _l("Indicator saved"),
    "plan.indicator.delete": _l("Indicator deleted"),
    "plan.indicator.actual": _l("Actual recorded"),
    "plan.indicator.monitoring": _l("Monitoring value recorded"),
    "plan.indicator.neutralise": _l("Indicator neutralised"),
    "plan.indicator.reinstate": _l("Indicator reinstated"),
    "plan.revision.open": _l("Plan revision opened"),
    "plan.revision.oiv_opinion": _l("OIV opinion on the revision"),
    "plan.revision.approve": _l("Plan revision approved"),
    "individual_objectives.set": _l("Individual objectives set"),
    "objectives.issue": _l("Objectives issued"),
    "objectives.acknowledge": _l("Objectives acknowledged"),
    "objectives.changes_requested": _l("Changes to the objectives requested"),
    "evaluation.open": _l("Evaluation opened"),
    "evaluation.self_assessment": _l("Self-assessment written"),
    "evaluation.rate": _l("Ratings given"),
    "evaluation.not_evaluable": _l("Recorded as not evaluable"),
    "evaluation.acknowledge": _l("Evaluation acknowledged"),
    "evaluation.review_request": _l("Review requested"),
    "evaluation.review": _l("Evaluation reviewed"),
    "evaluation.window_closed": _l("Review window closed"),
    "rewards.pool": _l("Reward fund set"),
    "rewards.compute": _l("Rewards computed"),
    "rewards.approve": _l("Rewards approved"),
    "rewards.confirm": _l("Reward fund confirmed"),
    "definition.migrate": _l("Moved to another version of the process"),
}


def _may_view(instance: ProcessInstance) -> bool:
    if current_user.has_role(*ORG_WIDE) or current_user.id == instance.subject_id:
        return True
    involved = db.session.scalar(select(func.count(HumanTask.id)).where(
        HumanTask.instance_id == instance.id,
        or_(HumanTask.assignee_id == current_user.id, HumanTask.claimed_by_id == current_user.id,
            HumanTask.completed_by_id == current_user.id)))
    if involved:
        return True
    return (current_user.has_role(Role.MANAGER, Role.SUPERVISOR)
            and instance.org_unit_id in headed_units(current_user))


@bp.get("/instances")
@login_required
def instances():
    require_role(current_user, Role.ADMIN, Role.SUPPORT_UNIT)
    status = request.args.get("status") or None
    process_id = request.args.get("process") or None
    number = max(1, request.args.get("page", 1, type=int))
    stmt = select(ProcessInstance)
    if status in {s.value for s in InstanceStatus}:
        stmt = stmt.where(ProcessInstance.status == status)
    if process_id:
        stmt = stmt.where(ProcessInstance.process_id == process_id)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.order_by(ProcessInstance.id.desc()).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    ).scalars().all()
    processes = db.session.execute(
        select(ProcessInstance.process_id).distinct().order_by(ProcessInstance.process_id)
    ).scalars().all()
    return render_template("designer/instances/list.html", instances=rows, total=total, number=number,
                           pages=max(1, -(-total // PAGE_SIZE)), status=status,
                           process_id=process_id, processes=processes)


def _history(instance: ProcessInstance) -> list[dict]:
    titles = {row.task_guid: task_names.display_name(row) for row in db.session.execute(
        select(HumanTask.task_guid, HumanTask.bpmn_id, HumanTask.title)
        .where(HumanTask.instance_id == instance.id))}
    rows = db.session.execute(
        select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.id)
    ).all()
    return [{
        "event": event,
        "label": ACTION_LABELS.get(event.action, event.action),
        "actor": actor,
        "task_title": titles.get(event.task_id),
        "details": {k: v for k, v in (event.after or {}).items()
                    if k in ("decisions", "reason", "timers", "name", "recipients", "escalated_to")},
    } for event, actor in rows]


@bp.get("/instances/<int:instance_id>")
@login_required
def instance_page(instance_id: int):
    instance = db.get_or_404(ProcessInstance, instance_id)
    if not _may_view(instance):
        abort(403)
    done, current = engine.progress(instance)
    tasks = db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance.id).order_by(HumanTask.id)
    ).scalars().all()
    return render_template(
        "designer/instances/show.html", instance=instance, history=_history(instance), tasks=tasks,
        diagram={"xml": diagram_texts.localized_xml(instance.definition, task_names.language()),
                 "done": done, "current": current},
    )


@bp.get("/admin/outbox")
@login_required
def outbox():
    require_role(current_user, Role.ADMIN)
    number = max(1, request.args.get("page", 1, type=int))
    total = db.session.scalar(select(func.count(Notification.id)))
    rows = db.session.execute(
        select(Notification).order_by(Notification.id.desc())
        .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    ).scalars().all()
    return render_template("tasks/outbox.html", notifications=rows, total=total, number=number,
                           pages=max(1, -(-total // PAGE_SIZE)), failed=mailer.failed())


@bp.post("/admin/outbox/<int:notification_id>/retry")
@login_required
def retry_notification(notification_id: int):
    require_role(current_user, Role.ADMIN)
    notification = db.get_or_404(Notification, notification_id)
    if notification.status != "failed":
        abort(409)
    mailer.retry(current_user, notification)
    db.session.commit()
    flash(_("The message to %(email)s will be sent again.", email=notification.email), "success")
    return redirect(url_for("engine_admin.outbox"))
