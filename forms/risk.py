"""The task forms of the corruption-risk section (workflows/risk_cycle.bpmn and its
children). Their context loaders and step handlers are in app.services.risk.risk_steps:
every context holds the `cycle`, the risk `year` and the last `remark` (or None)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from forms.cycle import ConfirmForm, CycleTaskForm, DecisionForm, DeliberationForm
from forms.fields import optional_int, options
from forms.registry import register

APPLICATIONS = (("applied", _l("applied")), ("partly", _l("partly applied")),
                ("not_applied", _l("not applied")))


@register("risk_register_submit")
class RegisterSubmitForm(CycleTaskForm):
    title = _l("Submit the risk register and the measures to the Board")
    note = TextAreaField(_l("Note for the Board"), validators=[Length(max=4000)])

    def validate_note(self, field):
        problems = self.context["register_problems"]()
        if problems:
            raise ValidationError(" ".join(problems))


@register("risk_adoption")
class AdoptionForm(DeliberationForm):
    title = _l("Record the Board's deliberation on the corruption-risk section")


@register("risk_launch_mid_year")
class LaunchMidYearForm(ConfirmForm):
    title = _l("Start the managers' mid-year reports")


@register("risk_launch_year_end")
class LaunchYearEndForm(ConfirmForm):
    title = _l("Start the managers' year-end reports")


class ReviewForm(CycleTaskForm):
    note = TextAreaField(_l("Note on the reports"), validators=[Length(max=4000)])


@register("risk_review_mid_year")
class ReviewMidYearForm(ReviewForm):
    title = _l("Review the managers' mid-year reports")


@register("risk_review_year_end")
class ReviewYearEndForm(ReviewForm):
    title = _l("Review the managers' year-end reports")


class MeasureRow(Form):
    measure_id = HiddenField(filters=[optional_int])
    application = SelectField(_l("Applied?"), choices=options(APPLICATIONS),
                              validators=[InputRequired()])
    evidence = TextAreaField(_l("Evidence"), validators=[Length(max=4000)])
    proposal = TextAreaField(_l("Proposed change to the register"),
                             validators=[Length(max=4000)])


@register("risk_manager_report")
class ManagerReportForm(CycleTaskForm):
    """One row per measure of the area: applied, partly or not, with the evidence (needed
    when not fully applied) and any change to propose to the register."""

    title = _l("Report to the RPCT on the measures of your area")
    rows = FieldList(FormField(MeasureRow), label=_l("Prevention measures"))

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        measures = context["measures"]
        if not self.is_submitted():
            previous = context["previous"]
            for measure in measures:
                last = previous.get(measure.id)
                self.rows.append_entry({
                    "measure_id": measure.id,
                    "application": last.application if last else "applied",
                    "evidence": (last.evidence or "") if last else "",
                    "proposal": (last.proposal or "") if last else ""})
        by_id = {m.id: m for m in measures}
        self.context = {**context, "rows": [(e, by_id.get(e.form.measure_id.data))
                                            for e in self.rows.entries]}

    def validate_rows(self, field):
        """Plain strings, so that the page tells them from the rows' own errors."""
        wanted = {m.id for m in self.context["measures"]}
        if {e.form.measure_id.data for e in field.entries} != wanted:
            raise ValidationError(str(_l("Report on every measure of the area, and only on "
                                         "those.")))
        for entry, measure in self.context["rows"]:
            row = entry.form
            if row.application.data != "applied" and not (row.evidence.data or "").strip():
                raise ValidationError(str(_l(
                    "Explain why the measure %(code)s was not fully applied.", code=measure.code)))


@register("risk_periodic_check")
class PeriodicCheckForm(CycleTaskForm):
    title = _l("Record the periodic check")
    cases_checked = IntegerField(_l("Cases checked"), validators=[InputRequired(),
                                                                  NumberRange(min=0)])
    irregular_cases = IntegerField(_l("Irregular cases"), validators=[InputRequired(),
                                                                      NumberRange(min=0)])
    note = TextAreaField(_l("What the check found"), validators=[Length(max=4000)])

    def prepare(self, context: dict) -> None:
        """The check and its period, said on the first field."""
        super().prepare(context)
        check, due = context["check"], context["due"]
        self.cases_checked.description = str(_l(
            "%(process)s, measure %(measure)s, %(method)s: the period ending on %(due)s.",
            process=check.process_name, measure=check.measure_code, method=context["method"],
            due=due.strftime("%d/%m/%Y") if due else "-"))

    def validate_irregular_cases(self, field):
        if (field.data or 0) > (self.cases_checked.data or 0):
            raise ValidationError(_l("The irregular cases are between none and the cases checked."))

    def validate_note(self, field):
        if (self.irregular_cases.data or 0) and not (field.data or "").strip():
            raise ValidationError(_l("Describe the irregularities found."))


@register("risk_report_draft")
class ReportDraftForm(CycleTaskForm):
    title = _l("Write the RPCT's yearly report")
    summary = TextAreaField(_l("Summary of the year"), validators=[DataRequired(),
                                                                   Length(max=20000)])


@register("risk_report_publish")
class ReportPublishForm(DecisionForm):
    title = _l("Approve and publish the RPCT's yearly report")
