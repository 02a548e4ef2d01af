"""Personal data: who opened whose evaluation, objectives or bonus (GDPR art. 15 gives
each person the right to know it)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class AccessKind(str, enum.Enum):
    EVALUATION = "evaluation"
    OBJECTIVES = "objectives"
    BONUS = "bonus"


class PersonalDataAccess(db.Model):
    """One opening, by `viewer`, of a page or a file showing `subject`'s data."""

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    what: Mapped[str] = mapped_column(String(20))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"))
    page: Mapped[str] = mapped_column(String(200))

    viewer = relationship("User", foreign_keys=[viewer_id])
    subject = relationship("User", foreign_keys=[subject_id])
    cycle = relationship("Cycle")
