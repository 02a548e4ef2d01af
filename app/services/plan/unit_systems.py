"""Evaluation systems bound to a unit subtree for one cycle (Alessandria and Asti, two
sites of one Chamber, each with its own scheme): add, change and remove, each audited.
Which system scores what is app.services.plan.parts; a change is refused, listing the
indicators and weights the new map of systems could not score, as save_system refuses
new default rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import OrgUnit, Role, User
from app.models.plan import Cycle, CycleStatus, UnitEvaluationSystem
from app.scoring import EvaluationSystem
from app.services.org.permissions import require_role
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems
from app.services.plan.system import refuse_unscorable_plan, validation_messages

EDITORS = (Role.SUPPORT_UNIT, Role.ADMIN)


def bindings(cycle: Cycle) -> list[UnitEvaluationSystem]:
    return list(db.session.execute(
        select(UnitEvaluationSystem).join(OrgUnit, OrgUnit.id == UnitEvaluationSystem.org_unit_id)
        .where(UnitEvaluationSystem.cycle_id == cycle.id).order_by(OrgUnit.code)).scalars())


def _checked(actor: User, cycle: Cycle, name: str, data: dict) -> tuple[str, EvaluationSystem]:
    require_role(actor, *EDITORS)
    if cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed: its rules can no longer change."))
    name = (name or "").strip()
    if not name:
        raise PlanError(_l("Give the system a name."))
    try:
        return name, EvaluationSystem.model_validate(data)
    except ValidationError as exc:
        raise PlanError(validation_messages(exc)) from exc


def _state(binding: UnitEvaluationSystem) -> dict:
    return {"cycle": binding.cycle_id, "unit": binding.org_unit.code, "name": binding.name,
            "system": binding.data}


def add_unit_system(actor: User, cycle: Cycle, unit: OrgUnit, name: str, data: dict,
                    note: str | None = None) -> UnitEvaluationSystem:
    """Bind a system to `unit`'s subtree. A unit has at most one system per cycle."""
    name, system = _checked(actor, cycle, name, data)
    if unit.administration_id != cycle.administration_id:
        raise PlanError(_l("The unit does not belong to the cycle's administration."))
    if any(b.org_unit_id == unit.id for b in bindings(cycle)):
        raise PlanError(_l("%(unit)s already has its own evaluation system in this cycle: "
                           "change that one.", unit=unit.name))
    refuse_unscorable_plan(cycle, Systems.of_cycle(cycle).with_system(unit, name, system))
    binding = UnitEvaluationSystem(cycle_id=cycle.id, org_unit=unit, name=name,
                                   data=system.model_dump(mode="json"),
                                   note=(note or "").strip() or None, updated_by_id=actor.id)
    db.session.add(binding)
    db.session.flush()
    audit.record("smvp.unit.add", actor=actor, obj=binding, after=_state(binding))
    return binding


def update_unit_system(actor: User, binding: UnitEvaluationSystem, name: str, data: dict,
                       note: str | None = None) -> None:
    cycle = db.session.get(Cycle, binding.cycle_id)
    name, system = _checked(actor, cycle, name, data)
    if name == binding.name and EvaluationSystem.model_validate(binding.data) == system:
        raise PlanError(_l("Nothing changed."))
    refuse_unscorable_plan(cycle, Systems.of_cycle(cycle).with_system(binding.org_unit, name,
                                                                      system))
    before = _state(binding)
    binding.name, binding.data = name, system.model_dump(mode="json")
    binding.note, binding.updated_by_id = (note or "").strip() or None, actor.id
    db.session.flush()
    audit.record("smvp.unit.save", actor=actor, obj=binding, before=before,
                 after=_state(binding))


def remove_unit_system(actor: User, binding: UnitEvaluationSystem) -> None:
    """The subtree goes back to the system of the nearest bound unit above, else the
    default: refused if that one could not score its part of the plan."""
    require_role(actor, *EDITORS)
    cycle = db.session.get(Cycle, binding.cycle_id)
    if cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed: its rules can no longer change."))
    refuse_unscorable_plan(cycle, Systems.of_cycle(cycle).without(binding.org_unit))
    audit.record("smvp.unit.remove", actor=actor, obj=binding, before=_state(binding))
    db.session.delete(binding)
    db.session.flush()
