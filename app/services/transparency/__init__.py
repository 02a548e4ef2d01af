"""Transparency (PIAO.md, "Corruption risk and transparency"): the grid of publication
obligations of the "Amministrazione trasparente" section and the OIV's yearly
attestation on the obligations it selects.

  grid.py                the grid (a default one shipped, edited by the administration),
                         when each obligation's update falls due, what is late
  updates.py             the owners' update tasks (workflows/transparency_update.bpmn),
                         opened by `flask transparency due` when an update falls due
  attestation.py         the attestation (workflows/oiv_attestation.bpmn): opened by the
                         support unit, filled and signed off by the OIV, published
  attestation_files.py   its PDF (tagged) and its grid as XLSX (an open format)
  transparency_steps.py  the step handlers and context loaders of its task forms

Refusals are app.services.risk.errors.RiskError, as in the rest of the section."""
