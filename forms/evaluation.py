"""The individual evaluation: the person's optional self-assessment, the evaluator's
ratings (what 0-6, how A/B/C per objective) with the score shown live, the person's
acknowledgement or request for review, and the second-level review."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from forms.fields import optional_int, options
from forms.registry import register

WHAT_CHOICES = options([("", "—")] + [(str(n), str(n)) for n in range(7)])
HOW_CHOICES = options([("", "—"), ("A", "A"), ("B", "B"), ("C", "C")])


class RatingRow(Form):
    objective_id = HiddenField(filters=[optional_int])
    what = SelectField(_l("What (0-6)"), choices=WHAT_CHOICES)
    how = SelectField(_l("How (A/B/C)"), choices=HOW_CHOICES)
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])


class _EvaluationContext:
    """prepare(context): the cycle, the person, their evaluation and objectives, and the
    review window, loaded by app.services.cycle.evaluation_steps (with score(rows), the
    live score, for the forms with rating rows)."""

    def prepare(self, context: dict) -> None:
        self.context = context
        self.evaluation, self.objectives = context["evaluation"], context["objectives"]


class _RatingRows(_EvaluationContext):
    """Rows of ratings, one per objective of the person, prefilled from a stage."""

    def fill_rows(self, stage: str | None, draft: dict | None = None) -> None:
        """Rows from the ratings of the stage, or from the saved draft's rows (the
        context's `draft`: the form data saved without completing the task)."""
        if self.is_submitted():
            return
        given = {}
        if stage is not None and self.evaluation is not None:
            given = {r.individual_objective_id: {"what": str(r.what), "how": r.how,
                                                 "comment": r.comment or ""}
                     for r in self.evaluation.ratings if r.stage == stage}
        if draft:
            given = {row.get("objective_id"): row for row in draft.get("rows", [])}
        while self.rows.entries:
            self.rows.pop_entry()
        for objective in self.objectives:
            rating = given.get(objective.id) or {}
            self.rows.append_entry({
                "objective_id": objective.id, "what": rating.get("what") or "",
                "how": rating.get("how") or "", "comment": rating.get("comment") or ""})

    def score(self):
        """(score, band, values) of the rows, or ValueError with a message: the
        context's score(rows), computed by the service."""
        return self.context["score"](self.rows.data)

    def check_ratings(self) -> bool:
        try:
            self.preview = self.score()
        except ValueError as exc:
            self.form_errors.append(str(exc))
            return False
        return True

    def row_pairs(self):
        by_id = {o.id: o for o in self.objectives}
        return [(entry, by_id.get(entry.form.objective_id.data)) for entry in self.rows.entries]


@register("evaluation_self_assessment")
class SelfAssessmentForm(FlaskForm, _EvaluationContext):
    title = _l("Self-assessment")

    self_assessment = TextAreaField(
        _l("Your self-assessment"), validators=[Length(max=8000)],
        description=_l("Optional: leave it empty if you do not wish to write one."))


@register("evaluation_rating")
class RatingForm(FlaskForm, _RatingRows):
    """The evaluator's ratings; or, for someone whose service was too short, "not
    evaluable" with the reason."""

    title = _l("Rate the objectives")

    rows = FieldList(FormField(RatingRow), label=_l("Objectives"))
    comment = TextAreaField(_l("Overall comment"), validators=[Length(max=8000)])
    not_evaluable = BooleanField(_l("The person cannot be evaluated this year"))
    not_evaluable_reason = TextAreaField(_l("Why the person cannot be evaluated"),
                                         validators=[Length(max=500)])

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        draft = context.get("draft")
        self.fill_rows("evaluation", draft)
        if draft and not self.is_submitted():
            self.comment.data = draft.get("comment") or ""
        self.preview = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.not_evaluable.data:
            if not (self.not_evaluable_reason.data or "").strip():
                self.not_evaluable_reason.errors.append(
                    _l("Give the reason why the person cannot be evaluated."))
                return False
            return valid
        return valid and self.check_ratings()


ANSWERS = options([("acknowledge", _l("I acknowledge my evaluation")),
                   ("review", _l("I ask for a review"))])


@register("evaluation_acknowledgement")
class EvaluationAcknowledgementForm(FlaskForm, _EvaluationContext):
    title = _l("Your evaluation")

    decision = RadioField(_l("Your answer"), choices=ANSWERS, validators=[InputRequired()])
    reason = TextAreaField(_l("Reason for the review"), validators=[Length(max=4000)],
                           description=_l("Required when you ask for a review."))

    def validate_reason(self, field) -> None:
        if self.decision.data == "review" and not (field.data or "").strip():
            raise ValidationError(_l("Say why you ask for a review."))


OUTCOMES = options([("confirm", _l("Confirm the evaluation")),
                    ("amend", _l("Amend the ratings"))])


@register("evaluation_review")
class ReviewForm(FlaskForm, _RatingRows):
    """The second-level evaluator confirms the evaluation or amends the ratings; the
    reasons are required either way."""

    title = _l("Review the evaluation")

    outcome = RadioField(_l("Outcome"), choices=OUTCOMES, validators=[InputRequired()])
    reasons = TextAreaField(_l("Reasons"), validators=[InputRequired(), Length(max=8000)])
    rows = FieldList(FormField(RatingRow), label=_l("Objectives"))

    def prepare(self, context: dict) -> None:
        super().prepare(context)
        self.fill_rows("evaluation")
        self.preview = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.outcome.data == "amend":
            return valid and self.check_ratings()
        return valid
