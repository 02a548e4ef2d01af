"""The background jobs of the risk section's process: one manager's report per area in a
monitoring round, one periodic check's process per row of the checks table (recorded by
app.services.risk.cycle, done by `flask jobs work`)."""
from __future__ import annotations

from app.extensions import db
from app.models.engine import ProcessInstance
from app.models.risk_register import RiskYear
from app.services.jobs.registry import job_kind
from app.services.risk import cycle


def _shared(job) -> tuple[RiskYear, ProcessInstance]:
    return (db.session.get(RiskYear, job.parameters["year_id"]),
            db.session.get(ProcessInstance, job.parent_instance_id))


@job_kind(cycle.REPORTS_JOB, prepare=_shared)
def start_report(job, key: str, shared) -> None:
    year, parent = shared
    cycle.start_report(job.created_by, year, job.parameters["round"], int(key), parent)


@job_kind(cycle.CHECKS_JOB, prepare=_shared)
def start_check(job, key: str, shared) -> None:
    year, parent = shared
    cycle.start_check(job.created_by, year, int(key), parent)
