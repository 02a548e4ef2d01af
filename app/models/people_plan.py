"""The people sections of the integrated plan share one life: each is a three-year plan
of a cycle, drafted by the support unit (the HR office), adopted by the Board's
deliberation (the positive actions plan after the equality committee's opinion), and
edited only while it is a draft. `version` is the optimistic lock every edit form
carries: a form read before someone else's change is answered 409. Each section's
tables are in its own module: staffing, training, equality."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.types import UTCDateTime, utcnow


class PlanKind(str, enum.Enum):
    STAFFING = "staffing"
    TRAINING = "training"
    EQUALITY = "equality"  # the positive actions plan


class AdoptionStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # in the adoption workflow
    ADOPTED = "adopted"


class AdoptedPlan:
    """The columns of a people plan's adoption (a mixin of each section's plan table)."""

    kind: ClassVar[PlanKind]

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), unique=True)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=AdoptionStatus.DRAFT.value)
    deliberation_id: Mapped[int | None] = mapped_column(ForeignKey("board_deliberation.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}

    @declared_attr
    def cycle(cls):
        return relationship("Cycle")

    @declared_attr
    def deliberation(cls):
        return relationship("BoardDeliberation")

    @property
    def is_draft(self) -> bool:
        return self.status == AdoptionStatus.DRAFT.value
