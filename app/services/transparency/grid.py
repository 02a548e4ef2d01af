"""The grid of publication obligations: section, obligation, legal reference, who
prepares, who publishes, how often, when last published. A default grid (the usual
obligations of D.Lgs. 33/2013) is shipped; the administration edits it.

An obligation's next update falls due one period after its last publication (timely
obligations are checked every month); one never published is due at once. It is late
the day after it falls due:

    next_due(date(2022, 1, 15), "quarterly") -> 15/04/2022
    next_due(None, "yearly", today=date(2022, 5, 2)) -> 02/05/2022
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models.org import OrgUnit, Role, User
from app.models.transparency import Frequency, Obligation
from app.services.org.permissions import require_role
from app.services.risk.errors import RiskError

EDITORS = (Role.RPCT, Role.ADMIN, Role.SUPPORT_UNIT)
_MONTHS = {Frequency.TIMELY.value: 1, Frequency.QUARTERLY.value: 3,
           Frequency.HALF_YEARLY.value: 6, Frequency.YEARLY.value: 12}

# (code, section, obligation, legal reference, preparing unit, frequency)
DEFAULT_GRID = (
    ("DG01", "Disposizioni generali", "Piano integrato di attività e organizzazione (PIAO)",
     "art. 10, c. 8, lett. a), d.lgs. 33/2013", "A4.2", "yearly"),
    ("DG02", "Disposizioni generali", "Atti generali: statuto e regolamenti",
     "art. 12, d.lgs. 33/2013", "A4.2", "timely"),
    ("OR01", "Organizzazione", "Titolari di incarichi politici e di governo",
     "art. 14, d.lgs. 33/2013", "A4.2", "timely"),
    ("OR02", "Organizzazione", "Articolazione degli uffici e organigramma",
     "art. 13, d.lgs. 33/2013", "A4.1", "timely"),
    ("CC01", "Consulenti e collaboratori", "Incarichi di collaborazione e consulenza",
     "art. 15, d.lgs. 33/2013", "A4.2", "timely"),
    ("PE01", "Personale", "Incarichi dirigenziali e dichiarazioni di insussistenza",
     "art. 14 e art. 20, d.lgs. 39/2013", "A4.1", "yearly"),
    ("PE02", "Personale", "Tassi di assenza del personale", "art. 16, c. 3, d.lgs. 33/2013",
     "A4.1", "quarterly"),
    ("BC01", "Bandi di concorso", "Bandi di concorso e criteri di valutazione",
     "art. 19, d.lgs. 33/2013", "A4.1", "timely"),
    ("PF01", "Performance", "Relazione sulla performance e premi",
     "art. 10 e art. 20, d.lgs. 33/2013", "A4.2", "yearly"),
    ("GC01", "Bandi di gara e contratti", "Atti delle procedure di affidamento",
     "art. 37, d.lgs. 33/2013; art. 29, d.lgs. 50/2016", "A3.2", "timely"),
    ("SC01", "Sovvenzioni, contributi, sussidi", "Atti di concessione",
     "art. 26 e art. 27, d.lgs. 33/2013", "A2.1", "timely"),
    ("BI01", "Bilanci", "Bilancio preventivo e consuntivo", "art. 29, d.lgs. 33/2013",
     "A3.1", "yearly"),
    ("PA01", "Pagamenti dell'amministrazione", "Indicatore di tempestività dei pagamenti",
     "art. 33, d.lgs. 33/2013", "A3.1", "quarterly"),
    ("SE01", "Servizi erogati", "Costi contabilizzati e tempi medi di erogazione",
     "art. 32, d.lgs. 33/2013", "A1.1", "yearly"),
    ("CR01", "Altri contenuti", "Relazione annuale del RPCT",
     "art. 1, c. 14, l. 190/2012", "A4.2", "yearly"),
    ("CR02", "Altri contenuti", "Accesso civico: modalità e registro degli accessi",
     "art. 5, d.lgs. 33/2013", "A4.2", "half_yearly"),
)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(last_published: date | None, frequency: str, today: date | None = None) -> date:
    if last_published is None:
        return today or date.today()
    return _add_months(last_published, _MONTHS[frequency])


def is_late(obligation: Obligation, today: date) -> bool:
    return obligation.active and next_due(obligation.last_published, obligation.frequency,
                                          today) < today


def grid(administration_id: int) -> list[Obligation]:
    return list(db.session.execute(select(Obligation).where(
        Obligation.administration_id == administration_id)
        .order_by(Obligation.section, Obligation.code)).scalars())


def late(administration_id: int, today: date) -> list[Obligation]:
    return [o for o in grid(administration_id) if is_late(o, today)]


def ensure_default_grid(administration_id: int) -> list[Obligation]:
    """The administration's grid, the default one created when it has none (units by code,
    left blank where the administration has no unit of that code)."""
    if grid(administration_id):
        return grid(administration_id)
    units = {u.code: u.id for u in db.session.execute(select(OrgUnit).where(
        OrgUnit.administration_id == administration_id)).scalars()}
    publisher = units.get("A4.2")
    for code, section, title, reference, unit, frequency in DEFAULT_GRID:
        db.session.add(Obligation(
            administration_id=administration_id, code=code, section=section, title=title,
            legal_reference=reference, preparer_unit_id=units.get(unit),
            publisher_unit_id=publisher, frequency=frequency))
    db.session.flush()
    return grid(administration_id)


@dataclass(frozen=True)
class ObligationData:
    code: str
    section: str
    title: str
    legal_reference: str
    preparer_unit_id: int | None
    publisher_unit_id: int | None
    frequency: str
    active: bool = True


def save_obligation(actor: User, administration_id: int, data: ObligationData,
                    obligation: Obligation | None = None) -> Obligation:
    require_role(actor, *EDITORS)
    if not (data.code.strip() and data.section.strip() and data.title.strip()):
        raise RiskError(_l("Give the code, the section and the obligation."))
    if data.frequency not in _MONTHS:
        raise RiskError(_l("Choose how often the obligation is updated."))
    clash = db.session.execute(select(Obligation.id).where(
        Obligation.administration_id == administration_id,
        Obligation.code == data.code.strip())).scalar()
    if clash is not None and (obligation is None or clash != obligation.id):
        raise RiskError(_l("Another obligation has the code %(code)s.", code=data.code))
    if obligation is None:
        obligation = Obligation(administration_id=administration_id)
        db.session.add(obligation)
    obligation.code, obligation.section = data.code.strip(), data.section.strip()
    obligation.title, obligation.legal_reference = data.title.strip(), data.legal_reference.strip()
    obligation.preparer_unit_id, obligation.publisher_unit_id = (data.preparer_unit_id,
                                                                 data.publisher_unit_id)
    obligation.frequency, obligation.active = data.frequency, data.active
    db.session.flush()
    audit.record("transparency.obligation.save", actor=actor, obj=obligation,
                 after={"code": obligation.code, "frequency": obligation.frequency,
                        "preparer_unit_id": obligation.preparer_unit_id})
    return obligation


def record_publication(actor: User, obligation: Obligation, published_on: date,
                       today: date) -> None:
    """The obligation's content was (re)published on that day."""
    if published_on > today:
        raise RiskError(_l("The publication date cannot be in the future."))
    before = obligation.last_published
    obligation.last_published = published_on
    audit.record("transparency.obligation.published", actor=actor, obj=obligation,
                 before={"last_published": before}, after={"last_published": published_on})
