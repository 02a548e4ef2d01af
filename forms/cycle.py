"""The forms of the master process of a cycle (workflows/performance_cycle.bpmn). Their
step handlers and context loaders are in app.services.cycle.master_steps: every context
holds the `cycle` and the last `remark` (or None), and the checks that need the database
call the callables of the context, which run the same service functions the handlers
call, so a refused form changes nothing.

A step sent back shows the reason on the next task: `prepare` puts the last remark into
the description of the form's first field."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.formats.italian import number as money
from app.formats.italian import percent
from app.formats.values import display_value, format_value, parse_actual, parse_value
from forms.fields import ItalianDecimalField, options
from forms.generic import yes_no
from forms.registry import register


class CycleTaskForm(FlaskForm):
    remark = None

    def prepare(self, context: dict) -> None:
        self.context = context
        self.cycle = context["cycle"]
        last = context.get("remark")
        if last is not None:
            self.remark = last
            first = next(f for f in self if f.type != "CSRFTokenField")
            first.description = str(_l("%(label)s (%(who)s): %(text)s", label=_l("Last remark"),
                                       who=last.author.full_name if last.author else "-",
                                       text=last.text))


def _reason_required(form, field):
    if form.approved.data is False and not (field.data or "").strip():
        raise ValidationError(_l("Give the reason for sending it back."))


class DecisionForm(CycleTaskForm):
    """Approve, or send back with a reason."""

    approved = RadioField(_l("Decision"), coerce=yes_no, validators=[InputRequired()],
                          choices=options([(True, _l("Approve")), (False, _l("Send back"))]))
    reason = TextAreaField(_l("Reason"), validators=[Length(max=4000), _reason_required],
                           description=_l("Required when you send it back."))


class DeliberationForm(DecisionForm):
    """The Board's act: number, date, outcome and the deliberation as PDF."""

    number = StringField(_l("Deliberation number"), validators=[DataRequired(), Length(max=40)])
    date = DateField(_l("Deliberation date"), validators=[InputRequired()])
    attachment = FileField(_l("Deliberation (PDF)"),
                           validators=[FileAllowed(["pdf"], _l("Attach a PDF file."))])

    def validate_attachment(self, field):
        if self.approved.data and not field.data:
            raise ValidationError(_l("Attach the deliberation (PDF)."))


class ConfirmForm(CycleTaskForm):
    confirm = BooleanField(_l("Confirmed"), validators=[DataRequired()])


# --- the plan ----------------------------------------------------------------------------

@register("cycle_plan_submit")
class PlanSubmitForm(CycleTaskForm):
    title = _l("Submit the draft plan to the Secretary General")
    note = TextAreaField(_l("Note for the Secretary General"), validators=[Length(max=4000)])

    def validate_note(self, field):
        problems = self.context["plan_problems"]()
        if problems:
            raise ValidationError(" ".join(problems))


@register("cycle_sg_review")
class SgReviewForm(DecisionForm):
    title = _l("Review the draft plan")


@register("cycle_plan_deliberation")
class PlanDeliberationForm(DeliberationForm):
    title = _l("Record the Board's deliberation on the plan")


@register("cycle_launch_assignments")
class LaunchAssignmentsForm(ConfirmForm):
    title = _l("Start the assignment of individual objectives")


# --- monitoring and revision -------------------------------------------------------------

@register("cycle_launch_monitoring")
class LaunchMonitoringForm(ConfirmForm):
    title = _l("Start the monitoring round")


@register("cycle_monitoring_consolidation")
class MonitoringConsolidationForm(CycleTaskForm):
    title = _l("Consolidate the monitoring")
    revision_needed = RadioField(_l("Does the plan need a revision?"), coerce=yes_no,
                                 validators=[InputRequired()],
                                 choices=options([(True, _l("Yes")), (False, _l("No"))]))
    reason = TextAreaField(_l("Why the targets are no longer realistic"),
                           validators=[Length(max=4000)])

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        risky = context["at_risk"]
        self.revision_needed.description = str(_l(
            "Indicators at risk: %(codes)s", codes=", ".join(i.code for i in risky) or "-"))

    def validate_reason(self, field):
        if self.revision_needed.data and not (field.data or "").strip():
            raise ValidationError(_l("Say why the plan needs a revision."))


@register("cycle_oiv_monitoring_report")
class OivMonitoringReportForm(CycleTaskForm):
    title = _l("Write the OIV's monitoring report")
    text = TextAreaField(_l("Monitoring report"), validators=[DataRequired(), Length(max=20000)])


class IndicatorRowsForm(CycleTaskForm):
    """A task form with one row per indicator (`entries`, each with an `indicator_id`);
    prepare() fills `self.indicators` (id -> Indicator) from the context's indicators."""

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        self.indicators = {i.id: i for i in context["indicators"]}

    def _indicator(self, entry):
        raw = entry.form.indicator_id.data
        return self.indicators.get(int(raw)) if str(raw or "").isdigit() else None

    @property
    def rows(self):
        """(entry, indicator) pairs for the task page's table."""
        return [(entry, self._indicator(entry)) for entry in self.entries]


class TargetEntry(Form):
    indicator_id = HiddenField()
    target = StringField(_l("Target"))
    threshold = StringField(_l("Threshold"))


def _indicator_label(indicator) -> str:
    return f"{indicator.code} {indicator.name}"


@register("cycle_revision_proposal")
class RevisionProposalForm(IndicatorRowsForm):
    """New targets for the indicators at risk; anything else may be changed in the plan
    editor while the revision is open."""

    title = _l("Propose the revision of the plan")
    entries = FieldList(FormField(TargetEntry), label=_l("Targets of the indicators at risk"))

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        if not self.is_submitted():
            for indicator in self.indicators.values():
                self.entries.append_entry({
                    "indicator_id": str(indicator.id), "target": format_value(indicator.target),
                    "threshold": format_value(indicator.threshold)})
        for entry in self.entries:
            indicator = self._indicator(entry)
            if indicator is not None:
                entry.form.target.label.text = f"{_indicator_label(indicator)}: {_l('target')}"

    def _changes_a_target(self) -> bool:
        for entry in self.entries:
            indicator = self._indicator(entry)
            proposed = (parse_value(entry.form.target.data or "", indicator.unit),
                        parse_value(entry.form.threshold.data or "", indicator.unit))
            if proposed != (indicator.target, indicator.threshold):
                return True
        return False

    def validate_entries(self, field):
        for entry in field:
            indicator = self._indicator(entry)
            if indicator is None:
                raise ValidationError(_l("Unknown indicator."))
            try:
                target = parse_value(entry.form.target.data or "", indicator.unit)
                parse_value(entry.form.threshold.data or "", indicator.unit)
            except ValueError as exc:
                raise ValidationError(f"{indicator.code}: {exc}") from exc
            if target is None:
                raise ValidationError(_l("%(code)s: the target is required.", code=indicator.code))
        if not self._changes_a_target() and not self.context["pending_changes"]():
            raise ValidationError(_l("The revision changes nothing: change a target or an indicator."))


@register("cycle_revision_opinion")
class RevisionOpinionForm(CycleTaskForm):
    title = _l("Give the OIV's opinion on the revision")
    reference = StringField(_l("Reference of the opinion"), validators=[DataRequired(), Length(max=100)])
    date = DateField(_l("Date of the opinion"), validators=[InputRequired()])
    positive = RadioField(_l("Opinion"), coerce=yes_no, validators=[InputRequired()],
                          choices=options([(True, _l("Positive")), (False, _l("Negative"))]))
    reason = TextAreaField(_l("Reasons"), validators=[Length(max=4000)],
                           description=_l("Required for a negative opinion."))

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        changes = context["pending_changes"]()
        self.reference.description = str(_l("Changes proposed: %(n)d", n=len(changes)))

    def validate_reason(self, field):
        if self.positive.data is False and not (field.data or "").strip():
            raise ValidationError(_l("Give the reasons for the negative opinion."))


@register("cycle_revision_deliberation")
class RevisionDeliberationForm(DeliberationForm):
    title = _l("Record the Board's deliberation on the revision")


# --- year-end measurement ----------------------------------------------------------------

@register("cycle_launch_measurement")
class LaunchMeasurementForm(ConfirmForm):
    title = _l("Open the year-end measurement")


class ActualEntry(Form):
    indicator_id = HiddenField()
    value = StringField(_l("Actual"))
    neutralise_reason = StringField(_l("Not measurable: reason"))


@register("cycle_area_actuals")
class AreaActualsForm(IndicatorRowsForm):
    """Every indicator of the area: the year-end value, or the reason it cannot be
    measured (the indicator is then neutralised)."""

    title = _l("Enter the year-end actuals of the area")
    entries = FieldList(FormField(ActualEntry), label=_l("Indicators"))

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        self.area = context["area"]
        if not self.is_submitted():
            for indicator in self.indicators.values():
                self.entries.append_entry({
                    "indicator_id": str(indicator.id), "value": format_value(indicator.actual),
                    "neutralise_reason": indicator.neutralised_reason or ""})
        for entry in self.entries:
            indicator = self._indicator(entry)
            if indicator is not None:
                entry.form.value.label.text = (
                    f"{_indicator_label(indicator)} ({indicator.direction} "
                    f"{display_value(indicator.target, indicator.unit)})")

    def validate_entries(self, field):
        errors, seen = [], set()
        for entry in field:
            indicator = self._indicator(entry)
            if indicator is None:
                raise ValidationError(_l("Unknown indicator."))
            seen.add(indicator.id)
            reason = (entry.form.neutralise_reason.data or "").strip()
            if reason:
                continue
            try:
                value = parse_actual(entry.form.value.data or "", indicator.unit)
            except ValueError as exc:
                errors.append(f"{indicator.code}: {exc}")
                continue
            if value is None:
                errors.append(str(_l("%(code)s: give the value or the reason for neutralising it.",
                                     code=indicator.code)))
        if seen != set(self.indicators):
            errors.append(str(_l("Give a value, or a reason for neutralising, for every indicator of the area.")))
        if errors:
            raise ValidationError(" ".join(errors))


@register("cycle_measurement_check")
class MeasurementCheckForm(ConfirmForm):
    title = _l("Check the year-end measurement is complete")

    def validate_confirm(self, field):
        missing = self.context["unmeasured"]()
        if missing:
            raise ValidationError(_l("Indicators neither measured nor neutralised: %(codes)s.",
                                     codes=", ".join(i.code for i in missing)))


# --- OIV and Board on the organisation and the Secretary General ---------------------------

@register("cycle_oiv_evaluation")
class OivEvaluationForm(CycleTaskForm):
    title = _l("Evaluate the organisation and propose the Secretary General's evaluation")
    assessment = TextAreaField(_l("Evaluation of the organisation's performance"),
                               validators=[DataRequired(), Length(max=20000)])
    sg_score = ItalianDecimalField(_l("Proposed score of the Secretary General (0-6)"))
    sg_proposal = TextAreaField(_l("Reasons of the proposal"),
                                validators=[DataRequired(), Length(max=20000)])

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        result = context["achievements"]
        figures = [f"{_l('Organisation')!s} {percent(result.organisation)}"] + [
            f"{unit.code} {percent(value)}" for unit, value in result.unit_areas]
        remark = self.assessment.description
        self.assessment.description = " · ".join(figures) + (f" — {remark}" if remark else "")

    def validate_sg_score(self, field):
        if field.data is None or not Decimal(0) <= field.data <= Decimal(6):
            raise ValidationError(_l("The proposed score goes from 0 to 6."))


@register("cycle_oiv_evaluation_note")
class OivEvaluationNoteForm(DeliberationForm):
    title = _l("Take note of the OIV's evaluation")

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        evaluation = context["oiv_evaluation"]
        if evaluation is not None:
            self.number.description = str(_l(
                "OIV proposal for the Secretary General: %(score)s. %(text)s",
                score=format_value(evaluation.sg_proposed_score), text=evaluation.sg_proposal))


@register("cycle_launch_evaluations")
class LaunchEvaluationsForm(ConfirmForm):
    title = _l("Start the individual evaluations")


# --- the Report --------------------------------------------------------------------------

@register("cycle_report_draft")
class ReportDraftForm(CycleTaskForm):
    title = _l("Draft the Report")
    note = TextAreaField(_l("Note on this version"), validators=[Length(max=4000)])


@register("cycle_report_approval")
class ReportApprovalForm(DeliberationForm):
    title = _l("Record the Board's approval of the Report")


@register("cycle_report_validation")
class ReportValidationForm(CycleTaskForm):
    title = _l("Validate the Report")
    validated = RadioField(_l("Decision"), coerce=yes_no, validators=[InputRequired()],
                           choices=options([(True, _l("Validate")), (False, _l("Refuse"))]))
    statement = TextAreaField(_l("Signed statement (or reasons for refusing)"),
                              validators=[DataRequired(), Length(max=20000)])
    signed = BooleanField(_l("I sign this statement on behalf of the OIV"),
                          validators=[DataRequired()])


# --- rewards and publication -------------------------------------------------------------

def _money(form, field):
    if field.data is None or field.data < 0 or field.data != field.data.quantize(Decimal("0.01")):
        raise ValidationError(_l("The fund must be an amount in euro with at most two decimals."))


@register("cycle_fund_entry")
class FundEntryForm(CycleTaskForm):
    """Before the Report is drafted: the Report states the fund of each pool."""

    title = _l("Enter the reward fund")
    staff_fund = ItalianDecimalField(_l("Fund for the staff (EUR)"), validators=[_money])
    managers_fund = ItalianDecimalField(_l("Fund for the managers (EUR)"), validators=[_money])

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        if not self.is_submitted():
            funds = context["funds"]
            self.staff_fund.data = funds.get("staff")
            self.managers_fund.data = funds.get("managers")


@register("cycle_rewards_compute")
class RewardsComputeForm(ConfirmForm):
    title = _l("Compute the rewards")


@register("cycle_rewards_approval")
class RewardsApprovalForm(DecisionForm):
    title = _l("Approve the distribution of the rewards")

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        fund = context["fund"]
        self.approved.description = str(_l(
            "Fund %(total)s EUR, distributed %(distributed)s EUR, remainder %(remainder)s EUR",
            total=money(fund.amount), distributed=money(fund.distributed),
            remainder=money(fund.remainder)))


@register("cycle_fund_confirmation")
class FundConfirmationForm(DeliberationForm):
    title = _l("Confirm the fund")


@register("cycle_publish")
class PublishForm(ConfirmForm):
    title = _l("Publish the aggregated data and close the cycle")

