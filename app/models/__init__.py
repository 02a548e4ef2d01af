"""All models, imported here so that Alembic and the application see one metadata."""
from app.models.audit import AuditEvent
from app.models.org import (
    ASSIGNABLE_ROLES,
    Administration,
    EvaluatorLink,
    LoginAttempt,
    OrgUnit,
    Role,
    User,
    UserRole,
)
from app.models.plan import Cycle

__all__ = [
    "ASSIGNABLE_ROLES",
    "Administration",
    "AuditEvent",
    "Cycle",
    "EvaluatorLink",
    "LoginAttempt",
    "OrgUnit",
    "Role",
    "User",
    "UserRole",
]
