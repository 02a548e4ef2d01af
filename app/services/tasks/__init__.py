"""Human tasks, whatever process they belong to.

Public face:
  operations  complete, claim, unclaim, reassign, delegate (authorization lives here)
  inbox       read-only queries behind the inbox pages (human_task table only)
  steps       the registry of step handlers by form key (@step) that complete() calls
  step_errors refused(): a domain refusal inside a step handler as a TaskError
"""
