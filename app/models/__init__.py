"""All models, imported here so that Alembic and the application see one metadata."""
from app.models.audit import AuditEvent
from app.models import cycle  # noqa: F401  (registers the cycle workflow's tables)
from app.models import engine  # noqa: F401  (registers the engine's tables)
from app.models.evaluation import (
    Evaluation,
    ObjectiveRating,
    ObjectiveSheet,
    RewardAllocation,
    RewardPool,
)
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
from app.models.plan import (
    EvaluationSystemConfig,
    Indicator,
    IndividualObjective,
    Objective,
    Plan,
    PlanRevision,
    StrategicArea,
)

__all__ = [
    "ASSIGNABLE_ROLES",
    "Administration",
    "AuditEvent",
    "Evaluation",
    "ObjectiveRating",
    "ObjectiveSheet",
    "RewardAllocation",
    "RewardPool",
    "Cycle",
    "EvaluationSystemConfig",
    "EvaluatorLink",
    "Indicator",
    "IndividualObjective",
    "LoginAttempt",
    "Objective",
    "OrgUnit",
    "Plan",
    "PlanRevision",
    "Role",
    "StrategicArea",
    "User",
    "UserRole",
]
