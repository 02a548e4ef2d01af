"""The process map of the corruption-risk section of the integrated plan: the risk areas
(A hiring and careers, B public contracts, ... configurable per administration), and per
unit and area the processes, their phases (the sub-processes other sections score too,
such as smart working's remotability) and the activities of each phase.

The map is standing: it outlives a plan year, and the yearly register (risk items,
measures) points at it. A process retired from the map is kept inactive, so past
registers still name it."""
from __future__ import annotations

import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class BandMethod(str, enum.Enum):
    """How an area's risk level is banded (PIAO.md: two methods in use side by side);
    the bands of each method are configured per plan year."""

    FOUR_BANDS = "four_bands"  # the current method: low, medium, medium-high, high
    THREE_BANDS = "three_bands"  # the older method: low, medium, high


class RiskArea(db.Model):
    """A risk area of the national plan (A, B, C, D, E, G, H...), with its band method."""

    __tablename__ = "risk_area"
    __table_args__ = (UniqueConstraint("administration_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20), default=BandMethod.FOUR_BANDS.value)
    position: Mapped[int] = mapped_column(Integer, default=0)

    processes: Mapped[list[MappedProcess]] = relationship(
        back_populates="area", order_by="MappedProcess.code")


class MappedProcess(db.Model):
    """A process of a unit in one risk area; the unit's head (a manager) owns it."""

    __tablename__ = "mapped_process"
    __table_args__ = (UniqueConstraint("administration_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("risk_area.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit = relationship("OrgUnit")
    area: Mapped[RiskArea] = relationship(back_populates="processes")
    phases: Mapped[list[ProcessPhase]] = relationship(
        back_populates="process", order_by="ProcessPhase.position",
        cascade="all, delete-orphan")


class ProcessPhase(db.Model):
    """A phase (sub-process) of a process, in its order."""

    __tablename__ = "process_phase"
    __table_args__ = (UniqueConstraint("process_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("mapped_process.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)

    process: Mapped[MappedProcess] = relationship(back_populates="phases")
    activities: Mapped[list[PhaseActivity]] = relationship(
        back_populates="phase", order_by="PhaseActivity.position",
        cascade="all, delete-orphan")


class PhaseActivity(db.Model):
    """An activity of a phase, in its order."""

    __tablename__ = "phase_activity"
    __table_args__ = (UniqueConstraint("phase_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(
        ForeignKey("process_phase.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))

    phase: Mapped[ProcessPhase] = relationship(back_populates="activities")
