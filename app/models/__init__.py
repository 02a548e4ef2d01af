"""All models, imported here so that Alembic and the application see one metadata."""
from app.models import (
    cycle,  # noqa: F401  (registers the cycle workflow's tables)
    engine,  # noqa: F401  (registers the engine's tables)
    equality,  # noqa: F401  (registers the positive actions plan)
    job_files,  # noqa: F401  (registers the files of the background jobs)
    jobs,  # noqa: F401  (registers the background jobs)
    monitoring,  # noqa: F401  (registers the monitoring rounds)
    people_plan,  # noqa: F401  (the adoption shared by the people plans)
    privacy,  # noqa: F401  (registers the personal-data access log)
    risk,  # noqa: F401  (registers the corruption-risk process map)
    risk_register,  # noqa: F401  (registers the yearly risk register)
    smart_working,  # noqa: F401  (registers the smart-working agreements)
    staffing,  # noqa: F401  (registers the staffing plan)
    targets,  # noqa: F401  (registers the yearly targets of indicators)
    training,  # noqa: F401  (registers the training plan)
    transparency,  # noqa: F401  (registers the transparency grid and attestations)
)
from app.models.audit import AuditEvent
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
from app.models.plan import (
    Cycle,
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
    "Cycle",
    "Evaluation",
    "EvaluationSystemConfig",
    "EvaluatorLink",
    "Indicator",
    "IndividualObjective",
    "LoginAttempt",
    "Objective",
    "ObjectiveRating",
    "ObjectiveSheet",
    "OrgUnit",
    "Plan",
    "PlanRevision",
    "RewardAllocation",
    "RewardPool",
    "Role",
    "StrategicArea",
    "User",
    "UserRole",
]
