"""The corruption-risk section of the integrated plan (PIAO.md, "Corruption risk and
transparency"), run by the RPCT with the managers and the Board.

Owns the process map (app.models.risk) and the yearly register (app.models.risk_register):
  access.py        who reads and who edits the register
  years.py         a year's section: opening it on the cycle, its scales and bands
  register.py      risk items, their level and band, the heat map and the register by level
  register_io.py   the register in and out as CSV/XLSX (Italian formats, all or nothing)
  measures.py      prevention measures, their risk items and the objectives tagged "A"
  monitoring.py    the managers' reports on the measures (mid-year and year end)
  checks.py        the RPCT's checks table and each period's outcome
  cycle.py         the yearly process (workflows/risk_cycle.bpmn): start, adoption,
                   monitoring rounds, the RPCT's yearly report
  risk_steps.py    the step handlers and context loaders of its task forms
  risk_jobs.py     the background jobs starting one report per manager

Every operation checks the actor, acts in the caller's transaction and writes the audit
trail; refusals are RiskError (a ValueError whose messages are for the user)."""
