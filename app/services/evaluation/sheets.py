"""One person's objective sheet and evaluation sheet as PDF documents, as
administrations file them: who, which cycle, the objectives with their weights, the
ratings, score and band with how they are computed (app.services.evaluation.explanations,
the same lines as the pages), and the date and time of the person's acknowledgement in
Italian time. Accessible PDF/UA (app.services.reports.accessible_pdf), in Italian
whatever the reader's language, like the Report.

Who may download: whoever may see the person's objectives (the person, the evaluator,
the managers above, the organisation-wide roles: plan.individual.can_view) and, for
the evaluation, the second-level reviewer too; anyone else gets Forbidden. Another
person's sheet is logged as an access to personal data by the view."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from werkzeug.exceptions import Forbidden, NotFound

from app.extensions import db
from app.models.evaluation import EvaluationStatus
from app.models.org import User
from app.models.plan import Cycle
from app.models.types import utcnow
from app.services.evaluation import explanations
from app.services.evaluation import operations as evaluation_service
from app.services.plan.individual import can_view, objectives_of
from app.services.reports import accessible_pdf
from app.services.reports.figures import band_label


def _require_view(actor: User, cycle: Cycle, person: User, evaluation=None) -> None:
    reviewer = evaluation is not None and evaluation_service.is_reviewer(actor, evaluation)
    if not (can_view(actor, cycle, person) or reviewer):
        raise Forbidden()


def _common(cycle: Cycle, person: User) -> dict:
    return {"cycle": cycle, "person": person, "generated_at": utcnow()}


def objective_sheet(actor: User, cycle: Cycle, person: User) -> bytes:
    """The objectives assigned to `person` in `cycle` and their acknowledgement."""
    _require_view(actor, cycle, person)
    sheet = evaluation_service.sheet_of(cycle, person)
    if sheet is None:
        raise NotFound()
    with force_locale("it"):
        html = render_template(
            "account/sheets/objectives_pdf.html", sheet=sheet,
            assigned_by=sheet.assigned_by_id and db.session.get(User, sheet.assigned_by_id),
            objectives=objectives_of(cycle, person), **_common(cycle, person))
    return accessible_pdf.write(html)


def evaluation_sheet(actor: User, cycle: Cycle, person: User) -> bytes:
    """The evaluation of `person` in `cycle`, once rated, with how it is computed."""
    evaluation = evaluation_service.evaluation_of(cycle, person)
    _require_view(actor, cycle, person, evaluation)
    if evaluation is None or evaluation.status == EvaluationStatus.OPEN.value:
        raise NotFound()
    stages: dict[str, list] = {}
    for rating in evaluation.ratings:
        stages.setdefault(rating.stage, []).append(rating)
    with force_locale("it"):
        html = render_template(
            "account/sheets/evaluation_pdf.html", evaluation=evaluation, stages=stages,
            explanations=explanations.of_person(cycle, evaluation, []), band_label=band_label,
            **_common(cycle, person))
    return accessible_pdf.write(html)
