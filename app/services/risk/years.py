"""A year's corruption-risk section: opened on the cycle of the same year with PIAO.md's
defaults (probability and impact on 1-5, the two band sets), reconfigured by the RPCT
while it is a draft; and the risk areas with the band method each one follows."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import User
from app.models.plan import Cycle
from app.models.risk import BandMethod, RiskArea
from app.models.risk_register import RiskYear, RiskYearStatus
from app.scoring.numbers import ScoringError
from app.scoring.risk import DEFAULT_BANDS, Bands, bands_from_json, bands_to_json, check_bands
from app.services.risk.access import ensure_editor
from app.services.risk.errors import RiskError

# The areas of the national plan as the demo's chamber of commerce maps them; the older
# three-band method still applies to D, E and G.
DEFAULT_AREAS = (
    ("A", "Acquisizione e gestione del personale", BandMethod.FOUR_BANDS),
    ("B", "Contratti pubblici", BandMethod.FOUR_BANDS),
    ("C", "Provvedimenti ampliativi privi di effetto economico diretto",
     BandMethod.FOUR_BANDS),
    ("D", "Provvedimenti ampliativi con effetto economico diretto", BandMethod.THREE_BANDS),
    ("E", "Controlli, verifiche, ispezioni e sanzioni", BandMethod.THREE_BANDS),
    ("G", "Gestione del patrimonio e alienazioni", BandMethod.THREE_BANDS),
    ("H", "Incarichi e nomine", BandMethod.FOUR_BANDS),
)


def scoring_refusal(exc: ScoringError) -> RiskError:
    """A pure rule's refusal, translated for the user."""
    return RiskError(gettext(exc.template, **exc.params))


def year_of(cycle: Cycle) -> RiskYear | None:
    return db.session.execute(
        select(RiskYear).where(RiskYear.cycle_id == cycle.id)).scalar_one_or_none()


def open_year(actor: User, cycle: Cycle) -> RiskYear:
    """The cycle's risk section, created on first use with the defaults."""
    ensure_editor(actor)
    year = year_of(cycle)
    if year is not None:
        return year
    year = RiskYear(cycle_id=cycle.id, probability_max=5, impact_max=5,
                    bands={k: bands_to_json(v) for k, v in DEFAULT_BANDS.items()},
                    mid_year_due=date(cycle.year, 7, 31), year_end_due=date(cycle.year, 11, 30))
    db.session.add(year)
    db.session.flush()
    ensure_areas(cycle.administration_id)
    audit.record("risk.year.open", actor=actor, obj=year, after={"year": cycle.year})
    return year


def ensure_areas(administration_id: int) -> list[RiskArea]:
    """The administration's risk areas, the default ones created when it has none."""
    areas = areas_of(administration_id)
    if areas:
        return areas
    for position, (code, name, method) in enumerate(DEFAULT_AREAS):
        db.session.add(RiskArea(administration_id=administration_id, code=code, name=name,
                                method=method.value, position=position))
    db.session.flush()
    return areas_of(administration_id)


def areas_of(administration_id: int) -> list[RiskArea]:
    return list(db.session.execute(
        select(RiskArea).where(RiskArea.administration_id == administration_id)
        .order_by(RiskArea.position, RiskArea.code)).scalars())


def ensure_draft(year: RiskYear) -> None:
    if year.status != RiskYearStatus.DRAFT.value:
        raise RiskError(_l("The Board adopted this year's register: it can no longer change."))


def bands(year: RiskYear, method: str) -> Bands:
    return bands_from_json(year.bands[method])


def configure(actor: User, year: RiskYear, probability_max: int, impact_max: int,
              method_bands: dict[str, Bands]) -> None:
    """New scales and bands for a draft year; the levels of its items are recomputed."""
    from app.services.risk.register import recompute_levels

    ensure_editor(actor)
    ensure_draft(year)
    if not (2 <= probability_max <= 10 and 2 <= impact_max <= 10):
        raise RiskError(_l("Each scale goes from 1 to a maximum between 2 and 10."))
    highest = Decimal(probability_max * impact_max)
    try:
        for method in BandMethod:
            check_bands(method_bands[method.value], highest)
    except ScoringError as exc:
        raise scoring_refusal(exc) from exc
    before = {"probability_max": year.probability_max, "impact_max": year.impact_max,
              "bands": year.bands}
    year.probability_max, year.impact_max = probability_max, impact_max
    year.bands = {m.value: bands_to_json(method_bands[m.value]) for m in BandMethod}
    recompute_levels(year)
    audit.record("risk.year.configure", actor=actor, obj=year, before=before,
                 after={"probability_max": probability_max, "impact_max": impact_max,
                        "bands": year.bands})


def save_area(actor: User, administration_id: int, code: str, name: str, method: str) -> RiskArea:
    """Add a risk area, or change the name and band method of the area with that code."""
    ensure_editor(actor)
    code, name = (code or "").strip().upper(), (name or "").strip()
    if not code or not name or method not in {m.value for m in BandMethod}:
        raise RiskError(_l("Give the area's code, its name and its band method."))
    area = next((a for a in areas_of(administration_id) if a.code == code), None)
    before = {"name": area.name, "method": area.method} if area else None
    if area is None:
        area = RiskArea(administration_id=administration_id, code=code,
                        position=len(areas_of(administration_id)))
        db.session.add(area)
    area.name, area.method = name, method
    db.session.flush()
    audit.record("risk.area.save", actor=actor, obj=area, before=before,
                 after={"code": code, "name": name, "method": method})
    return area
