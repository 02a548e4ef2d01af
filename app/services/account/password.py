"""The signed-in person changes their own password: they prove the current one first,
so a session left open on a shared computer cannot be used to take the account."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models.org import User
from app.services.org.errors import OrgError
from app.services.org.passwords import check_password, set_password


def change_own_password(user: User, current: str, new: str) -> None:
    """Raises OrgError when the current password is wrong or the new one breaks the
    policy. Ends every session of the user: the caller signs the current one in again."""
    if not check_password(user, current):
        raise OrgError(_l("The current password is not correct."))
    set_password(user, user, new)
