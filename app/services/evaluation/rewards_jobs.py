"""The background job distributing a cycle's reward pools, one item per pool (see
app.services.evaluation.rewards.compute, which records it).

Each item reads the people of its pool alone, with their scores and achievements, and
replaces the pool's allocations in the chunk's transaction, so an item done again
(retried, or the step sent back and computed anew) gives the same result."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.plan import Cycle
from app.services.evaluation import rewards
from app.services.jobs.registry import job_kind


def _rules(job) -> tuple:
    cycle = db.session.get(Cycle, job.parameters["cycle_id"])
    return cycle, rewards.reward_system(cycle)


# One pool per transaction: its rounding spans everyone in it.
@job_kind(rewards.COMPUTE_JOB, prepare=_rules, chunk=1)
def distribute(job, key: str, shared) -> None:
    cycle, system = shared
    pool = next((p for p in rewards.pools(cycle) if p.group == key), None)
    if pool is None:
        raise LookupError(_l("This fund no longer exists."))
    people = rewards.people_of_pools(cycle, system, key)[key]
    rewards.distribute_pool(job.created_by, pool, people, system)
