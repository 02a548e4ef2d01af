"""Business operations, one package per domain. Each public function is one action named
after what a person does: it checks the actor's permission, changes state in the caller's
transaction (views and CLI commands commit) and writes the audit trail (app.audit).

Packages (each __init__ says what it owns and its public face):
  account/     sign-in, the signed-in person's preferences
  org/         people, roles, units, the evaluation chain, the permission layer, imports
  plan/        the plan of a cycle, its evaluation system (SMVP), values, scores, imports
               and exports, individual objectives
  cycle/       the performance cycle's master process and its children: operations and
               the step handlers of their task forms (*_steps.py)
  evaluation/  individual evaluations and the reward distribution
  reports/     read-only figures, the Report PDF, Excel workbooks, charts
  tasks/       the inbox, completing and handing over tasks, the step-handler registry
  designer/    the workflow designer: drafts, deploys, migrations, BPMN diffs

A new domain (a section of the integrated plan, for example) is a new package in the same
shape: an __init__ docstring, `operations.py` with the actions, `*_steps.py` for the step
handlers and context loaders of its task forms (found by app.services.tasks.steps),
read-only queries apart.
"""
