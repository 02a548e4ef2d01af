"""Translated labels for codes shown in the interface."""
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "Admin": _l("Administrator"),
    "SupportUnit": _l("Support unit (STS)"),
    "SecretaryGeneral": _l("Secretary General"),
    "Manager": _l("Manager (dirigente)"),
    "Supervisor": _l("Supervisor (posizione organizzativa)"),
    "Evaluator": _l("Evaluator"),
    "Employee": _l("Employee"),
    "OIV": _l("OIV"),
    "Board": _l("Board (Giunta)"),
}

UNIT_KIND_LABELS = {
    "administration": _l("Administration"),
    "area": _l("Area"),
    "sector": _l("Sector"),
}


ACCESS_KIND_LABELS = {
    "evaluation": _l("evaluation"),
    "objectives": _l("objectives"),
    "bonus": _l("bonus"),
}


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def unit_kind_label(code: str) -> str:
    return str(UNIT_KIND_LABELS.get(code, code))


def access_kind_label(code: str) -> str:
    """What of a person's data was opened (app.models.privacy.AccessKind)."""
    return str(ACCESS_KIND_LABELS.get(code, code))
