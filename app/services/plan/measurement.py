"""Values recorded against the adopted plan: the monitoring (value so far, forecast,
risk), the year-end actual, and the neutralisation of an indicator that cannot be
measured (and its reinstatement).

Every operation checks who acts, refuses bad input with PlanError (messages for the
UI, nothing written), and writes one audit event in the caller's transaction."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import audit
from app.extensions import db
from app.formats.values import value_matches_unit
from app.models.org import User
from app.models.plan import CycleStatus, Indicator, IndicatorValue, encode_value
from app.services.plan.access import ensure_can_measure
from app.services.plan.errors import PlanError
from app.services.plan.fields import field_state, wrong_kind_message


def _ensure_measurable(actor: User, indicator: Indicator) -> None:
    ensure_can_measure(actor, indicator)
    if indicator.computed:
        raise PlanError(_l("%(code)s is the mean of the operational objectives: its value is "
                           "computed, not entered.", code=indicator.code))
    plan = indicator.objective.plan
    if not plan.ever_approved:
        raise PlanError(_l("The plan is not approved yet: values are recorded on the adopted plan."))
    if plan.cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed."))


def _check_value(indicator: Indicator, field: str, value) -> None:
    if value is not None and not value_matches_unit(value, indicator.unit):
        raise PlanError(wrong_kind_message(indicator.code, field, indicator.unit))


MONITORING_FIELDS = ("monitoring_value", "monitoring_forecast", "at_risk", "monitoring_note")


def record_monitoring(actor: User, indicator: Indicator, value: IndicatorValue | None,
                      forecast: IndicatorValue | None = None, at_risk: bool = False,
                      note: str | None = None) -> None:
    """The July monitoring: the value so far, the forecast for year-end, a risk flag."""
    _ensure_measurable(actor, indicator)
    _check_value(indicator, "monitoring_value", value)
    _check_value(indicator, "monitoring_forecast", forecast)
    if at_risk and not (note or "").strip():
        raise PlanError(_l("%(what)s: say why the indicator is at risk.", what=indicator.code))
    before = field_state(indicator, MONITORING_FIELDS)
    indicator.monitoring_value, indicator.monitoring_forecast = value, forecast
    indicator.at_risk, indicator.monitoring_note = bool(at_risk), (note or "").strip() or None
    db.session.flush()
    audit.record("plan.indicator.monitoring", actor=actor, obj=indicator, before=before,
                 after=field_state(indicator, MONITORING_FIELDS))


def record_actual(actor: User, indicator: Indicator, value: IndicatorValue | None) -> None:
    """The year-end value (None clears it)."""
    _ensure_measurable(actor, indicator)
    _check_value(indicator, "actual", value)
    if value is not None and indicator.neutralised:
        raise PlanError(_l("%(what)s is neutralised: reinstate it before recording a value.",
                           what=indicator.code))
    before = {"actual": encode_value(indicator.actual)}
    indicator.actual = value
    db.session.flush()
    audit.record("plan.indicator.actual", actor=actor, obj=indicator, before=before,
                 after={"actual": encode_value(value)})


def neutralise(actor: User, indicator: Indicator, reason: str) -> None:
    """An indicator that cannot be measured: excluded from the score, its weight spread
    over the others of the objective. The written reason is mandatory."""
    _ensure_measurable(actor, indicator)
    if not (reason or "").strip():
        raise PlanError(_l("%(what)s: neutralising needs a written reason.", what=indicator.code))
    before = field_state(indicator, ("neutralised", "neutralised_reason", "actual"))
    indicator.neutralised, indicator.neutralised_reason = True, reason.strip()
    indicator.actual = None
    db.session.flush()
    audit.record("plan.indicator.neutralise", actor=actor, obj=indicator, before=before,
                 after=field_state(indicator, ("neutralised", "neutralised_reason", "actual")))


def reinstate(actor: User, indicator: Indicator) -> None:
    _ensure_measurable(actor, indicator)
    if not indicator.neutralised:
        raise PlanError(_l("%(what)s is not neutralised.", what=indicator.code))
    before = field_state(indicator, ("neutralised", "neutralised_reason"))
    indicator.neutralised, indicator.neutralised_reason = False, None
    db.session.flush()
    audit.record("plan.indicator.reinstate", actor=actor, obj=indicator, before=before,
                 after=field_state(indicator, ("neutralised", "neutralised_reason")))
