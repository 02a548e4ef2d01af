"""The plan of a cycle and the rules it is scored by.

Public face:
  operations  the objective tree and indicators (draft and revisions), approval, values
              (actuals, monitoring) and their checks
  system      the cycle's evaluation system (SMVP): versions, defaults, validation
  scores      achievements of indicators, objectives, areas and the organisation
  access      who may see and change which part of the plan
  revisions   snapshots of the plan and the differences between them
  individual  individual objectives of each person, set as a whole
  individual_import  their import for everyone from a file, checked whole, written by people
  imports, export   the plan as CSV/XLSX, both ways
  errors      PlanError, the one refusal of the plan services
"""
