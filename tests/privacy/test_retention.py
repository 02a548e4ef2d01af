"""`flask retention apply`: evaluations of cycles older than RETENTION_YEARS lose their
texts and per-objective ratings; scores, bands and aggregates stay, and the audit trail
keeps every event with its payload replaced by a digest, so the chain still verifies."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.evaluation import Evaluation, ObjectiveRating, ObjectiveSheet
from app.services.privacy import retention
from app.services.reports import figures as reports

LATER = date(2033, 1, 1)  # 2022 + 10 years of retention have passed


def _texts() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(Evaluation.id)).where(
        Evaluation.evaluator_comment.is_not(None))).scalar_one()


def _evaluation_events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "Evaluation")).scalars())


def test_retention_strips_old_evaluations_and_keeps_scores_and_a_verifiable_chain(report_cycle):
    scores = dict(db.session.execute(select(Evaluation.id, Evaluation.score)).all())
    distribution = reports.score_distribution(report_cycle)
    assert _texts() and db.session.execute(select(func.count(ObjectiveRating.id))).scalar_one()
    assert any(e.after and "score" in e.after for e in _evaluation_events())

    result = retention.apply(None, 10, LATER)
    db.session.commit()

    assert result.cycles == [2022] and result.evaluations == len(scores)
    assert _texts() == 0
    assert db.session.execute(select(func.count(ObjectiveRating.id))).scalar_one() == 0
    assert db.session.execute(select(func.count(ObjectiveSheet.id)).where(
        ObjectiveSheet.employee_comment.is_not(None))).scalar_one() == 0
    assert dict(db.session.execute(select(Evaluation.id, Evaluation.score)).all()) == scores
    assert reports.score_distribution(report_cycle) == distribution
    events = _evaluation_events()
    assert events and not any(e.after and "score" in e.after for e in events)
    assert all(e.after is None or set(e.after) == {audit.REDACTED} for e in events)
    assert audit.verify().ok
    last = db.session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
    assert last.action == "retention.apply" and last.after["cycles"] == [2022]


def test_retention_leaves_cycles_within_the_period_alone(report_cycle):
    result = retention.apply(None, 10, date(2032, 12, 31))
    db.session.commit()
    assert result.cycles == [] and _texts()


def test_dry_run_counts_and_changes_nothing(report_cycle, app):
    before = _texts()
    result = app.test_cli_runner().invoke(args=["retention", "apply", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would be stripped" in result.output
    counted = retention.apply(None, 10, LATER, dry_run=True)
    db.session.rollback()
    assert counted.evaluations == before and _texts() == before


def test_a_redacted_event_whose_digest_is_altered_breaks_the_chain(report_cycle):
    retention.apply(None, 10, LATER)
    db.session.commit()
    victim = next(e for e in _evaluation_events() if e.after is not None)
    table = AuditEvent.__table__
    db.session.execute(table.update().where(table.c.id == victim.id)
                       .values(after={audit.REDACTED: "0" * 64}))
    db.session.commit()
    db.session.expire_all()
    result = audit.verify()
    assert result.broken_id == victim.id
