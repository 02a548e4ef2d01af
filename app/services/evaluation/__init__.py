"""Individual evaluations and rewards.

Public face:
  operations  the objective sheet and its acknowledgement, self-assessment, ratings with
              score and band (app.scoring), acknowledgement or review, second-level review
  rewards     the reward pools of a cycle and their distribution to the cent
  explanations  'how it is computed' for a person's score, band and bonus (app.scoring.explain)
  sheets      a person's objective sheet and evaluation sheet as PDF/UA documents
"""
