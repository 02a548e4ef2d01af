"""The evaluation system (SMVP) of each cycle, stored as versions of the JSON form of
app.scoring.system.EvaluationSystem: the pydantic model is the one schema, so anything
stored has passed its validation. A new cycle starts from the previous cycle's rules,
the first one from Turin's."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models.org import Role, User
from app.models.plan import Cycle, CycleStatus, EvaluationSystemConfig
from app.scoring import METHODS, EvaluationSystem
from app.services.org.permissions import require_role
from app.services.plan import rules
from app.services.plan.errors import PlanError
from app.services.plan.parts import Systems


def current_config(cycle: Cycle) -> EvaluationSystemConfig | None:
    return db.session.execute(
        select(EvaluationSystemConfig).where(EvaluationSystemConfig.cycle_id == cycle.id)
        .order_by(EvaluationSystemConfig.version.desc()).limit(1)
    ).scalar_one_or_none()


def history(cycle: Cycle) -> list[EvaluationSystemConfig]:
    return list(db.session.execute(
        select(EvaluationSystemConfig).where(EvaluationSystemConfig.cycle_id == cycle.id)
        .order_by(EvaluationSystemConfig.version.desc())
    ).scalars())


def _previous_cycle(cycle: Cycle) -> Cycle | None:
    return db.session.execute(
        select(Cycle).where(Cycle.administration_id == cycle.administration_id,
                            Cycle.year < cycle.year)
        .order_by(Cycle.year.desc()).limit(1)
    ).scalar_one_or_none()


def inherited_system(cycle: Cycle) -> EvaluationSystem:
    """What a cycle without its own version uses: the nearest earlier cycle's rules,
    else Turin's."""
    previous = _previous_cycle(cycle)
    while previous is not None:
        config = current_config(previous)
        if config is not None:
            return EvaluationSystem.model_validate(config.data)
        previous = _previous_cycle(previous)
    return EvaluationSystem.turin_default()


def system_for(cycle: Cycle) -> EvaluationSystem:
    """The rules in force for the cycle."""
    config = current_config(cycle)
    if config is None:
        return inherited_system(cycle)
    return EvaluationSystem.model_validate(config.data)


def ensure_config(cycle: Cycle, actor: User | None = None) -> EvaluationSystemConfig:
    """Give the cycle its first version, copied from what it inherits."""
    config = current_config(cycle)
    if config is not None:
        return config
    system = inherited_system(cycle)
    config = EvaluationSystemConfig(cycle_id=cycle.id, version=1,
                                    data=system.model_dump(mode="json"),
                                    note=str(_l("Copied when the cycle was created.")),
                                    created_by_id=getattr(actor, "id", None))
    db.session.add(config)
    db.session.flush()
    audit.record("smvp.create", actor=actor, obj=config, after={"cycle": cycle.year,
                                                                "version": 1})
    return config


def validation_messages(error: ValidationError) -> list[str]:
    """pydantic's errors as 'where: what' lines for the user interface."""
    lines = []
    for item in error.errors():
        where = " › ".join(str(part) for part in item["loc"]) or str(_l("system"))
        lines.append(f"{where}: {item['msg']}")
    return lines


def save_system(actor: User, cycle: Cycle, data: dict, note: str | None = None
                ) -> EvaluationSystemConfig:
    """Validate and store a new version of the cycle's rules (administrators only)."""
    require_role(actor, Role.ADMIN)
    if cycle.status == CycleStatus.CLOSED.value:
        raise PlanError(_l("The cycle is closed: its rules can no longer change."))
    try:
        system = EvaluationSystem.model_validate(data)
    except ValidationError as exc:
        raise PlanError(validation_messages(exc)) from exc
    refuse_unscorable_plan(cycle, Systems.of_cycle(cycle).with_system(None, "", system))
    clean = system.model_dump(mode="json")
    previous = current_config(cycle)
    if previous is not None and EvaluationSystem.model_validate(previous.data) == system:
        raise PlanError(_l("Nothing changed."))
    version = (db.session.execute(
        select(func.max(EvaluationSystemConfig.version))
        .where(EvaluationSystemConfig.cycle_id == cycle.id)).scalar_one() or 0) + 1
    config = EvaluationSystemConfig(cycle_id=cycle.id, version=version, data=clean,
                                    note=(note or "").strip() or None, created_by_id=actor.id)
    db.session.add(config)
    db.session.flush()
    audit.record("smvp.save", actor=actor, obj=config,
                 before=previous.data if previous else None, after=clean)
    return config


def refuse_unscorable_plan(cycle: Cycle, systems) -> None:
    """New rules (the cycle's map of systems with the change made) must be able to score
    the cycle's whole plan: otherwise they are refused, listing what they could not
    score."""
    if cycle.plan is None:
        return
    problems = (rules.weight_findings(cycle.plan, systems)[0]
                + rules.indicator_problems(cycle.plan, systems))
    if problems:
        raise PlanError([str(_l("These rules could not score the plan; nothing changed."))]
                        + problems)


# --- scoring methods of indicators --------------------------------------------------------

_METHOD_ALIASES = {"soglia": "threshold", "rapporto": "ratio", "proporzionale": "ratio",
                   "si/no": "boolean", "sì/no": "boolean", "booleano": "boolean",
                   "scadenza": "deadline", "gradini": "steps", "scala": "steps",
                   "scaglioni": "steps"}


def known_methods() -> frozenset[str]:
    """The methods the scoring module implements."""
    return frozenset(METHODS)


def parse_method(text: str) -> str:
    value = (text or "").strip().lower()
    method = _METHOD_ALIASES.get(value, value)
    if method not in known_methods():
        raise ValueError(str(_l("Unknown scoring method '%(value)s'.", value=text)))
    return method
