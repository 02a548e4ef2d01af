"""The plan of a cycle and the rules it is scored by.

Public face:
  cycles      the cycles and their plans: create_cycle, cycle_by_year, ensure_plan,
              set_calendar, ensure_editable (structure changes only in a draft or revision)
  operations  the objective tree and indicators while editable: areas, objectives,
              indicators saved and deleted
  fields      AreaData, ObjectiveData, IndicatorData and the checks each passes alone
              (shared by the editor and the importer)
  adoption    what stops approval, the Board's approval, revisions with the OIV's opinion
  measurement values against the adopted plan: monitoring, actuals, neutralisation
  system      the cycle's evaluation system (SMVP): versions, defaults, validation
  scores      achievements of indicators, objectives, areas and the organisation
  access      who may see and change which part of the plan
  revisions   snapshots of the plan and the differences between them
  individual  individual objectives of each person, set as a whole
  individual_import  their import for everyone from a file, checked whole, written by people
  imports, export   the plan as CSV/XLSX, both ways
  errors      PlanError, the one refusal of the plan services
"""
