"""Who may read and who may change the corruption-risk section. The RPCT (and the
administrator) edit the register and the measures while the year is a draft; the
people who take part in the section read it: the Secretary General, the support unit,
the OIV, the Board and the managers."""
from __future__ import annotations

from app.models.org import Role, User
from app.services.org.permissions import require_role

EDITORS = (Role.RPCT, Role.ADMIN)
READERS = (*EDITORS, Role.SECRETARY_GENERAL, Role.SUPPORT_UNIT, Role.OIV, Role.BOARD,
           Role.MANAGER)


def can_edit(actor: User | None) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False)
                and actor.has_role(*EDITORS))


def ensure_editor(actor: User | None) -> None:
    require_role(actor, *EDITORS)


def ensure_reader(actor: User | None) -> None:
    require_role(actor, *READERS)
