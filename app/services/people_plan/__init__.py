"""The people sections of the integrated plan (PIAO.md "Staffing and training", "Equal
opportunities"): the staffing plan with its hiring budget, the training plan with its
mandatory refreshers, the positive actions plan. The support unit (the HR office)
drafts each plan of a cycle; the Board adopts it by deliberation, the positive actions
plan after the equality committee's (CUG) opinion, which the support unit records.

Modules:
  rules.py            pure arithmetic: unit cost, gap, budget pools, hires within pools
  common.py           access, the refusal type, the optimistic lock of the edit forms
  staffing.py         the staffing plan's operations and its tables
  staffing_reports.py the staffing tables as tagged PDF and as XLSX
  adoption.py         the adoption workflow (workflows/people_plan_adoption.bpmn)
  adoption_steps.py   its step handlers and form contexts
  training.py         the training plan: entries, attendance, due dates, figures per unit
  training_rules.py   pure: when a person is due for a mandatory training
  training_jobs.py    the background job that starts each due date's reminder task
  training_steps.py   the reminder task's step handler (workflows/training_due.bpmn)
  equality.py         the positive actions plan, the committee's opinion, the actions'
                      states in the monitoring rounds
Public figures for other sections: training.trained_per_sector(cycle, topic) (e.g. the
anti-corruption indicator "at least one person per sector trained"),
training.figures_by_unit(plan), staffing.table(plan) and staffing.pools(plan).
Every operation checks the actor, acts in the caller's transaction and writes the audit
trail; views and the demo commit."""
