"""What a cycle shows: read-only figures and the documents made from them.

Public face:
  figures  where each person stands, who is late, distributions, the published aggregates
  pdf      the Report (Relazione sulla performance) rendered by WeasyPrint
  excel    workbooks of the plan, the evaluations and the payouts
  charts   SVG charts, each with the data table that goes beside it
"""
