"""Step handlers and context loaders of the transparency task forms (forms/transparency.py):
an owner's update of an obligation, and the OIV's attestation (fill, sign, publish). The
obligation or the attestation comes from the instance's business key."""
from __future__ import annotations

from app.engine import clock
from app.extensions import db
from app.models.transparency import Attestation
from app.services.tasks.step_errors import refused
from app.services.tasks.steps import context, step
from app.services.transparency import attestation as service
from app.services.transparency.grid import record_publication
from app.services.transparency.updates import obligation_of


@context("transparency_update")
def update_context(task) -> dict:
    return {"obligation": obligation_of(task)}


@step("transparency_update")
def record_update(actor, task, data):
    with refused():
        record_publication(actor, obligation_of(task), data["published_on"],
                           clock.now().date())
    return {}


def _attestation(task) -> Attestation:
    return db.session.get(Attestation, int(task.instance.business_key.split(":")[1]))


@context("oiv_attestation_fill", "oiv_attestation_sign", "oiv_attestation_publish")
def attestation_context(task) -> dict:
    attestation = _attestation(task)
    return {"attestation": attestation, "entries": list(attestation.entries),
            "top": service.highest_mark(attestation.scale)}


@step("oiv_attestation_fill")
def fill(actor, task, data):
    rows = [service.EntryMarks(int(r["entry_id"]), *(int(r[m]) for m in service.MARKS),
                               r.get("note")) for r in data["rows"]]
    with refused():
        service.fill(actor, _attestation(task), rows)
    return {}


@step("oiv_attestation_sign")
def sign(actor, task, data):
    with refused():
        service.sign(actor, _attestation(task), data.get("statement"))
    return {}


@step("oiv_attestation_publish")
def publish(actor, task, data):
    with refused():
        service.publish(actor, _attestation(task))
    return {}
