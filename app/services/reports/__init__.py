"""What a cycle shows: read-only figures and the documents made from them.

Public face:
  figures  cycles, distributions, the fund, open tasks, the published aggregates
  standing where each person stands and who is late, counted by the database, one page
           of people (or of an evaluator's evaluations) at a time
  pdf      the Report (Relazione sulla performance) rendered by WeasyPrint
  piao     the integrated plan (PIAO) of a cycle: its sections in the template's order
  accessible_pdf  every PDF written as PDF/UA-1, the Report also as PDF/A-3a
  achievement_explanations  'how it is computed' for the organisation's achievement
  excel    workbooks of the plan, the evaluations and the payouts
  charts   SVG charts, each with the data table that goes beside it
"""
