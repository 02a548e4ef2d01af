"""Risk items of a year's register: each one a risk event on a process of the map (or
one of its phases), with enabling factors, analysis, probability and impact, the level
they give and a written judgement; the band follows the method of the process's area
and the year's configuration (app.scoring.risk). Read as a heat map (probability x
impact) and as the register sorted by level, per unit and area."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import User
from app.models.risk import MappedProcess, ProcessPhase
from app.models.risk_register import RiskItem, RiskYear
from app.scoring.numbers import ScoringError
from app.scoring.risk import band_of, risk_level
from app.services.risk.access import ensure_editor
from app.services.risk.errors import RiskError
from app.services.risk.years import bands, ensure_draft, scoring_refusal


@dataclass(frozen=True)
class ItemData:
    code: str
    process_id: int
    phase_id: int | None
    event: str
    factors: str | None
    analysis: str | None
    probability: int
    impact: int
    judgement: str | None


def band(item: RiskItem) -> str:
    """The item's band by its area's method in its year's configuration."""
    return band_of(item.level, bands(item.year, item.process.area.method))


def level_of(year: RiskYear, probability: int, impact: int) -> Decimal:
    try:
        return risk_level(probability, impact, year.probability_max, year.impact_max)
    except ScoringError as exc:
        raise scoring_refusal(exc) from exc


def item_problems(year: RiskYear, data: ItemData, item: RiskItem | None = None) -> list[str]:
    """What stops the data from being saved in the year's register (empty: nothing)."""
    problems = []
    if not data.code.strip():
        problems.append(str(_l("Give the code of the risk.")))
    else:
        clash = db.session.execute(select(RiskItem.id).where(
            RiskItem.year_id == year.id, RiskItem.code == data.code.strip())).scalar()
        if clash is not None and (item is None or clash != item.id):
            problems.append(str(_l("Another risk has the code %(code)s.", code=data.code)))
    if not data.event.strip():
        problems.append(str(_l("Describe the risk event.")))
    process = db.session.get(MappedProcess, data.process_id)
    if process is None or process.administration_id != year.cycle.administration_id:
        problems.append(str(_l("Choose a process of the process map.")))
    elif data.phase_id is not None:
        phase = db.session.get(ProcessPhase, data.phase_id)
        if phase is None or phase.process_id != process.id:
            problems.append(str(_l("The phase is not a phase of the chosen process.")))
    try:
        level_of(year, data.probability, data.impact)
    except RiskError as exc:
        problems.extend(exc.messages)
    return problems


def _values(item: RiskItem) -> dict:
    return {"code": item.code, "process_id": item.process_id, "phase_id": item.phase_id,
            "event": item.event, "factors": item.factors, "analysis": item.analysis,
            "probability": item.probability, "impact": item.impact, "level": item.level,
            "judgement": item.judgement}


def apply(item: RiskItem, year: RiskYear, data: ItemData) -> None:
    """Write checked data into an item (no audit: the callers record what changed)."""
    item.code, item.process_id, item.phase_id = data.code.strip(), data.process_id, data.phase_id
    item.event, item.factors = data.event.strip(), (data.factors or "").strip() or None
    item.analysis = (data.analysis or "").strip() or None
    item.judgement = (data.judgement or "").strip() or None
    item.probability, item.impact = data.probability, data.impact
    item.level = level_of(year, data.probability, data.impact)


def save_item(actor: User, year: RiskYear, data: ItemData,
              item: RiskItem | None = None) -> RiskItem:
    """Create (item None) or change a risk item of a draft year."""
    ensure_editor(actor)
    ensure_draft(year)
    problems = item_problems(year, data, item)
    if problems:
        raise RiskError(problems)
    before = _values(item) if item is not None else None
    if item is None:
        item = RiskItem(year_id=year.id)
        db.session.add(item)
    apply(item, year, data)
    db.session.flush()
    audit.record("risk.item.save", actor=actor, obj=item, before=before, after=_values(item))
    return item


def delete_item(actor: User, item: RiskItem) -> None:
    ensure_editor(actor)
    ensure_draft(item.year)
    audit.record("risk.item.delete", actor=actor, obj=item, before=_values(item))
    db.session.delete(item)
    db.session.flush()


def recompute_levels(year: RiskYear) -> None:
    """After the scales changed: every item's level again (refused if one no longer fits)."""
    for item in year.items:
        item.level = level_of(year, item.probability, item.impact)


def items(year: RiskYear, unit_id: int | None = None, area_id: int | None = None) -> list[RiskItem]:
    """The year's register by level, highest first, optionally for one unit or area."""
    stmt = (select(RiskItem).join(MappedProcess, RiskItem.process_id == MappedProcess.id)
            .where(RiskItem.year_id == year.id)
            .order_by(RiskItem.level.desc(), RiskItem.code))
    if unit_id is not None:
        stmt = stmt.where(MappedProcess.unit_id == unit_id)
    if area_id is not None:
        stmt = stmt.where(MappedProcess.area_id == area_id)
    return list(db.session.execute(stmt).scalars())


@dataclass(frozen=True)
class HeatMap:
    """How many items sit in each (probability, impact) cell; rows from the highest
    probability down, as the map is drawn."""

    probabilities: list[int]
    impacts: list[int]
    counts: Counter

    def count(self, probability: int, impact: int) -> int:
        return self.counts[(probability, impact)]


def heat_map(year: RiskYear, rows: list[RiskItem]) -> HeatMap:
    return HeatMap(list(range(year.probability_max, 0, -1)),
                   list(range(1, year.impact_max + 1)),
                   Counter((i.probability, i.impact) for i in rows))


def band_counts(rows: list[RiskItem]) -> Counter:
    return Counter(band(i) for i in rows)
