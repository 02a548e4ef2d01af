"""Everything the product holds about one person (GDPR art. 15, right of access), as a
zip with data.json (every row, typed as in backups) and summary.html (the same, readable
in a browser). The password hash is left out: it is a secret, not information about the
person."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from flask import render_template
from sqlalchemy import or_, select, type_coerce

from app.extensions import db
from app.models.engine import HumanTask
from app.models.evaluation import Evaluation, ObjectiveRating, ObjectiveSheet, RewardAllocation
from app.models.org import EvaluatorLink, OrgUnit, User, UserRole
from app.models.plan import IndividualObjective
from app.models.privacy import PersonalDataAccess
from app.models.types import utcnow
from app.services.backup.archive import encode, storage_type

_LEFT_OUT = {"user": {"password_hash"}}


def _rows(model, *where) -> list[dict]:
    table = model.__table__
    columns = [c for c in table.columns if c.name not in _LEFT_OUT.get(table.name, set())]
    kinds = [storage_type(c) for c in columns]
    result = db.session.execute(
        select(*[type_coerce(c, k).label(c.name) for c, k in zip(columns, kinds)])
        .where(*where).order_by(*table.primary_key.columns))
    return [{c.name: encode(k, v) for c, k, v in zip(columns, kinds, row)} for row in result]


def sections(person: User) -> dict[str, list[dict]]:
    """The person's data, one list of rows per kind, in the order a reader wants them."""
    evaluations = select(Evaluation.id).where(Evaluation.user_id == person.id)
    return {
        "profile": _rows(User, User.id == person.id),
        "roles": _rows(UserRole, UserRole.user_id == person.id),
        "units": _rows(OrgUnit, or_(OrgUnit.id == person.unit_id, OrgUnit.head_id == person.id)),
        "evaluators": _rows(EvaluatorLink, or_(EvaluatorLink.evaluatee_id == person.id,
                                               EvaluatorLink.evaluator_id == person.id)),
        "objectives": _rows(IndividualObjective, IndividualObjective.user_id == person.id),
        "objective_sheets": _rows(ObjectiveSheet, ObjectiveSheet.user_id == person.id),
        "evaluations": _rows(Evaluation, Evaluation.user_id == person.id),
        "ratings": _rows(ObjectiveRating, ObjectiveRating.evaluation_id.in_(evaluations)),
        "bonus": _rows(RewardAllocation, RewardAllocation.user_id == person.id),
        "tasks_done": _rows(HumanTask, HumanTask.completed_by_id == person.id),
        "access_log": _rows(PersonalDataAccess, PersonalDataAccess.subject_id == person.id),
    }


def write_export(person: User, path: str | Path) -> dict[str, int]:
    """Write the archive of `person`'s data to `path`; return the rows per section."""
    data = sections(person)
    document = {"person": person.email, "created_at": utcnow().isoformat(), "sections": data}
    html = render_template("account/personal_export.html", person=person, sections=data,
                           created_at=document["created_at"])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("summary.html", html)
    return {name: len(rows) for name, rows in data.items()}
