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
    "RPCT": _l("Corruption prevention and transparency officer (RPCT)"),
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


JOB_LABELS = {
    "cycle.start_assignments": _l("Starting the assignment of the individual objectives"),
    "cycle.start_monitoring": _l("Starting the monitoring of the areas"),
    "cycle.start_evaluations": _l("Starting the individual evaluations"),
    "training_due": _l("Starting the reminders of mandatory training"),
    "rewards.compute": _l("Computing the rewards"),
    "reports.render_report": _l("Drawing the Report"),
    "org.import": _l("Checking the organisation file"),
    "org.import.apply": _l("Importing the organisation, by rows of the file"),
    "plan.import": _l("Importing the plan"),
    "plan.import_individual": _l("Checking the file of the individual objectives"),
    "plan.import_individual.apply": _l("Importing the individual objectives, by people of the file"),
}

JOB_STATUS_LABELS = {
    "queued": _l("waiting for the worker"),
    "running": _l("running"),
    "failed": _l("stopped on failed items: retry them to finish"),
    "done": _l("done"),
}


def job_label(kind: str) -> str:
    return str(JOB_LABELS.get(kind, kind))


def job_status_label(status: str) -> str:
    return str(JOB_STATUS_LABELS.get(status, status))


def access_kind_label(code: str) -> str:
    """What of a person's data was opened (app.models.privacy.AccessKind)."""
    return str(ACCESS_KIND_LABELS.get(code, code))
