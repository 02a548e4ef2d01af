"""Retention of evaluations (RETENTION_YEARS, default 10).

For the cycles older than the retention period, what describes a person's performance
in words goes: the self-assessment, the evaluator's and the reviewer's texts, the
review request, the reason for not evaluating, the comment on the objective sheet, and
the ratings per objective (with their comments). The score and band stay, because the
published distributions and the paid rewards are computed from them, and so does every
audit event: its payload is replaced by its digest (app.audit.redact), so the chain still
verifies and shows who did what and when, by ids only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, or_, select, update

from app import audit
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.evaluation import Evaluation, ObjectiveRating, ObjectiveSheet
from app.models.plan import Cycle

EVALUATION_TEXTS = ("self_assessment", "evaluator_comment", "review_request_reason",
                    "review_reasons", "not_evaluable_reason")


@dataclass(frozen=True)
class RetentionResult:
    cutoff_year: int
    cycles: list[int]
    evaluations: int
    ratings: int
    sheets: int
    audit_events: int


def cutoff_year(years: int, today: date) -> int:
    """Cycles of a year before this one are past the retention period."""
    return today.year - years


def _ids(query) -> list[int]:
    return list(db.session.execute(query).scalars())


def apply(actor, years: int, today: date, dry_run: bool = False) -> RetentionResult:
    """Strip the old evaluations (or, with dry_run, only count what would go). The caller
    commits."""
    cutoff = cutoff_year(years, today)
    cycles = _ids(select(Cycle.id).where(Cycle.year < cutoff))
    with_texts = or_(*[getattr(Evaluation, name).is_not(None) for name in EVALUATION_TEXTS])
    evaluations = _ids(select(Evaluation.id).where(Evaluation.cycle_id.in_(cycles), with_texts))
    all_evaluations = _ids(select(Evaluation.id).where(Evaluation.cycle_id.in_(cycles)))
    ratings = db.session.execute(select(func.count(ObjectiveRating.id)).where(
        ObjectiveRating.evaluation_id.in_(all_evaluations))).scalar_one()
    sheets = _ids(select(ObjectiveSheet.id).where(
        ObjectiveSheet.cycle_id.in_(cycles), ObjectiveSheet.employee_comment.is_not(None)))
    all_sheets = _ids(select(ObjectiveSheet.id).where(ObjectiveSheet.cycle_id.in_(cycles)))
    events = _ids(select(AuditEvent.id).where(or_(
        (AuditEvent.object_type == "Evaluation")
        & AuditEvent.object_id.in_([str(i) for i in all_evaluations]),
        (AuditEvent.object_type == "ObjectiveSheet")
        & AuditEvent.object_id.in_([str(i) for i in all_sheets]),
    )))
    years_hit = sorted(_ids(select(Cycle.year).where(Cycle.id.in_(cycles))))
    if dry_run:
        return RetentionResult(cutoff, years_hit, len(evaluations), ratings, len(sheets),
                               len(events))
    db.session.execute(update(Evaluation).where(Evaluation.id.in_(evaluations))
                       .values({name: None for name in EVALUATION_TEXTS}))
    db.session.execute(delete(ObjectiveRating).where(
        ObjectiveRating.evaluation_id.in_(all_evaluations)))
    db.session.execute(update(ObjectiveSheet).where(ObjectiveSheet.id.in_(sheets))
                       .values(employee_comment=None))
    redacted = audit.redact(events)
    db.session.expire_all()
    audit.record("retention.apply", actor=actor, after={
        "cutoff_year": cutoff, "cycles": years_hit, "evaluations": len(evaluations),
        "ratings": ratings, "sheets": len(sheets), "audit_events": redacted})
    return RetentionResult(cutoff, years_hit, len(evaluations), ratings, len(sheets), redacted)
