"""The mid-year check of individual objectives in a monitoring round: each evaluator
(the Secretary General for the managers, each manager or delegated supervisor for their
staff) says for each person they evaluate whether the objectives are on track or at
risk, with a note. One task per evaluator lists all their people."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.evaluation import ObjectiveSheet
from app.models.monitoring import CheckOutcome, IndividualCheck, MonitoringRound, RoundStatus
from app.models.org import EvaluatorLink, User
from app.models.plan import Cycle
from app.services.org.operations import OrgSnapshot


class CheckError(ValueError):
    """A refused check; the message is meant for the user interface."""


def people_by_checker(cycle: Cycle) -> dict[int, list[int]]:
    """Evaluator id -> ids of the people with objectives in the cycle they evaluate (the
    Secretary General, evaluated by the Board, and the people who have left are left
    out)."""
    chain = OrgSnapshot.load(cycle.id)
    result: dict[int, list[int]] = {}
    for user_id in db.session.execute(select(ObjectiveSheet.user_id).where(
            ObjectiveSheet.cycle_id == cycle.id).order_by(ObjectiveSheet.user_id)).scalars():
        if user_id not in chain.user_unit:
            continue  # left during the year: nobody checks their objectives any more
        evaluator = chain.evaluator(user_id)
        if not evaluator.board and evaluator.user_id is not None:
            result.setdefault(evaluator.user_id, []).append(user_id)
    return result


def _candidates(snap: OrgSnapshot, checker_id: int) -> tuple[set[int], set[int]]:
    """The units whose people may be evaluated by the checker: those the checker heads
    (or the top, for a Secretary General, who evaluates whoever finds no head above, the
    people outside every unit included),
    and below them every unit without a head; a unit with its own head gives only its
    head, whose own evaluator is found above. Read from the unit tree alone."""
    children: dict[int | None, list[int]] = {}
    for unit, parent in snap.unit_parent.items():
        children.setdefault(parent, []).append(unit)
    starts = [unit for unit, head in snap.unit_head.items() if head == checker_id]
    if checker_id in snap.secretary_general:
        starts += [unit for unit in children.get(None, []) if snap.unit_head.get(unit) is None]
    units, heads, seen = set(starts), set(), set()
    stack = [child for unit in starts for child in children.get(unit, [])]
    stack += [u for u in children.get(None, []) if checker_id in snap.secretary_general]
    while stack:
        unit = stack.pop()
        if unit in seen:
            continue
        seen.add(unit)
        head = snap.unit_head.get(unit)
        if head is not None and head != checker_id:
            heads.add(head)
        else:
            units.add(unit)
            stack.extend(children.get(unit, []))
    return units, heads


def people_checked_by(cycle: Cycle, checker_id: int) -> list[User]:
    """The people with objectives in the cycle the checker evaluates: found from the
    checker's part of the unit tree and the overrides naming them, then each confirmed
    by the evaluation chain, without walking everyone's chain (a check is one task of
    a thousand in a large administration)."""
    snap = OrgSnapshot.below(cycle.id, checker_id)
    units, heads = _candidates(snap, checker_id)
    overridden = set(db.session.execute(select(EvaluatorLink.evaluatee_id).where(
        EvaluatorLink.evaluator_id == checker_id,
        EvaluatorLink.cycle_id.is_(None) | (EvaluatorLink.cycle_id == cycle.id))).scalars())
    people = list(db.session.execute(
        select(User).join(ObjectiveSheet, (ObjectiveSheet.user_id == User.id)
                          & (ObjectiveSheet.cycle_id == cycle.id))
        .where(User.active, User.unit_id.in_(units) | User.id.in_(heads | overridden)
               | (User.unit_id.is_(None) & (checker_id in snap.secretary_general)))
        .order_by(User.last_name, User.first_name)).scalars())
    snap.know({p.id: p.unit_id for p in people})
    return [p for p in people if p.id != checker_id
            and not (evaluator := snap.evaluator(p.id)).board and evaluator.user_id == checker_id]


def checks_of(row: MonitoringRound, user_ids) -> dict[int, IndividualCheck]:
    """The round's checks of these people (one evaluator's), not of the whole round: a
    round of a large administration holds tens of thousands."""
    return {c.user_id: c for c in db.session.execute(select(IndividualCheck).where(
        IndividualCheck.round_id == row.id, IndividualCheck.user_id.in_(list(user_ids)))).scalars()}


def record_checks(actor: User, row: MonitoringRound, items: list[tuple[int, str, str]]) -> int:
    """(person id, outcome, note) for every person the actor checks in this round; a
    person at risk needs the note. Returns how many are at risk."""
    if row.status != RoundStatus.OPEN.value:
        raise CheckError(_l("The round is not open."))
    cycle = db.session.get(Cycle, row.cycle_id)
    mine = {p.id for p in people_checked_by(cycle, actor.id)}
    if {user_id for user_id, _o, _n in items} != mine:
        raise CheckError(_l("Check every person you evaluate, and only them."))
    existing, at_risk = checks_of(row, mine), 0
    for user_id, outcome, note in items:
        if outcome not in {o.value for o in CheckOutcome}:
            raise CheckError(_l("Say whether the objectives are on track or at risk."))
        note = (note or "").strip() or None
        if outcome == CheckOutcome.AT_RISK.value and not note:
            raise CheckError(_l("Say why the objectives are at risk."))
        check = existing.get(user_id) or IndividualCheck(round_id=row.id, user_id=user_id)
        check.checker_id, check.outcome, check.note = actor.id, outcome, note
        db.session.add(check)
        at_risk += outcome == CheckOutcome.AT_RISK.value
    db.session.flush()
    audit.record("monitoring.individual_check", actor=actor, obj=row,
                 after={"round": row.number, "people": len(items), "at_risk": at_risk})
    return at_risk
