"""Units of the organisation: created and changed by an administrator, never placed
under themselves, each code once in an administration."""
from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from app import audit
from app.extensions import db
from app.models.org import Administration, OrgUnit, User
from app.services.org.errors import OrgError
from app.services.org.permissions import ORG_ADMINS, require_role


def save_unit(
    actor: User, *, administration_id: int, code: str, name: str, kind: str,
    parent_id: int | None, head_id: int | None, unit: OrgUnit | None = None,
) -> OrgUnit:
    require_role(actor, *ORG_ADMINS)
    before = None
    if unit is not None:
        before = {"code": unit.code, "name": unit.name, "parent_id": unit.parent_id,
                  "head_id": unit.head_id, "kind": unit.kind}
        node_id = parent_id
        while node_id is not None:
            if node_id == unit.id:
                raise OrgError(_l("A unit cannot be placed under itself."))
            node_id = db.session.get(OrgUnit, node_id).parent_id
    else:
        unit = OrgUnit(administration_id=administration_id)
        db.session.add(unit)
    clash = db.session.execute(
        select(OrgUnit.id).where(
            OrgUnit.administration_id == administration_id, OrgUnit.code == code
        )
    ).scalar_one_or_none()
    if clash is not None and clash != unit.id:
        raise OrgError(_l("Another unit already has this code."))
    unit.code, unit.name, unit.kind = code.strip(), name.strip(), kind
    unit.parent_id, unit.head_id = parent_id, head_id
    db.session.flush()
    audit.record(
        "unit.save", actor=actor, obj=unit, before=before,
        after={"code": unit.code, "name": unit.name, "parent_id": unit.parent_id,
               "head_id": unit.head_id, "kind": unit.kind},
    )
    return unit


def default_administration_id() -> int:
    """The administration new top-level units belong to (one per installation)."""
    admin_id = db.session.execute(
        select(Administration.id).order_by(Administration.id).limit(1)
    ).scalar_one_or_none()
    if admin_id is None:
        raise OrgError(_l("Create the administration first."))
    return admin_id


@cache
def _with_ancestors():
    """The statement of path_of: a recursive walk up from `unit`, built once."""
    up = select(OrgUnit.id, OrgUnit.parent_id).where(
        OrgUnit.id == bindparam("unit")).cte("up", recursive=True)
    above = aliased(OrgUnit)
    up = up.union(select(above.id, above.parent_id).join(up, above.id == up.c.parent_id))
    return select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name).join(up, up.c.id == OrgUnit.id)


def path_of(unit_id: int | None) -> str | None:
    """The unit's path as OrgUnit.path draws it (names from the top, joined by ' / '),
    in one read instead of one per level."""
    if unit_id is None:
        return None
    rows = {row.id: row for row in db.session.execute(_with_ancestors(), {"unit": unit_id})}
    names, node = [], rows.get(unit_id)
    while node is not None:
        names.append(node.name)
        node = rows.get(node.parent_id)
    return " / ".join(reversed(names)) if names else None
