"""Transparency: the grid of publication obligations of the "Amministrazione
trasparente" section (who prepares, who publishes, how often, when last published),
and the OIV's yearly attestation on the obligations it selects."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime


class Frequency(str, enum.Enum):
    """How often an obligation is updated (the grid's "aggiornamento")."""

    TIMELY = "timely"  # tempestivo: checked every month
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


class Obligation(db.Model):
    """One publication obligation of the grid."""

    __tablename__ = "transparency_obligation"
    __table_args__ = (UniqueConstraint("administration_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(400))
    legal_reference: Mapped[str] = mapped_column(String(200))
    preparer_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    publisher_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    frequency: Mapped[str] = mapped_column(String(20))
    last_published: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    preparer_unit = relationship("OrgUnit", foreign_keys=[preparer_unit_id])
    publisher_unit = relationship("OrgUnit", foreign_keys=[publisher_unit_id])


class AttestationScale(str, enum.Enum):
    ZERO_TO_THREE = "zero_to_three"
    YES_NO = "yes_no"


class AttestationStatus(str, enum.Enum):
    OPEN = "open"  # the OIV fills the grid
    SIGNED = "signed"  # the OIV signed it off
    PUBLISHED = "published"


class Attestation(db.Model):
    """The OIV's attestation of one year on the obligations selected for it."""

    __tablename__ = "transparency_attestation"
    __table_args__ = (UniqueConstraint("administration_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    scale: Mapped[str] = mapped_column(String(20), default=AttestationScale.ZERO_TO_THREE.value)
    status: Mapped[str] = mapped_column(String(20), default=AttestationStatus.OPEN.value)
    due: Mapped[date] = mapped_column(Date)
    statement: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    entries: Mapped[list[AttestationEntry]] = relationship(
        back_populates="attestation", order_by="AttestationEntry.id",
        cascade="all, delete-orphan")


class AttestationEntry(db.Model):
    """The OIV's marks on one obligation: 0-3 each, or 0/1 on the yes/no scale; None
    until filled."""

    __tablename__ = "attestation_entry"
    __table_args__ = (UniqueConstraint("attestation_id", "obligation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attestation_id: Mapped[int] = mapped_column(
        ForeignKey("transparency_attestation.id", ondelete="CASCADE"), index=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("transparency_obligation.id"),
                                               index=True)
    published: Mapped[int | None] = mapped_column(Integer)
    complete: Mapped[int | None] = mapped_column(Integer)
    up_to_date: Mapped[int | None] = mapped_column(Integer)
    open_format: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    attestation: Mapped[Attestation] = relationship(back_populates="entries")
    obligation: Mapped[Obligation] = relationship()
