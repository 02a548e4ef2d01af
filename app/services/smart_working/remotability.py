"""Remotability (PIAO.md): every sub-process of the process map (a ProcessPhase of the
risk section's map, shared with the risk register) is scored 0-5 on four conditions;
the policy's rule makes them one score (their minimum or mean) and a sub-process is
remotable at or above the policy's threshold (2). People are linked to the
sub-processes they work on, and a person is eligible for smart working when one of
them is remotable: a request from anyone else is refused with that reason.

Who scores and links: the administrators of the policy, and the manager heading the
unit that owns the process (or a unit above it). Who reads the map: the
organisation-wide roles and the heads of units."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.exceptions import Forbidden

from app import audit
from app.extensions import db
from app.models.org import Role, User
from app.models.risk import MappedProcess, ProcessPhase
from app.models.smart_working import PhasePerson, Remotability
from app.models.types import utcnow
from app.scoring import smart_working as rules
from app.services.org.permissions import ORG_WIDE, headed_units, unit_and_below
from app.services.smart_working import policy as policies


@dataclass(frozen=True)
class PhaseRow:
    process: MappedProcess
    phase: ProcessPhase
    scores: Remotability | None
    score: Decimal | None
    remotable: bool
    people: int


def may_read(actor: User) -> bool:
    return actor.has_role(*ORG_WIDE, Role.MANAGER, Role.SUPERVISOR)


def may_edit(actor: User, process: MappedProcess) -> bool:
    return actor.has_role(*policies.EDITORS) or (
        actor.has_role(Role.MANAGER) and process.unit_id in headed_units(actor))


def score_of(row: Remotability | None, policy) -> Decimal | None:
    return None if row is None else rules.remotability_score(row.conditions, policy.score_rule)


def phase_rows(administration_id: int | None) -> list[PhaseRow]:
    """Every sub-process of the active processes, by process code and position."""
    policy = policies.policy_of(administration_id)
    phases = db.session.execute(
        select(MappedProcess, ProcessPhase).join(ProcessPhase, ProcessPhase.process_id == MappedProcess.id)
        .where(MappedProcess.administration_id == administration_id, MappedProcess.active)
        .order_by(MappedProcess.code, ProcessPhase.position)).all()
    ids = [phase.id for _process, phase in phases]
    scores = {r.phase_id: r for r in db.session.execute(
        select(Remotability).where(Remotability.phase_id.in_(ids))).scalars()}
    counts: dict[int, int] = {}
    for phase_id in db.session.execute(
            select(PhasePerson.phase_id).where(PhasePerson.phase_id.in_(ids))).scalars():
        counts[phase_id] = counts.get(phase_id, 0) + 1
    rows = []
    for process, phase in phases:
        score = score_of(scores.get(phase.id), policy)
        rows.append(PhaseRow(process, phase, scores.get(phase.id), score,
                             rules.is_remotable(score, policy.threshold), counts.get(phase.id, 0)))
    return rows


def people_of(phase: ProcessPhase) -> list[int]:
    return list(db.session.execute(select(PhasePerson.user_id).where(
        PhasePerson.phase_id == phase.id).order_by(PhasePerson.user_id)).scalars())


def candidates(phase: ProcessPhase):
    """The statement of who may be linked to the sub-process: the active staff of the
    process's unit and of the units below it (an area's process may have thousands)."""
    return select(User).where(User.active,
                              User.unit_id.in_(unit_and_below(phase.process.unit_id)))


def save_phase(actor: User, phase: ProcessPhase, conditions: dict[str, int], note: str,
               people: list[int]) -> Remotability:
    """Score the sub-process and set who works on it."""
    if not may_edit(actor, phase.process):
        raise Forbidden()
    rules.remotability_score(conditions, rules.MINIMUM)  # refuses a value outside 0-5
    chosen = set(people)
    if chosen and len(chosen) != db.session.scalar(candidates(phase).where(
            User.id.in_(chosen)).with_only_columns(func.count(User.id))):
        raise ValueError(_("Only the staff of the process's unit work on its sub-processes."))
    row = db.session.execute(select(Remotability).where(
        Remotability.phase_id == phase.id)).scalar_one_or_none()
    before = {**(row.conditions if row else {}), "people": people_of(phase)}
    row = row or Remotability(phase_id=phase.id)
    for name in rules.CONDITIONS:
        setattr(row, name, int(conditions[name]))
    row.note, row.scored_by_id, row.scored_at = (note or "").strip() or None, actor.id, utcnow()
    db.session.add(row)
    db.session.execute(delete(PhasePerson).where(PhasePerson.phase_id == phase.id))
    db.session.add_all(PhasePerson(phase_id=phase.id, user_id=uid) for uid in sorted(set(people)))
    db.session.flush()
    audit.record("smart_working.remotability", actor=actor, obj=row, before=before,
                 after={**row.conditions, "people": sorted(set(people))})
    return row


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    remotable: list[ProcessPhase]
    linked: int


def eligibility(user: User) -> Eligibility:
    """Whether one of the person's sub-processes is remotable, under the policy of the
    person's administration."""
    policy = policies.policy_of(policies.administration_of(user))
    linked = db.session.execute(
        select(ProcessPhase, Remotability)
        .join(PhasePerson, PhasePerson.phase_id == ProcessPhase.id)
        .join(MappedProcess, MappedProcess.id == ProcessPhase.process_id)
        .outerjoin(Remotability, Remotability.phase_id == ProcessPhase.id)
        .where(PhasePerson.user_id == user.id, MappedProcess.active)).all()
    remotable = [phase for phase, scores in linked
                 if rules.is_remotable(score_of(scores, policy), policy.threshold)]
    return Eligibility(bool(remotable), remotable, len(linked))


def refusal(user: User) -> str | None:
    """Why the person may not ask for smart working, or None when they may."""
    found = eligibility(user)
    if found.eligible:
        return None
    if not found.linked:
        return _("You work on no sub-process of the process map, so your activities cannot "
                 "be judged remotable: ask the office to link you to yours.")
    return _("None of the sub-processes you work on is remotable (their score is below "
             "the threshold): your activities cannot be done remotely.")
