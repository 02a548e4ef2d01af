"""Individual evaluations and rewards: the objective sheet a person acknowledges, the
evaluation with its ratings per objective (and the review, if asked), the reward pools
of a cycle and what each person is paid from them."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.plan import MONEY, WEIGHT
from app.models.types import UTCDateTime, utcnow

SCORE = Numeric(5, 2)


class SheetStatus(str, enum.Enum):
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"


class ObjectiveSheet(db.Model):
    """The person's objectives for the cycle as a whole: assigned by the evaluator, then
    acknowledged by the person (with an optional comment). Evaluation needs it
    acknowledged."""

    __tablename__ = "objective_sheet"
    __table_args__ = (UniqueConstraint("cycle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SheetStatus.ASSIGNED.value)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    employee_comment: Mapped[str | None] = mapped_column(Text)

    user = relationship("User", foreign_keys=[user_id])


class EvaluationStatus(str, enum.Enum):
    OPEN = "open"  # waiting for the evaluator (self-assessment possible)
    RATED = "rated"  # the evaluator rated; the person may acknowledge or ask for review
    REVIEW_REQUESTED = "review_requested"
    FINAL = "final"


class Evaluation(db.Model):
    """One person's evaluation in one cycle."""

    __tablename__ = "evaluation"
    __table_args__ = (
        UniqueConstraint("cycle_id", "user_id"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 6)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # None with evaluated_by_board: the Secretary General, evaluated by the Board
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    evaluated_by_board: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=EvaluationStatus.OPEN.value, index=True)
    self_assessment: Mapped[str | None] = mapped_column(Text)
    evaluator_comment: Mapped[str | None] = mapped_column(Text)
    score: Mapped[Decimal | None] = mapped_column(SCORE)
    band: Mapped[str | None] = mapped_column(String(10))
    not_evaluable: Mapped[bool] = mapped_column(Boolean, default=False)
    not_evaluable_reason: Mapped[str | None] = mapped_column(String(500))
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_window_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_request_reason: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    review_outcome: Mapped[str | None] = mapped_column(String(20))  # confirmed | amended
    review_reasons: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    evaluator = relationship("User", foreign_keys=[evaluator_id])
    ratings: Mapped[list[ObjectiveRating]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan",
        order_by="ObjectiveRating.id",
    )


class ObjectiveRating(db.Model):
    """What (0-6) and how (A/B/C) for one individual objective, with the matrix value.
    Stage 'evaluation' is the evaluator's; stage 'review' the second-level reviewer's
    amendment, kept beside the first so both stay visible."""

    __tablename__ = "objective_rating"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "individual_objective_id", "stage"),
        CheckConstraint("what >= 0 AND what <= 6", name="what_range"),
        CheckConstraint("how IN ('A', 'B', 'C')", name="how_values"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), index=True
    )
    individual_objective_id: Mapped[int] = mapped_column(
        ForeignKey("individual_objective.id"), index=True
    )
    stage: Mapped[str] = mapped_column(String(12), default="evaluation")
    what: Mapped[int] = mapped_column(Integer)
    how: Mapped[str] = mapped_column(String(1))
    value: Mapped[int] = mapped_column(Integer)
    weight: Mapped[Decimal] = mapped_column(WEIGHT)
    comment: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[Evaluation] = relationship(back_populates="ratings")
    objective = relationship("IndividualObjective")


class PoolStatus(str, enum.Enum):
    COMPUTED = "computed"
    APPROVED = "approved"  # by the Secretary General
    CONFIRMED = "confirmed"  # by the Board


class RewardPool(db.Model):
    """The fund of one group of people (staff, managers) in a cycle, with the result of
    its last distribution."""

    __tablename__ = "reward_pool"
    __table_args__ = (UniqueConstraint("cycle_id", "group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    group: Mapped[str] = mapped_column(String(20))  # staff | managers
    amount: Mapped[Decimal] = mapped_column(MONEY)
    distributed: Mapped[Decimal | None] = mapped_column(MONEY)
    remainder: Mapped[Decimal | None] = mapped_column(MONEY)
    status: Mapped[str | None] = mapped_column(String(20))
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deliberation_number: Mapped[str | None] = mapped_column(String(40))

    allocations: Mapped[list[RewardAllocation]] = relationship(
        back_populates="pool", cascade="all, delete-orphan", order_by="RewardAllocation.user_id"
    )


class RewardAllocation(db.Model):
    """What one person receives from a pool, in its parts."""

    __tablename__ = "reward_allocation"
    __table_args__ = (UniqueConstraint("pool_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("reward_pool.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    score: Mapped[Decimal | None] = mapped_column(SCORE)
    base_share: Mapped[Decimal] = mapped_column(MONEY)
    organisational_part: Mapped[Decimal] = mapped_column(MONEY)
    individual_part: Mapped[Decimal] = mapped_column(MONEY)
    bonus: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(MONEY)

    pool: Mapped[RewardPool] = relationship(back_populates="allocations")
    user = relationship("User")
