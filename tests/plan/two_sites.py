"""A two-site plan in the shape of Alessandria-Asti 2020 (DOMAIN "Other administrations'
rules"): Asti is the subtree of unit A1, Alessandria that of A2, each with its own tree
and system. Asti: the preset (areas 60/40, strategic objectives weighted within their
area, 40% KPIs + 60% unweighted operational objectives). Alessandria: the preset with
the operational objectives' mean as one KPI of the strategic objective (weight 60,
target >= 80) beside "events organised" (weight 40), and its own matrix."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.org import OrgUnit
from app.services.plan import unit_systems
from app.services.plan.imports import import_plan
from app.services.plan.presets import preset

HEADER = ("codice_area;area_strategica;peso_area;codice_os;obiettivo_strategico;struttura_os;"
          "peso_os;codice_op;obiettivo_operativo;struttura;peso_op;codice_indicatore;indicatore;"
          "unita_di_misura;verso;target;soglia;peso;origine_valore;consuntivo\n")
ROWS = [
    # Asti, area AT1 (60): OS-AT1 = 0,4 x K1 + 0,6 x mean(OP-AT1A, OP-AT1B)
    "AT1;Asti imprese;60;OSAT1;Digitale Asti;A1;100;;;;;KAT1;Pratiche;%;>=;90%;70%;100;;85%",
    ("AT1;Asti imprese;60;OSAT1;Digitale Asti;A1;100;OPAT1A;Registro;A1.1;;IAT1A;Evase;%;>=;90%;"
    "70%;100;;80%"),
    ("AT1;Asti imprese;60;OSAT1;Digitale Asti;A1;100;OPAT1B;Albo;A1.2;;IAT1B;Evase;%;>=;90%;70%;"
    "100;;80%"),
    # Asti, area AT2 (40): OS-AT2 = 0,4 x 100 + 0,6 x 100
    "AT2;Asti servizi;40;OSAT2;Servizi Asti;A1;100;;;;;KAT2;Qualità;%;>=;90%;70%;100;;95%",
    ("AT2;Asti servizi;40;OSAT2;Servizi Asti;A1;100;OPAT2A;Certificati;A1.3;;IAT2A;Evase;%;>=;"
    "90%;70%;100;;95%"),
    # Alessandria, area AL1 (100): events 6 vs >= 3 (40) and the operational mean (60)
    ("AL1;Alessandria territorio;100;OSAL1;Promozione AL;A2;100;;;;;KAL1;Eventi organizzati;"
    "numero;>=;3;;40;;6"),
    ("AL1;Alessandria territorio;100;OSAL1;Promozione AL;A2;100;;;;;KAL2;Valore medio "
    "performance obiettivi operativi;%;>=;80%;0%;60;media obiettivi operativi;"),
    ("AL1;Alessandria territorio;100;OSAL1;Promozione AL;A2;100;OPAL1A;Fiere;A2.1;;IAL1A;"
    "Realizzazione;%;>=;100%;0%;100;;100%"),
    ("AL1;Alessandria territorio;100;OSAL1;Promozione AL;A2;100;OPAL1B;Tutela;A2.2;;IAL1B;"
    "Realizzazione;%;>=;100%;0%;100;;94,54%"),
]
# A matrix that values a B behaviour as an A: one visible difference in individual scores.
ALESSANDRIA_MATRIX = {"A": [0, 1, 2, 3, 4, 5, 6], "B": [0, 1, 2, 3, 4, 5, 6],
                      "C": [0, 0, 1, 2, 2, 3, 4]}


def plan_csv() -> bytes:
    return (HEADER + "\n".join(ROWS) + "\n").encode("utf-8")


def alessandria_system() -> dict:
    data = preset("alessandria-asti-2020").system.model_dump(mode="json")
    data["rollup"]["strategic_kpi_share"] = None
    data["matrix"] = ALESSANDRIA_MATRIX
    return data


def units() -> dict[str, OrgUnit]:
    return {u.code: u for u in db.session.execute(select(OrgUnit)).scalars()}


def import_two_sites(actor, cycle):
    report = import_plan(actor, cycle, "due-sedi.csv", plan_csv())
    assert report.ok, [(e.row, e.message) for e in report.errors]
    db.session.flush()


def bind_two_sites(actor, cycle):
    """Asti (A1) with the preset, Alessandria (A2) with its variant."""
    found = units()
    asti = unit_systems.add_unit_system(
        actor, cycle, found["A1"], "Alessandria-Asti 2020 · sede di Asti",
        preset("alessandria-asti-2020").system.model_dump(mode="json"))
    alessandria = unit_systems.add_unit_system(
        actor, cycle, found["A2"], "Alessandria-Asti 2020 · sede di Alessandria",
        alessandria_system())
    db.session.flush()
    return asti, alessandria
