"""The password policy, applied wherever a password is set (the person's own page, an
administrator, the command line); demo users are exempt so the demo keeps its shared
password. Rules: at least MIN_LENGTH characters, not a common password (or a common
password with digits and symbols around it), not containing the e-mail's local part or
its longer pieces (names)."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
_BLOCKLIST_FILE = Path(__file__).with_name("common_passwords.txt")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    lines = _BLOCKLIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def _is_common(password: str) -> bool:
    lowered = password.lower()
    stem = _EDGES.sub("", lowered)
    blocked = common_passwords()
    if lowered in blocked or stem in blocked or not stem:
        return True
    # the same short piece repeated (passwordpassword, abcabcabcabc, 111111111111)
    return any(lowered == lowered[:n] * (len(lowered) // n) for n in range(1, 5)
               if len(lowered) % n == 0)


def _email_pieces(email: str) -> list[str]:
    local = email.split("@", 1)[0].lower()
    pieces = [p for p in re.split(r"[._+\-]", local) if len(p) >= 4]
    return ([local] if len(local) >= 3 else []) + pieces


def password_problems(password: str, email: str) -> list[str]:
    """Why this password is refused for this e-mail; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("The password must be at least %(count)d characters long.",
                               count=MIN_LENGTH)))
    if _is_common(password):
        problems.append(str(_l("This password is too common and easy to guess.")))
    lowered = password.lower()
    if any(piece in lowered for piece in _email_pieces(email)):
        problems.append(str(_l("The password must not contain your e-mail address or your "
                               "name.")))
    return problems
