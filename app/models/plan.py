"""The cycle and its plan."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class CycleStatus(str, enum.Enum):
    DRAFT = "draft"
    RUNNING = "running"
    CLOSED = "closed"


class Cycle(db.Model):
    """One year of the performance cycle of an administration."""

    __tablename__ = "cycle"
    __table_args__ = (UniqueConstraint("administration_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=CycleStatus.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
