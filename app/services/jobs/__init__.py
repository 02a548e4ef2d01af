"""Background jobs: bulk steps (start every person's objective assignment, for example)
that a request records and a worker does, chunk by chunk, never inside the request.

The contract:

- A service registers a job kind with ``@job_kind("name", prepare=...)`` in a module of
  app.services whose name ends in ``_jobs`` (cycle/fanout_jobs.py); the worker imports
  those modules. The handler ``run(job, key, shared)`` does one item: ``key`` is the
  item's business key (a person's id), ``shared`` what ``prepare(job)`` gave once for
  the chunk (an org snapshot). It works in the worker's transaction and raises to say
  the item failed (its error is kept and shown; the other items go on). A kind may
  also give ``batch(job, keys, shared)``, doing a chunk's items together (starting
  fifty children with one write of each kind); when it raises, the chunk is done again
  item by item so that only the broken item fails. ``chunk`` sets the kind's items per
  transaction.
- ``queue.enqueue(kind, items, ...)`` records a job and its items in the caller's
  transaction; the request returns at once. The items are pairs, or worked out by the
  worker when that takes longer than a request should: ``expand_label`` records one
  first item (``queue.EXPAND``) whose doing adds the rest, listed by the kind's
  ``expand(job)`` as pairs or as a SELECT that the database copies into the job
  (the people of a fan-out, a monitoring round's evaluators). With ``parent`` and ``notify_message`` the
  job, once every item is done, sends that BPMN message to the parent instance through
  the engine's correlation (app.engine.all_children_started).
- ``queue.run_chunk(size)`` takes up to ``size`` (or the kind's chunk) pending items of one job and does them
  in ONE transaction, so a worker killed in the middle leaves them pending for the next
  run: nothing skipped, nothing done twice. Two workers never take the same items
  (FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the claiming UPDATE takes the single
  write lock). ``worker.work()`` runs chunks until the queue is empty.
- ``operations.retry_item`` puts a failed item back in the queue (SupportUnit or Admin,
  audited).
"""
