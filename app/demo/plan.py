"""Deterministic demo plan 2022 for the demo administration, built through the same
services the screens use: three strategic areas, nine strategic objectives, 22
operational objectives owned by the demo sectors, 63 indicators of every direction,
unit and method (thresholds, lower-is-better, deadlines, yes/no), July monitoring values,
year-end actuals, one neutralised indicator, a revision (Rev. 1) after monitoring, and
individual objectives for every member of staff."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.formats.values import parse_value
from app.models.org import Administration, OrgUnit, Role, User, UserRole
from app.models.plan import Cycle, Indicator, Objective
from app.services.plan import individual
from app.services.plan import operations as plan_service
from app.services.plan.adoption import (
    Deliberation,
    OivOpinion,
    approve_plan,
    approve_revision,
    create_revision,
    record_oiv_opinion,
)
from app.services.plan.cycles import create_cycle, cycle_by_year
from app.services.plan.fields import AreaData, IndicatorData, ObjectiveData
from app.services.plan.measurement import neutralise, record_actual, record_monitoring
from app.services.plan.operations import INDICATOR_FIELDS

YEAR = 2022

AREAS = [
    ("AS1", "Competitività delle imprese e del territorio", "40"),
    ("AS2", "Regolazione del mercato e semplificazione", "30"),
    ("AS3", "Ente efficiente, trasparente e sostenibile", "30"),
]

# Strategic objectives: (area, code, title, owner area, weight, mission, programme, budget,
# operational objectives). Operational: (code, title, owner sector, weight, indicators).
# Indicators: (name, type, unit, direction, target, threshold, weight, method,
# July value, year-end actual), values written as people write them.
OBJECTIVES = [
    ("AS1", "OS1.1", "Trasformazione digitale delle imprese", "A1", "15", "011", "011.005",
     "420.000", [
         ("OP1.1-01", "Punto Impresa Digitale: assessment e formazione", "A1.3", "40", [
             ("Assessment della maturità digitale realizzati", "volume", "number", ">=", "60", "40", "40", None, "32", "71"),
             ("Eventi di formazione sul digitale", "volume", "number", ">=", "12", "", "30", "ratio", "7", "14"),
             ("Soddisfazione dei partecipanti (scala 1-10)", "quality", "number", ">=", "7,5", "6", "30", None, "7,8", "7,1"),
         ]),
         ("OP1.1-02", "Identità digitale e firma digitale", "A1.3", "30", [
             ("Dispositivi di firma digitale rilasciati", "volume", "number", ">=", "4.000", "3.000", "40", None, "2.150", "4.230"),
             ("Tempo medio di rilascio dell'identità digitale", "efficiency", "days", "<=", "3", "6", "40", None, "4", "4"),
             ("Dispositivi in scadenza rinnovati", "effectiveness", "percent", ">=", "70%", "60%", "20", None, "58%", "66%"),
         ]),
         ("OP1.1-03", "Fascicolo d'impresa e servizi online", "A1.3", "30", [
             ("Fascicoli d'impresa consultabili online", "volume", "percent", ">=", "85%", "70%", "50", None, "76%", "88%"),
             ("Servizi certificativi erogati online / totale", "efficiency", "percent", ">=", "60%", "", "50", "ratio", "51%", "57%"),
         ]),
     ]),
    ("AS1", "OS1.2", "Internazionalizzazione delle PMI", "A2", "15", "016", "016.005", "610.000", [
        ("OP1.2-01", "Orientamento all'export", "A2.1", "40", [
            ("Imprese assistite nei percorsi di export", "volume", "number", ">=", "150", "100", "40", None, "88", "162"),
            ("Imprese avviate su mercati esteri / imprese assistite", "effectiveness", "percent", ">=", "30%", "20%", "30", None, "24%", "27%"),
            ("Grado di utilizzo delle risorse stanziate", "economic_health", "percent", ">=", "80%", "", "30", "ratio", "45%", "74%"),
        ]),
        ("OP1.2-02", "Certificazioni per l'estero", "A2.1", "30", [
            ("Certificati di origine rilasciati entro 2 giorni", "quality", "percent", ">=", "95%", "85%", "50", None, "96%", "97,2%"),
            ("Tempo medio di rilascio dei carnet ATA", "efficiency", "days", "<=", "2", "5", "30", None, "2", "2,5"),
            ("Certificati stampati in azienda / totale", "efficiency", "percent", ">=", "40%", "25%", "20", None, "37%", "44%"),
        ]),
        ("OP1.2-03", "Contributi alle imprese per l'internazionalizzazione", "A2.1", "30", [
            ("Bando pubblicato entro il 31 marzo", "efficiency", "date", "<=", "31/03/2022", "", "30", None, "29/03/2022", "29/03/2022"),
            ("Domande istruite entro 60 giorni", "efficiency", "percent", ">=", "90%", "75%", "40", None, "81%", "92%"),
            ("Contributi liquidati (EUR)", "economic_health", "eur", ">=", "350.000", "250.000", "30", None, "120.000", "331.500"),
        ]),
    ]),
    ("AS1", "OS1.3", "Attrattività del territorio e turismo", "A2", "10", "011", "011.005", "180.000", [
        ("OP1.3-01", "Valorizzazione turistica del territorio", "A2.1", "50", [
            ("Iniziative di promozione del territorio", "volume", "number", ">=", "6", "", "40", None, "3", "6"),
            ("Imprese coinvolte nelle iniziative", "volume", "number", ">=", "80", "", "30", "ratio", "35", "76"),
            ("Grado di utilizzo delle risorse del progetto", "economic_health", "percent", ">=", "80%", "", "30", "ratio", "38%", "79%"),
        ]),
        ("OP1.3-02", "Osservatorio sull'economia locale", "A2.1", "50", [
            ("Rapporto annuale sull'economia pubblicato", "outcome", "date", "<=", "30/06/2022", "", "40", None, "21/06/2022", "21/06/2022"),
            ("Note congiunturali trimestrali pubblicate", "volume", "number", "=", "4", "", "40", None, "2", "4"),
            ("Banche dati economiche aggiornate sul sito", "quality", "boolean", "=", "si", "", "20", "boolean", "no", "si"),
        ]),
    ]),
    ("AS2", "OS2.1", "Registro delle imprese efficiente e semplificato", "A1", "12", "012", "012.004", "95.000", [
        ("OP2.1-01", "Tempi di evasione delle pratiche", "A1.1", "40", [
            ("Pratiche evase entro 5 giorni", "efficiency", "percent", ">=", "90%", "70%", "40", None, "88%", "85%"),
            ("Tempo medio di evasione delle pratiche", "efficiency", "days", "<=", "5", "9", "40", None, "6", "6"),
            ("Pratiche telematiche / pratiche presentate", "efficiency", "percent", ">=", "98%", "95%", "20", None, "98,4%", "98,9%"),
        ]),
        ("OP2.1-02", "Qualità dei dati del Registro", "A1.1", "30", [
            ("Cancellazioni d'ufficio di imprese non operative", "volume", "number", ">=", "1.200", "800", "40", None, "640", "1.310"),
            ("Pratiche sospese / pratiche presentate", "quality", "percent", "<=", "12%", "20%", "40", None, "14%", "13%"),
            ("Bilanci depositati verificati", "volume", "number", ">=", "2.500", "2.000", "20", None, "1.100", "2.640"),
        ]),
        ("OP2.1-03", "Albo artigiani e ruoli", "A1.2", "30", [
            ("Iscrizioni all'Albo evase entro 30 giorni", "efficiency", "percent", ">=", "95%", "80%", "40", None, "93%", "96%"),
            ("Revisione dei ruoli dei periti ed esperti completata", "quality", "boolean", "=", "si", "", "30", "boolean", "no", "si"),
            ("Tempo medio di iscrizione all'Albo", "efficiency", "days", "<=", "15", "25", "30", None, "17", "18"),
        ]),
    ]),
    ("AS2", "OS2.2", "Tutela del consumatore e vigilanza", "A2", "10", "012", "012.004", "130.000", [
        ("OP2.2-01", "Vigilanza sui prodotti e metrologia", "A2.3", "50", [
            ("Ispezioni di vigilanza sui prodotti", "volume", "number", ">=", "120", "80", "40", None, "58", "131"),
            ("Verifiche metrologiche su strumenti di misura", "volume", "number", ">=", "900", "600", "40", None, "420", "780"),
            ("Campagna di vigilanza conclusa", "efficiency", "date", "<=", "31/10/2022", "", "20", None, "", "27/10/2022"),
        ]),
        ("OP2.2-02", "Sanzioni, protesti e prezzi", "A2.2", "50", [
            ("Ordinanze sanzionatorie emesse nell'anno", "efficiency", "percent", ">=", "80%", "60%", "40", None, "55%", "82%"),
            ("Tempo medio di cancellazione dei protesti", "efficiency", "days", "<=", "10", "20", "30", None, "12", "8"),
            ("Rilevazioni dei prezzi pubblicate entro il 15 del mese", "quality", "percent", ">=", "100%", "", "30", None, "100%", "100%"),
        ]),
    ]),
    ("AS2", "OS2.3", "Giustizia alternativa", "A2", "8", "012", "012.004", "40.000", [
        ("OP2.3-01", "Mediazione e arbitrato", "A2.2", "100", [
            ("Mediazioni concluse con accordo / mediazioni svolte", "outcome", "percent", ">=", "35%", "25%", "50", None, "31%", "33%"),
            ("Durata media delle mediazioni", "efficiency", "days", "<=", "60", "90", "30", None, "66", "70"),
            ("Evento di promozione della mediazione realizzato", "volume", "boolean", "=", "si", "", "20", "boolean", "si", "si"),
        ]),
    ]),
    ("AS3", "OS3.1", "Salute economico-finanziaria", "A3", "10", "032", "032.003", "", [
        ("OP3.1-01", "Riscossione del diritto annuale", "A3.1", "40", [
            ("Tasso di riscossione spontanea del diritto annuale", "economic_health", "percent", ">=", "75%", "65%", "60", None, "58%", "73%"),
            ("Ruolo esattoriale emesso", "efficiency", "date", "<=", "30/11/2022", "", "40", None, "", "28/11/2022"),
        ]),
        ("OP3.1-02", "Tempestività dei pagamenti", "A3.1", "30", [
            ("Indicatore di tempestività dei pagamenti (giorni)", "efficiency", "days", "<=", "0", "15", "40", None, "-3", "-5"),
            ("Fatture pagate entro 30 giorni", "efficiency", "percent", ">=", "95%", "85%", "40", None, "93%", "96%"),
            ("Debito commerciale residuo a fine anno (EUR)", "economic_health", "eur", "<=", "50.000", "100.000", "20", None, "88.000", "61.250"),
        ]),
        ("OP3.1-03", "Acquisti e patrimonio", "A3.2", "30", [
            ("Acquisti in convenzione o sul MePA / totale acquisti", "efficiency", "percent", ">=", "90%", "75%", "40", None, "88%", "92%"),
            ("Costi di funzionamento (EUR)", "economic_health", "eur", "<=", "2.450.000", "2.700.000", "40", None, "1.210.000", "2.512.300"),
            ("Programma triennale dei lavori approvato", "efficiency", "date", "<=", "31/03/2022", "", "20", None, "28/03/2022", "28/03/2022"),
        ]),
    ]),
    ("AS3", "OS3.2", "Valorizzazione delle persone e benessere organizzativo", "A4", "10", "032", "032.003", "85.000", [
        ("OP3.2-01", "Formazione del personale", "A4.1", "40", [
            ("Ore medie di formazione per dipendente", "quality", "number", ">=", "24", "", "50", "ratio", "11", "26"),
            ("Dipendenti formati nell'anno", "effectiveness", "percent", ">=", "90%", "70%", "50", None, "64%", "91%"),
        ]),
        ("OP3.2-02", "Lavoro agile e benessere", "A4.1", "30", [
            ("Indagine sul benessere organizzativo svolta", "quality", "date", "<=", "30/10/2022", "", "40", None, "", "14/11/2022"),
            ("Tasso di assenza del personale", "efficiency", "percent", "<=", "8%", "12%", "30", None, "9,1%", "8,5%"),
            ("Postazioni attrezzate per il lavoro agile", "volume", "number", ">=", "60", "40", "30", None, "52", "64"),
        ]),
        ("OP3.2-03", "Piano dei fabbisogni di personale", "A4.1", "30", [
            ("Piano dei fabbisogni approvato", "efficiency", "date", "<=", "28/02/2022", "", "40", None, "24/02/2022", "24/02/2022"),
            ("Assunzioni programmate realizzate", "effectiveness", "percent", ">=", "80%", "50%", "40", None, "40%", "75%"),
            ("Progressioni economiche concluse", "efficiency", "boolean", "=", "si", "", "20", "boolean", "no", "si"),
        ]),
    ]),
    ("AS3", "OS3.3", "Trasparenza, integrità e comunicazione", "A4", "10", "032", "032.003", "60.000", [
        ("OP3.3-01", "Trasparenza e prevenzione della corruzione", "A4.2", "60", [
            ("Obblighi di pubblicazione assolti (griglia OIV)", "quality", "percent", ">=", "95%", "80%", "40", None, "92%", "97%"),
            ("Giornata della trasparenza realizzata", "outcome", "date", "<=", "30/11/2022", "", "30", None, "", "14/11/2022"),
            ("Misure del piano anticorruzione attuate", "effectiveness", "percent", ">=", "100%", "80%", "30", None, "70%", "95%"),
        ]),
        ("OP3.3-02", "Comunicazione istituzionale", "A4.2", "40", [
            ("Utenti unici del sito istituzionale", "outcome", "number", ">=", "250.000", "", "40", "ratio", "131.000", "243.512"),
            ("Comunicati stampa pubblicati", "volume", "number", ">=", "60", "", "30", "ratio", "34", "57"),
            ("Soddisfazione degli utenti (scala 1-10)", "quality", "number", ">=", "7,5", "6,5", "30", None, "", ""),
        ]),
    ]),
]
NEUTRALISED = ("OP3.3-02.3", ("L'indagine di customer satisfaction non si è svolta: il "
                              "fornitore ha rinunciato e la gara è andata deserta."))
# Rev. 1 (September): the support unit lowers a target no longer realistic.
REVISION = ("OP1.2-01.2", "25%", ("Il calo della domanda estera dopo la crisi energetica "
                                  "rende irrealistico il target del 30%."))
DELIBERATIONS = {"plan": ("12", date(2022, 1, 27)), "revision": ("98", date(2022, 9, 29))}
OIV_OPINION = ("Parere OIV n. 4/2022", date(2022, 9, 20))


def _dec(text: str) -> Decimal:
    return parse_value(text, "number")


def _first_with(role: Role) -> User:
    return db.session.execute(
        select(User).join(UserRole).where(User.is_demo, UserRole.role == role.value)
        .order_by(User.id).limit(1)
    ).scalar_one()


def load(administration: Administration) -> Cycle:
    """Create the demo cycle 2022 with its plan; running it twice changes nothing."""
    existing = cycle_by_year(administration.id, YEAR)
    if existing is not None:
        return existing
    support, board, oiv = (_first_with(role) for role in (Role.SUPPORT_UNIT, Role.BOARD, Role.OIV))
    units = {u.code: u for u in db.session.execute(
        select(OrgUnit).where(OrgUnit.administration_id == administration.id)).scalars()}
    cycle = create_cycle(support, administration.id, YEAR)
    _build(support, cycle, units)
    approve_plan(board, cycle, Deliberation(*DELIBERATIONS["plan"]))
    _measure(support, cycle, "monitoring")
    _revise(support, oiv, board, cycle)
    _measure(support, cycle, "actual")
    _assign_individual_objectives(support, cycle, units)
    return cycle


def _build(actor: User, cycle: Cycle, units: dict[str, OrgUnit]) -> None:
    areas = {}
    for code, title, weight in AREAS:
        areas[code] = plan_service.save_area(actor, cycle, AreaData(
            code=code, title=title, weight=_dec(weight)))
    for area, code, title, owner, weight, mission, programme, budget, children in OBJECTIVES:
        strategic = plan_service.save_objective(actor, cycle, ObjectiveData(
            level="strategic", code=code, title=title, area_id=areas[area].id,
            owner_unit_id=units[owner].id, weight=_dec(weight), mission_code=mission,
            programme_code=programme, budget=_dec(budget) if budget else None))
        for op_code, op_title, sector, op_weight, indicators in children:
            operational = plan_service.save_objective(actor, cycle, ObjectiveData(
                level="operational", code=op_code, title=op_title, parent_id=strategic.id,
                owner_unit_id=units[sector].id, weight=_dec(op_weight), mission_code=mission,
                programme_code=programme))
            for n, row in enumerate(indicators, start=1):
                name, kind, unit, direction, target, threshold, i_weight, method = row[:8]
                plan_service.save_indicator(actor, operational, IndicatorData(
                    code=f"{op_code}.{n}", name=name, type=kind, unit=unit, direction=direction,
                    target=parse_value(target, unit), threshold=parse_value(threshold, unit),
                    weight=_dec(i_weight), method=method,
                    data_source="Sistema informativo camerale" if n == 1 else None))


def _indicators(cycle: Cycle) -> dict[str, tuple[Indicator, tuple]]:
    rows = {f"{op[0]}.{n}": row for s in OBJECTIVES for op in s[8]
            for n, row in enumerate(op[4], start=1)}
    found = db.session.execute(
        select(Indicator).where(Indicator.plan_id == cycle.plan.id)).scalars()
    return {i.code: (i, rows[i.code]) for i in found}


def _measure(actor: User, cycle: Cycle, what: str) -> None:
    for code, (indicator, row) in sorted(_indicators(cycle).items()):
        monitoring, actual = row[8], row[9]
        if what == "monitoring" and monitoring:
            at_risk = code == REVISION[0]
            record_monitoring(
                actor, indicator, parse_value(monitoring, indicator.unit),
                forecast=parse_value(actual, indicator.unit) if actual else None,
                at_risk=at_risk, note=REVISION[2] if at_risk else None)
        elif what == "actual" and code == NEUTRALISED[0]:
            neutralise(actor, indicator, NEUTRALISED[1])
        elif what == "actual" and actual:
            record_actual(actor, indicator, parse_value(actual, indicator.unit))


def _revise(support: User, oiv: User, board: User, cycle: Cycle) -> None:
    code, target, reason = REVISION
    create_revision(support, cycle, reason)
    indicator, _row = _indicators(cycle)[code]
    data = IndicatorData(**{
        name: getattr(indicator, name) for name in INDICATOR_FIELDS})
    data.target = parse_value(target, indicator.unit)
    plan_service.save_indicator(support, indicator.objective, data, indicator)
    record_oiv_opinion(oiv, cycle, OivOpinion(*OIV_OPINION, True))
    approve_revision(board, cycle, Deliberation(*DELIBERATIONS["revision"]))


# Individual objectives: the first tied to an operational objective of the person's unit
# (or area), then the same behaviours for everyone in a category.
BEHAVIOURS = {
    "DIR": "Guida e motivazione dei collaboratori, integrazione tra le aree, decisioni tempestive",
    "D": "Autonomia organizzativa, coordinamento del gruppo, soluzione dei problemi",
}
DEFAULT_BEHAVIOURS = "Collaborazione con i colleghi, orientamento all'utenza, precisione"


def _assign_individual_objectives(actor: User, cycle: Cycle, units: dict[str, OrgUnit]) -> None:
    owned: dict[int, list[Objective]] = {}
    for objective in cycle.plan.objectives:
        if not objective.is_strategic and objective.owner_unit_id is not None:
            owned.setdefault(objective.owner_unit_id, []).append(objective)
    staff = db.session.execute(
        select(User).where(User.is_demo, User.unit_id.is_not(None)).order_by(User.id)
    ).scalars().all()
    for n, person in enumerate(staff):
        individual.set_individual_objectives(actor, cycle, person,
                                             _objectives_for(person, n, owned))


def _objectives_for(person: User, n: int, owned) -> list[individual.IndividualObjectiveData]:
    unit = person.unit
    candidates = owned.get(unit.id) or [o for child in unit.children for o in owned.get(child.id, [])]
    if not candidates:
        candidates = [o for objectives in owned.values() for o in objectives]
    first = candidates[n % len(candidates)]
    others = [o for o in candidates if o.id != first.id] or [
        o for objectives in owned.values() for o in objectives if o.id != first.id]
    second = others[n % len(others)]  # never the same objective twice for one person
    behaviours = BEHAVIOURS.get(person.category, DEFAULT_BEHAVIOURS)
    return [
        individual.IndividualObjectiveData(
            title=f"Contributo a: {first.title}", weight=Decimal(50), objective_id=first.id,
            actions=f"Realizzare le attività di competenza per {first.code}",
            behaviours=behaviours, measures=f"Indicatori di {first.code}"),
        individual.IndividualObjectiveData(
            title=f"Contributo a: {second.title}", weight=Decimal(30),
            objective_id=second.id, actions=f"Supportare le attività di {second.code}",
            behaviours=behaviours, measures=f"Indicatori di {second.code}"),
        individual.IndividualObjectiveData(
            title="Qualità del servizio e aggiornamento professionale", weight=Decimal(20),
            actions="Partecipare alla formazione prevista e ridurre le pratiche respinte",
            behaviours=behaviours, measures="Ore di formazione; reclami ricevuti"),
    ]
