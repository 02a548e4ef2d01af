"""Synthetic but plausible answers to the tasks of the cycle's child processes, as a
browser posts them (strings, no csrf_token): `flask demo run-cycle` validates them with
the task's form and completes through app.services.tasks.operations; the end-to-end test posts them
to /tasks/<id>. The same random.Random gives the same answers."""
from __future__ import annotations

import random
from decimal import Decimal

from app.extensions import db
from app.formats.tables import parse_decimal
from app.formats.values import format_value
from app.models.org import OrgUnit, User
from app.models.plan import Cycle, Objective
from app.services.cycle.monitoring_steps import area_indicators
from app.services.evaluation.operations import evaluation_of
from app.services.plan.individual import objectives_of

WEIGHTS = ([50, 30, 20], [40, 35, 25], [60, 40], [34, 33, 33])
HOW = "AAABBBBC"


def _fields(prefix: str, items: list[dict]) -> dict[str, str]:
    return {f"{prefix}-{n}-{name}": value for n, item in enumerate(items)
            for name, value in item.items()}


def _subject(task) -> tuple[Cycle, User]:
    """The cycle and the person, without the person's roles (no answer needs them)."""
    return (db.session.get(Cycle, task.instance.cycle_id),
            db.session.get(User, task.instance.subject_id))


def _assignment(task, rng: random.Random) -> dict[str, str]:
    cycle, person = _subject(task)
    units = {person.unit_id}
    unit = db.session.get(OrgUnit, person.unit_id) if person.unit_id else None
    if unit is not None and unit.parent_id is not None:
        units.add(unit.parent_id)
    operational = [o for o in (cycle.plan.objectives if cycle.plan else ()) if not o.is_strategic]
    own = [o for o in operational if o.owner_unit_id in units]
    weights = rng.choice(WEIGHTS)
    # two different operational objectives, the person's unit's first: a person never
    # contributes twice to one objective
    contributions = rng.sample(own, min(2, len(own)))
    others = [o for o in operational if o not in own]
    contributions += rng.sample(others, min(2 - len(contributions), len(others)))
    items = []
    for n, weight in enumerate(weights):
        linked: Objective | None = contributions[n] if n < len(contributions) else None
        items.append({
            "title": f"Contributo a: {linked.title}"[:500] if linked else
            "Qualità del servizio e aggiornamento professionale",
            "actions": f"Realizzare le attività di competenza per {linked.code}" if linked
            else "Partecipare alla formazione prevista",
            "behaviours": "Collaborazione, orientamento all'utenza, precisione",
            "measures": f"Indicatori di {linked.code}" if linked else "Ore di formazione",
            "weight": str(weight), "objective_id": str(linked.id) if linked else ""})
    return _fields("rows", items)


def _monitoring(task, rng: random.Random) -> dict[str, str]:
    items = []
    for indicator in area_indicators(task):
        value = _plausible(indicator, rng, share=rng.choice(("0,45", "0,5", "0,55")))
        forecast = _plausible(indicator, rng, share=rng.choice(("0,8", "0,95", "1", "1,05")))
        at_risk = rng.random() < 0.1
        items.append({"indicator_id": str(indicator.id), "value": value, "forecast": forecast,
                      "note": "Ritardo nelle attività previste" if at_risk else "",
                      **({"at_risk": "y"} if at_risk else {})})
    return _fields("rows", items)


def _individual_check(task, rng: random.Random) -> dict[str, str]:
    from app.services.cycle.checks import people_checked_by

    cycle = db.session.get(Cycle, task.instance.cycle_id)
    items = []
    for person in people_checked_by(cycle, task.assignee_id):
        at_risk = rng.random() < 0.1
        items.append({"user_id": str(person.id), "outcome": "at_risk" if at_risk else "on_track",
                      "note": "Attività in ritardo sul cronoprogramma" if at_risk else ""})
    return _fields("rows", items)


def _plausible(indicator, rng: random.Random, share: str) -> str:
    """A value of the indicator's kind: a share of the target for numbers, the target
    itself for dates and yes/no."""
    target = indicator.target
    if isinstance(target, Decimal):
        return format_value((target * parse_decimal(share)).quantize(Decimal("0.01")))
    return format_value(target)


def grades(task, rng: random.Random, stage_shift: int = 0) -> dict[str, str]:
    cycle, person = _subject(task)
    items = []
    for objective in objectives_of(cycle, person):
        what = min(6, max(0, rng.choice((3, 4, 4, 5, 5, 6, 6, 2)) + stage_shift))
        items.append({"objective_id": str(objective.id), "what": str(what),
                      "how": rng.choice(HOW), "comment": ""})
    return _fields("rows", items)


def synthetic(task, rng: random.Random, *, ask_review: bool = False) -> dict[str, str]:
    """The fields that complete the task plausibly; ask_review=True makes the person
    ask for a review of their evaluation instead of acknowledging it."""
    key = task.form_key
    if key == "objective_assignment":
        return _assignment(task, rng)
    if key == "objective_acknowledgement":
        return {"decision": "acknowledge", "comment": rng.choice(("", "Obiettivi chiari"))}
    if key == "monitoring":
        return _monitoring(task, rng)
    if key == "monitoring_individual_check":
        return _individual_check(task, rng)
    if key == "monitoring_round_consolidation":
        return {"note": "Round consolidato: nessuna criticità nuova."}
    if key == "evaluation_self_assessment":
        return {"self_assessment": rng.choice((
            "", "Ho raggiunto gli obiettivi assegnati nei tempi previsti.",
            "Obiettivi raggiunti; ho curato anche la formazione dei nuovi colleghi."))}
    if key == "evaluation_rating":
        return {**grades(task, rng), "comment": "Valutazione coerente con i risultati."}
    if key == "evaluation_acknowledgement":
        if ask_review:
            return {"decision": "review",
                    "reason": "Ritengo che i risultati del secondo obiettivo siano stati superati."}
        return {"decision": "acknowledge", "reason": ""}
    if key == "evaluation_review":
        cycle, person = _subject(task)
        evaluation = evaluation_of(cycle, person)
        amend = evaluation is not None and rng.random() < 0.5
        fields = {"outcome": "amend" if amend else "confirm",
                  "reasons": "Riesame dei risultati documentati."}
        return {**fields, **grades(task, rng, stage_shift=1)} if amend else {**fields, **grades(task, rng)}
    raise KeyError(f"no synthetic input for form {key!r}")
