"""Which evaluation system scores which part of a cycle.

A cycle has its default system (app.services.plan.system) and may bind other systems to
org units (UnitEvaluationSystem): Alessandria and Asti are two sites of one Chamber,
each with its own scheme. A bound system scores the unit's whole subtree, except where
a unit nearer below has its own: an objective is scored by the system of the nearest
bound ancestor of its owner unit (an objective without an owner, by its parent
objective's; else the default), an indicator by its objective's, a person by their
unit's. A "part" is everything one system scores.

Where a figure spans parts (a strategic area, the organisation, a reward pool, the
distribution of bands) the systems must agree on the rule that combines them: `common`
gives that rule or refuses naming the systems, never silently picking one."""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from app.extensions import db
from app.models.org import OrgUnit
from app.models.plan import Cycle, EvaluationSystemConfig, UnitEvaluationSystem
from app.scoring import EvaluationSystem
from app.services.plan.errors import PlanError
from app.services.unique import transaction_memo


@dataclass(frozen=True)
class Part:
    """One system and the subtree it scores: unit None is the cycle's default."""

    name: str
    system: EvaluationSystem
    unit: OrgUnit | None = None
    binding: UnitEvaluationSystem | None = None

    @property
    def key(self) -> int | None:
        return self.unit.id if self.unit is not None else None


class Systems:
    """The systems of one cycle and the unit tree they are resolved on: load once per
    request or operation (`of_cycle`), then ask per unit, objective or person."""

    def __init__(self, default: Part, bound: list[Part] = (),
                 parents: dict[int, int | None] | None = None,
                 administration_id: int | None = None):
        self.default = default
        self.bound = {part.key: part for part in bound}
        self._parents = parents
        self._administration_id = administration_id

    @property
    def parents(self) -> dict[int, int | None]:
        """Each unit's parent, read when first needed: a cycle without bound systems
        (most) never needs the tree to tell a person's or an objective's system."""
        if self._parents is None:
            self._parents = {} if self._administration_id is None else dict(db.session.execute(
                select(OrgUnit.id, OrgUnit.parent_id)
                .where(OrgUnit.administration_id == self._administration_id)).all())
        return self._parents

    @classmethod
    def single(cls, system: EvaluationSystem) -> Systems:
        """One system for everything: what a cycle without bindings has."""
        return cls(Part(str(_l("Default system of the cycle")), system))

    @classmethod
    def of_cycle(cls, cycle: Cycle) -> Systems:
        """Read once per transaction: a completion asks for a person's system while
        building the form, scoring and storing (four times for a rating). Any change to
        a system, a binding or a unit in the transaction reads them again."""
        session = db.session
        if session.new or session.dirty or session.deleted:
            session.flush()  # what the queries below would do; the memo may drop
        cache = _systems_memo()
        if cycle.id not in cache:
            cache[cycle.id] = cls._read(cycle)
        return cache[cycle.id]

    @classmethod
    def _read(cls, cycle: Cycle) -> Systems:
        """The cycle's current version and its bindings in one statement; a cycle
        without a version of its own (it inherits its rules) reads them apart."""
        from app.services.plan.system import system_for

        rows = db.session.execute(_current_with_bindings(), {"cycle": cycle.id}).all()
        if rows:
            system = EvaluationSystem.model_validate(rows[0][0])
            bindings = [binding for _data, binding in rows if binding is not None]
        else:
            system = system_for(cycle)
            bindings = db.session.execute(
                select(UnitEvaluationSystem).where(UnitEvaluationSystem.cycle_id == cycle.id)
            ).scalars().all()
        default = Part(str(_l("Default system of the cycle")), system)
        bound = [Part(b.name, EvaluationSystem.model_validate(b.data), b.org_unit, b)
                 for b in bindings]
        return cls(default, bound, administration_id=cycle.administration_id)

    @property
    def parts(self) -> list[Part]:
        """The default first, then the bound systems by unit code."""
        return [self.default, *sorted(self.bound.values(), key=lambda p: p.unit.code)]

    @property
    def several(self) -> bool:
        return bool(self.bound)

    def with_system(self, unit: OrgUnit | None, name: str, system: EvaluationSystem
                    ) -> Systems:
        """The same map with `unit`'s system (None: the default) set to `system`: how
        a change is checked against the plan before it is saved."""
        if unit is None:
            return Systems(replace(self.default, system=system), list(self.bound.values()),
                           self.parents)
        bound = {**self.bound, unit.id: Part(name, system, unit,
                                             getattr(self.bound.get(unit.id), "binding", None))}
        parents = {**self.parents, unit.id: unit.parent_id}
        return Systems(self.default, list(bound.values()), parents)

    def without(self, unit: OrgUnit) -> Systems:
        return Systems(self.default, [p for k, p in self.bound.items() if k != unit.id],
                       self.parents)

    def part_of_unit(self, unit_id: int | None) -> Part:
        """The nearest bound unit at or above `unit_id`, else the default."""
        if not self.bound:
            return self.default
        seen = set()
        while unit_id is not None and unit_id not in seen:
            if unit_id in self.bound:
                return self.bound[unit_id]
            seen.add(unit_id)
            unit_id = self.parents.get(unit_id)
        return self.default

    def part_of_objective(self, objective) -> Part:
        while objective is not None:
            if objective.owner_unit_id is not None:
                return self.part_of_unit(objective.owner_unit_id)
            objective = objective.parent
        return self.default

    def of_unit(self, unit_id: int | None) -> EvaluationSystem:
        return self.part_of_unit(unit_id).system

    def of_objective(self, objective) -> EvaluationSystem:
        return self.part_of_objective(objective).system

    def of_person(self, person) -> EvaluationSystem:
        return self.part_of_unit(person.unit_id).system

    def common(self, parts, read, what) -> object:
        """read(system) when every part's system gives the same; else a PlanError naming
        the systems that differ and the rule (`what`) they differ on."""
        parts = list({part.key: part for part in parts}.values()) or [self.default]
        values = [read(part.system) for part in parts]
        if any(value != values[0] for value in values[1:]):
            raise PlanError(_l("This figure combines parts scored by different evaluation "
                               "systems (%(systems)s) whose %(what)s differ: it cannot be "
                               "computed; see each part's figure.",
                               systems=", ".join(p.name for p in parts), what=what))
        return values[0]


@functools.cache
def _current_with_bindings():
    """The data of the cycle's latest system version, beside each of the cycle's bindings
    (None when it has none): no row when the cycle has no version."""
    config, cycle = EvaluationSystemConfig, bindparam("cycle")
    latest = select(func.max(config.version)).where(config.cycle_id == cycle).scalar_subquery()
    return (select(config.data, UnitEvaluationSystem)
            .outerjoin(UnitEvaluationSystem, UnitEvaluationSystem.cycle_id == config.cycle_id)
            .where(config.cycle_id == cycle, config.version == latest)
            .order_by(UnitEvaluationSystem.id))


_systems_memo = transaction_memo("plan.systems_of_cycle", EvaluationSystemConfig,
                                 UnitEvaluationSystem, OrgUnit, Cycle)


def bands_of(cycle: Cycle, systems: Systems | None = None):
    """The bands of a figure over everybody (the published distribution): refused when
    the cycle's systems band scores differently. `systems`: the cycle's, when the caller
    has them already (a page reading several figures loads them once)."""
    systems = systems or Systems.of_cycle(cycle)
    return systems.common(systems.parts, lambda s: s.bands, _l("bands of the individual "
                                                               "score"))


def system_for_person(cycle: Cycle, person) -> EvaluationSystem:
    """The rules of one person's evaluation: their unit's system."""
    return Systems.of_cycle(cycle).of_person(person)
