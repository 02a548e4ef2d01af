"""Smart working (lavoro agile, PIAO.md "Smart working"): who may work remotely, the
individual agreements and what they are used for.

- policy.py: the administration's limits (days and half-days per period, the period),
  the monthly report's due day, the remotability rule and threshold; the defaults of
  PIAO.md until someone changes them
- remotability.py: the process map's sub-processes scored on four conditions, who works
  on each, and who is therefore eligible
- operations.py: what people do: request an agreement (or its renewal), the head of the
  unit's decision, the Secretary General's exception beyond the limits, the employee's
  signature, the monthly report, withdrawal; who may see an agreement
- agreement_steps.py: the step handlers and form contexts of the
  `smart_working_agreement` workflow (workflows/smart_working_agreement.bpmn), whose
  monthly loop waits for the end of each month of the agreement (fired by
  `flask engine tick`) and asks for that month's report
- document.py: the agreement as a tagged PDF (PDF/UA)

The rules that produce numbers (remote days per period, the limits) are pure, in
app.scoring.smart_working. Every operation runs in the caller's transaction and writes
the audit trail."""
