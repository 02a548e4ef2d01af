"""The organisation: the administration, its units, its people, their roles and who
evaluates whom."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Role(str, enum.Enum):
    """Role names, equal to the BPMN lane names of DOMAIN.md."""

    ADMIN = "Admin"
    SUPPORT_UNIT = "SupportUnit"
    SECRETARY_GENERAL = "SecretaryGeneral"
    MANAGER = "Manager"
    SUPERVISOR = "Supervisor"
    EVALUATOR = "Evaluator"
    EMPLOYEE = "Employee"
    OIV = "OIV"
    BOARD = "Board"
    RPCT = "RPCT"  # the officer for corruption prevention and transparency


# Evaluator and Employee are resolved per process instance; the others are held.
ASSIGNABLE_ROLES = tuple(r for r in Role if r is not Role.EVALUATOR)
LANE_NAMES = frozenset(r.value for r in Role)


class UnitKind(str, enum.Enum):
    ADMINISTRATION = "administration"
    AREA = "area"
    SECTOR = "sector"


class Administration(db.Model):
    __tablename__ = "administration"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class OrgUnit(db.Model):
    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("administration_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=UnitKind.SECTOR.value)
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", use_alter=True, name="fk_org_unit_head_id_user"), index=True
    )

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(
        back_populates="parent", order_by="OrgUnit.code"
    )
    head: Mapped[User | None] = relationship(foreign_keys=[head_id], post_update=True)
    members: Mapped[list[User]] = relationship(
        back_populates="unit", foreign_keys="User.unit_id", order_by="User.last_name"
    )

    def ancestors(self) -> list[OrgUnit]:
        """From the parent up to the root."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @property
    def path(self) -> str:
        """The unit path used by imports: names from the top, joined by ' / '."""
        return " / ".join(u.name for u in reversed([self, *self.ancestors()]))


# The people the cycle's lists show: active, in a unit.
LISTED = "active AND unit_id IS NOT NULL"


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(
            "part_time_percent > 0 AND part_time_percent <= 100", name="part_time_range"
        ),
        # Every list of people is by name, one page at a time (app.services.paging).
        Index("ix_user_name_order", "last_name", "first_name", "id"),
        # The people the cycle's lists show (active, in a unit): counted from this
        # index alone, without reading the table (app.services.reports.standing).
        Index("ix_user_listed_by_name", "last_name", "first_name", "id",
              postgresql_where=text(LISTED), sqlite_where=text(LISTED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(20))
    part_time_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(100))
    service_start: Mapped[date | None] = mapped_column(Date)
    service_end: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    reminders_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    # How task e-mails reach the person: "each" (one per task), "digest" (one a day), or
    # NULL for automatic (app.notify.DIGEST_THRESHOLD decides).
    mail_mode: Mapped[str | None] = mapped_column(String(10))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the session's user id (get_id): raising it ends every session of the user
    # (sign-out, password change, deactivation, change of roles).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[OrgUnit | None] = relationship(back_populates="members", foreign_keys=[unit_id])
    # Read when asked for: the signed-in person's come with them (load_user), and a person
    # shown by name on a page (a subject, an evaluator, a row of a list) needs none.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role | str) -> bool:
        names = {r.value if isinstance(r, Role) else r for r in roles}
        return bool(self.roles & names)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the id and the session version, so a cookie
        issued before the version was raised no longer signs anyone in."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """End every session of this user (the current request's included)."""
        self.session_version = (self.session_version or 0) + 1

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_role"
    # The holders of a role (the Secretaries General, a pooled task's candidates) are
    # read at every completion: without (role, user_id) that is a scan of everyone's roles.
    __table_args__ = (UniqueConstraint("user_id", "role"),
                      Index("ix_user_role_role", "role", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="role_rows")


class EvaluatorLink(db.Model):
    """An override of the default evaluation chain.

    With cycle_id NULL it is standing (every cycle); with a cycle it applies to that
    cycle only and wins over a standing link. Without any link the default rule applies
    (see app.services.org.operations.evaluator_of)."""

    __tablename__ = "evaluator_link"
    __table_args__ = (UniqueConstraint("evaluatee_id", "cycle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluatee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))

    evaluatee: Mapped[User] = relationship(foreign_keys=[evaluatee_id])
    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_id])


class LoginAttempt(db.Model):
    """Sign-in attempts, kept in the database so throttling holds across app servers."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class LoginThrottle(db.Model):
    """Failures in a row of one e-mail from one address, and until when that pair is
    locked. Per pair, so that failures from one address never lock the account for
    everyone else."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("email", "remote_addr"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
