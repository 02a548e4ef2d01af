"""Recording jobs and doing their items, chunk by chunk (see the package docstring).

A chunk is one transaction: the claiming UPDATE, every item's work (each in a savepoint,
so one broken item fails alone), the audit event of the chunk, the job's counts and, when
nothing is left, the job's end. A worker killed in the middle loses the whole chunk,
which the next run takes again. Lock order, the same in every chunk: items, the audit
chain, the job row, the parent instance.

A kind whose work takes seconds without the database (rendering a PDF) does each item in
two short transactions around it (_run_outside): the claim and the reading, committed
with a lease on the item; the work, with no transaction open; then the writing, which
finds the item still claimed by this worker or drops the work. A worker killed while
working leaves the item pending: once the lease ends, the next worker does it again.

Each chunk's audit event says how long its transaction took (`seconds`), the figure the
benchmarks report against the 2-second bound."""
from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import Select, String, cast, func, insert, literal, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, engine
from app.extensions import db
from app.models.jobs import ItemStatus, Job, JobItem, JobStatus
from app.models.types import utcnow
from app.services.jobs import registry, wakeup

# Errors of the database itself (a lock wait, a concurrent save): the chunk is rolled
# back and its items stay pending, rather than failing items whose data is fine.
TRANSIENT = (OperationalError, StaleDataError)
ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
# How long a claimed item of a kind working outside the transaction is kept from other
# workers: far above its work (seconds), short enough that a killed worker's item is
# soon taken again.
LEASE = timedelta(minutes=2)
# Times the writing after the work outside is tried again when the database rolls it
# back (a lock wait), before the work is left to the next worker after the lease.
WRITE_TRIES = 3
# The key of the item that lists a job's other items (JobKind.expand): done first, in the
# worker, when working them out takes longer than a request should.
EXPAND = "*"


@dataclass
class ChunkReport:
    done: int = 0
    failed: int = 0
    finished_jobs: list[int] = field(default_factory=list)


def enqueue(kind: str, items, *, actor=None, parameters: dict | None = None,
            cycle_id: int | None = None, parent=None, notify_message: str | None = None,
            expand_label: str | None = None) -> Job:
    """Record a job of `kind` with its items, (business key, label) pairs, in the
    caller's transaction, with one multi-row INSERT. With `expand_label`, a first item
    (EXPAND, shown with that label) has the worker add the rest: the kind's
    `expand(job)` works them out (see _expand)."""
    job = Job(kind=kind, parameters=parameters or {}, status=JobStatus.QUEUED.value,
              cycle_id=cycle_id, created_by_id=getattr(actor, "id", actor),
              parent_instance_id=getattr(parent, "id", None), notify_message=notify_message)
    db.session.add(job)
    db.session.flush()
    listing = [] if expand_label is None else [(EXPAND, expand_label)]
    job.total = _insert(job, listing + list(items))
    audit.record("job.enqueue", actor=actor, obj=job,
                 after={"kind": kind, "total": job.total, "parameters": job.parameters})
    if not job.total:
        _finish(job)
    else:
        wakeup.notify()
    return job


def _insert(job: Job, items) -> int | None:
    """Add pending items to the job: pairs (how many are returned), or a SELECT of two
    columns, key and label, that the database copies itself (INSERT ... SELECT: 25,000
    people's items without reading them into Python); the chunk's end counts those."""
    if isinstance(items, Select):
        key, label = items.subquery().c
        db.session.execute(insert(JobItem).from_select(
            ["job_id", "key", "label", "status", "attempts"],
            select(literal(job.id), cast(key, String), func.substr(label, 1, 200),
                   literal(ItemStatus.PENDING.value), literal(0))))
        return None
    rows = [{"job_id": job.id, "key": str(key), "label": str(label)[:200],
             "status": ItemStatus.PENDING.value, "attempts": 0} for key, label in items]
    if rows:
        db.session.execute(insert(JobItem), rows)
    return len(rows)


def _claim(size: int | None, token: str) -> list[JobItem]:
    """Mark up to `size` (default: the kind's chunk) pending items of the first active
    job that has some with this transaction's token and return them. On PostgreSQL rows
    another worker holds are skipped; on SQLite the UPDATE takes the database's only
    write lock, so the next worker waits and then sees these items taken."""
    waiting = (JobItem.status == ItemStatus.PENDING.value, Job.status.in_(ACTIVE),
               or_(JobItem.claimed_at.is_(None), JobItem.claimed_at < utcnow() - LEASE))
    head = db.session.execute(
        select(JobItem.job_id, Job.kind).join(Job, Job.id == JobItem.job_id).where(*waiting)
        .order_by(JobItem.job_id, JobItem.id).limit(1)).first()
    if head is None:
        return []  # an idle worker only reads: it takes no write lock on SQLite
    pending = (select(JobItem.id).join(Job, Job.id == JobItem.job_id)
               .where(*waiting, JobItem.job_id == head.job_id)
               .order_by(JobItem.id).limit(registry.chunk_size(head.kind, size)))
    if db.session.get_bind().dialect.name == "postgresql":
        pending = pending.with_for_update(of=JobItem, skip_locked=True)
    ids = pending.scalar_subquery() if db.session.get_bind().dialect.name == "sqlite" else list(
        db.session.scalars(pending))
    db.session.execute(update(JobItem).where(JobItem.id.in_(ids)).values(claim_token=token)
                       .execution_options(synchronize_session=False))
    return list(db.session.scalars(
        select(JobItem).where(JobItem.claim_token == token).order_by(JobItem.job_id, JobItem.id)))


def run_chunk(size: int | None = None) -> ChunkReport | None:
    """Do up to `size` (default: the kind's chunk) pending items of one job in one
    transaction and commit; None when there was nothing to do. Raises the TRANSIENT
    errors after rolling back."""
    token = f"{os.getpid()}-{uuid4().hex}"[:32]  # which process took the items, and when
    began = time.perf_counter()
    try:
        items = _claim(size, token)
        if not items:
            db.session.rollback()
            return None
        job = db.session.get(Job, items[0].job_id)  # a claim takes one job's items
        kind = _kind_of(job)
        if kind is not None and kind.outside:
            return _run_outside(kind, job, items[0], token, began)
        report = ChunkReport()
        _run_job_items(job, items, report)
        _end_chunk(job, items, report, began)
        db.session.commit()
    except TRANSIENT:
        db.session.rollback()
        raise
    return report


def _kind_of(job: Job) -> registry.JobKind | None:
    try:
        return registry.kind(job.kind)
    except LookupError:
        return None  # its items fail, saying so (_run_job_items)


def _started(job: Job) -> None:
    if job.status == JobStatus.QUEUED.value:
        job.status, job.started_at = JobStatus.RUNNING.value, utcnow()


def _run_job_items(job: Job, items: list[JobItem], report: ChunkReport) -> None:
    _started(job)
    try:
        kind = registry.kind(job.kind)
    except LookupError as exc:  # no handler: every item says so
        kind, broken = None, exc
    if kind is not None and items[0].key == EXPAND:
        _expand(kind, job, items[0], report)
        items = items[1:]  # the listed items wait for the next chunks
    if items and kind is not None:
        try:
            shared = kind.prepare(job)
        except TRANSIENT:
            raise
        except Exception as exc:  # noqa: BLE001  (the job's data is broken: every item says so)
            kind, broken = None, exc
    if kind is None:
        for item in items:
            _failed(item, broken, report)
    elif not (kind.batch and len(items) > 1 and _run_batch(kind, job, items, shared, report)):
        for item in items:
            _run_item(kind, job, item, shared, report)


def _expand(kind, job: Job, item: JobItem, report: ChunkReport) -> None:
    """The job's other items, worked out by its kind and added as pending: the next
    chunks do them. In a savepoint, like any item: broken data fails this item alone,
    with nothing added, and its retry works them out again."""
    item.attempts += 1
    try:
        with db.session.begin_nested():
            if kind.expand is None:
                raise LookupError(f"jobs of kind {job.kind!r} do not list their own items")
            _insert(job, kind.expand(job))
    except TRANSIENT:
        raise
    except Exception as exc:  # noqa: BLE001  (the job's data is broken: this item says so)
        _failed(item, exc, report)
        return
    item.status, item.done_at, item.error = ItemStatus.DONE.value, utcnow(), None
    report.done += 1


def _end_chunk(job: Job, items: list[JobItem], report: ChunkReport, began: float, **timing) -> None:
    audit.record("job.chunk", actor=job.created_by_id, obj=job,
                 after={"keys": [item.key for item in items],
                        "failed": [item.key for item in items if item.status == ItemStatus.FAILED.value],
                        "seconds": round(time.perf_counter() - began, 3), **timing})
    _refresh(job, report)


def _run_outside(kind, job: Job, item: JobItem, token: str, began: float) -> ChunkReport:
    """One item of a kind working outside the transaction (see the module docstring):
    gather in the claiming transaction, produce with none open, write in a last one."""
    report = ChunkReport()
    _started(job)
    item.claimed_at = utcnow()
    try:
        gathered = kind.gather(job, item.key)
    except TRANSIENT:
        raise
    except Exception as exc:  # noqa: BLE001  (the item's data is broken: it fails now)
        item.attempts += 1
        item.claimed_at = None
        _failed(item, exc, report)
        _end_chunk(job, [item], report, began)
        db.session.commit()
        return report
    item_id, gathering = item.id, round(time.perf_counter() - began, 3)
    db.session.commit()  # the lease; nothing stays open while producing
    try:
        produced, error = kind.produce(gathered), None
    except Exception as exc:  # noqa: BLE001  (the work failed: the item fails with its reason)
        produced, error = None, exc
    tries = 1
    while True:
        try:
            return _write_outside(kind, item_id, token, produced, error, gathering)
        except TRANSIENT:
            db.session.rollback()
            if tries == WRITE_TRIES:
                _release(item_id, token)
                raise
            tries += 1
            time.sleep(random.uniform(0.05, 0.25) * tries)  # let the other writer commit


def _release(item_id: int, token: str) -> None:
    """Give up an item whose writing the database kept rolling back (lock waits with
    another worker writing at the same moment): its lease ends now, so that the next
    chunk does it again at once rather than after LEASE."""
    try:
        db.session.execute(update(JobItem).where(
            JobItem.id == item_id, JobItem.claim_token == token,
            JobItem.status == ItemStatus.PENDING.value).values(claimed_at=None)
            .execution_options(synchronize_session=False))
        db.session.commit()
    except TRANSIENT:
        db.session.rollback()  # the lease then ends by itself


def _write_outside(kind, item_id: int, token: str, produced, error, gathering: float) -> ChunkReport:
    """The last transaction of an item done outside: nothing when another worker took
    the item meanwhile (this one outlived its lease), else the item's write."""
    report, began = ChunkReport(), time.perf_counter()
    still_ours = db.session.execute(
        update(JobItem).where(JobItem.id == item_id, JobItem.claim_token == token,
                              JobItem.status == ItemStatus.PENDING.value)
        .values(claimed_at=None).execution_options(synchronize_session=False)).rowcount
    if not still_ours:
        db.session.rollback()
        return report
    item = db.session.get(JobItem, item_id, populate_existing=True)
    job = db.session.get(Job, item.job_id)
    if error is None:
        _run_item(kind, job, item, produced, report)
    else:
        item.attempts += 1
        _failed(item, error, report)
    _end_chunk(job, [item], report, began, gather_seconds=gathering)
    db.session.commit()
    return report


def _run_batch(kind, job: Job, items: list[JobItem], shared, report: ChunkReport) -> bool:
    """Do the items together in one savepoint; False (and nothing done) when one of them
    is broken, so that the caller does them one by one and only that one fails."""
    try:
        with db.session.begin_nested():
            kind.batch(job, [item.key for item in items], shared)
    except TRANSIENT:
        raise
    except Exception:  # noqa: BLE001  (some item's data is broken: found item by item)
        return False
    now = utcnow()
    for item in items:
        item.attempts += 1
        item.status, item.done_at, item.error = ItemStatus.DONE.value, now, None
    report.done += len(items)
    return True


def _run_item(kind, job: Job, item: JobItem, shared, report: ChunkReport) -> None:
    item.attempts += 1
    try:
        with db.session.begin_nested():
            kind.run(job, item.key, shared)
    except TRANSIENT:
        raise
    except Exception as exc:  # noqa: BLE001  (the item's data is broken: it fails, the rest go on)
        _failed(item, exc, report)
        return
    item.status, item.done_at, item.error = ItemStatus.DONE.value, utcnow(), None
    report.done += 1


def _failed(item: JobItem, exc: Exception, report: ChunkReport) -> None:
    item.status = ItemStatus.FAILED.value
    item.error = (str(exc) or type(exc).__name__)[:4000]
    report.failed += 1


def _refresh(job: Job, report: ChunkReport) -> None:
    """Count the job's items under a lock on its row, so that of two workers finishing
    its last chunks at once the second sees the first's work and ends the job."""
    db.session.flush()
    db.session.execute(select(Job.id).where(Job.id == job.id).with_for_update())
    counts = dict(db.session.execute(
        select(JobItem.status, func.count(JobItem.id)).where(JobItem.job_id == job.id)
        .group_by(JobItem.status)).all())
    job.done = counts.get(ItemStatus.DONE.value, 0)
    job.failed = counts.get(ItemStatus.FAILED.value, 0)
    job.total = sum(counts.values())  # grown by an EXPAND item
    if not counts.get(ItemStatus.PENDING.value):
        _finish(job)
        report.finished_jobs.append(job.id)


def _finish(job: Job) -> None:
    """Nothing left to do: DONE (and the waiting parent told) or FAILED until a retry."""
    job.finished_at = utcnow()
    if job.failed:
        job.status = JobStatus.FAILED.value
        return
    job.status = JobStatus.DONE.value
    db.session.flush()
    if job.parent_instance_id is not None and job.notify_message:
        engine.all_children_started(job.parent_instance_id, job.notify_message,
                                    actor=job.created_by_id)
