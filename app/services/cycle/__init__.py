"""The performance cycle as BPMN (workflows/): the master process of a cycle and the
child processes it starts and waits for.

Public face:
  operations  start a cycle, the plan's review and adoption, monitoring, revision,
              year-end measurement, the OIV's evaluation, the Report and its validation
  children    start one objective_assignment / monitoring / individual_evaluation
              instance per person or area, and tell the master when the last one ends
  master_steps, assignment_steps, monitoring_steps, evaluation_steps
              step handlers (@step: from a task form's validated data to the operations
              above) and context loaders (@context: what each task form shows)
"""
