"""The background job distributing a cycle's reward pools, one item per pool (see
app.services.evaluation.rewards.compute, which records it).

Each item reads the people of its pool alone, with their scores and achievements, in
the transaction that claims it; distributes the pool with no transaction open (the
largest-remainder rounding over 25,000 people takes about a second); and replaces the
pool's allocations in a last short transaction, which refuses a fund changed in the
meantime. Done again (retried, or the step sent back and computed anew) an item gives
the same result."""
from __future__ import annotations

from app.extensions import db
from app.models.plan import Cycle
from app.services.evaluation import rewards
from app.services.jobs.registry import job_kind


def _read(job, key: str) -> rewards.PoolToDistribute:
    cycle = db.session.get(Cycle, job.parameters["cycle_id"])
    return rewards.pool_to_distribute(cycle, key, rewards.reward_system(cycle))


def _distribute(given: rewards.PoolToDistribute):
    return given, given.distribute()


@job_kind(rewards.COMPUTE_JOB, gather=_read, produce=_distribute)
def distribute(job, key: str, produced) -> None:
    rewards.write_distribution(job.created_by, *produced)
