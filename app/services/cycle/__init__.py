"""The performance cycle as BPMN (workflows/): the master process of a cycle and the
child processes it starts and waits for.

Public face:
  operations     start a cycle (calendar, plan copied, master instance), the remarks
                 that send a step back, CycleError
  plan_adoption  the plan's submission, review and adoption, and its revision
  deliberations  the Board's acts, with the attached deliberation
  measurement    monitoring, year-end measurement, the OIV's evaluation of the
                 organisation
  report         the fund, the Report's versions, the Board's approval, the OIV's
                 validation (report_jobs: drawing the Report and attaching the
                 validation in the background)
  closing        after the validation: the rewards, the fund confirmed, the publication
  children       start one objective_assignment / monitoring / individual_check /
                 individual_evaluation instance per person, area or evaluator, and tell
                 the master when the last one ends
  rounds         the monitoring rounds: the calendar's (opened in turn by the master)
                 and the extra ones (opened by the support unit or the OIV), their results
  checks         the mid-year check of individual objectives in a round
  master_steps, assignment_steps, monitoring_steps, evaluation_steps
                 step handlers (@step: from a task form's validated data to the
                 operations above) and context loaders (@context: what each task form
                 shows)
"""
