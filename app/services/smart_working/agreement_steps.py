"""Step handlers and form contexts of the `smart_working_agreement` workflow. Each
handler finds the agreement through the task data's `agreement_id` (the business key
`smart_working:<id>` says the same), calls the operation and returns what the
diagram's gateways and timer read: `authorised`, `approved`, and for the monthly loop
when the next month's report opens and is due, and `more_reports`."""
from __future__ import annotations

from datetime import date, timedelta

from werkzeug.exceptions import NotFound

from app.models.smart_working import SmartWorkingAgreement
from app.scoring import smart_working as rules
from app.services.smart_working import operations as agreements
from app.services.smart_working import policy as policies
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step


def agreement_of(task) -> SmartWorkingAgreement:
    prefix, _sep, ident = task.instance.business_key.partition(":")
    agreement = agreements.get(int(ident)) if prefix == "smart_working" else None
    if agreement is None:
        raise NotFound()
    return agreement


def month_to_report(agreement: SmartWorkingAgreement) -> date:
    """The monthly tasks come in order, so the month to report is the agreement's first
    month without a report."""
    reported = {r.month for r in agreement.reports}
    month = rules.month_start(agreement.starts_on)
    while month in reported:
        month = rules.next_month(month)
    return month


@context("smart_working_authorisation", "smart_working_exception",
         "smart_working_acknowledgement")
def agreement_context(task) -> dict:
    agreement = agreement_of(task)
    policy = policies.policy_of(agreement.unit.administration_id if agreement.unit else None)
    limits = policies.limits_of(policy)
    return {"agreement": agreement, "limits": limits,
            "periods": rules.usage_by_period(agreement.weekly_pattern, agreement.starts_on,
                                             agreement.ends_on, limits)}


@step("smart_working_authorisation")
def authorise(actor, task, form_data: dict) -> dict:
    agreement, authorised = agreement_of(task), form_data["decision"] == "yes"
    with refused():
        agreements.decide(actor, agreement, authorised, form_data.get("note") or "")
    return {"authorised": authorised, "sign_due": agreements.sign_due()}


@step("smart_working_exception")
def decide_exception(actor, task, form_data: dict) -> dict:
    agreement, approved = agreement_of(task), form_data["decision"] == "yes"
    with refused():
        agreements.decide_exception(actor, agreement, approved, form_data.get("note") or "")
    return {"approved": approved, "sign_due": agreements.sign_due()}


@step("smart_working_acknowledgement")
def sign(actor, task, form_data: dict) -> dict:
    agreement = agreement_of(task)
    with refused():
        agreements.acknowledge(actor, agreement)
    return agreements.report_schedule(agreement, rules.month_start(agreement.starts_on))


@context("smart_working_report")
def report_context(task) -> dict:
    agreement = agreement_of(task)
    month = month_to_report(agreement)
    last = rules.next_month(month) - timedelta(days=1)
    return {"agreement": agreement, "month": month,
            "planned": agreements.planned_usage(agreement, month, last)}


@step("smart_working_report")
def report(actor, task, form_data: dict) -> dict:
    agreement = agreement_of(task)
    month = month_to_report(agreement)
    with refused():
        agreements.record_report(actor, agreement, month, int(form_data["days"]),
                                 int(form_data["half_days"]), form_data["activities"],
                                 form_data.get("problems") or "")
    following = rules.next_month(month)
    return {**agreements.report_schedule(agreement, following),
            "more_reports": following <= agreement.ends_on}
