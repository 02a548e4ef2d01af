"""The demo administration's corruption-risk section: the Secretary General is also the
RPCT; a process map of 16 processes over the seven risk areas, a register of 30 risks,
20 measures (two carried by the plan's anti-corruption objective, tagged "A"), PIAO.md's
checks table; and a year in progress: the section adopted, the mid-year reports asked
of the managers (two of four sent), the periodic checks open in the RPCT's inbox."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app import engine
from app.demo import transparency
from app.extensions import db
from app.models.engine import HumanTask, TaskStatus
from app.models.org import OrgUnit, Role, User, UserRole
from app.models.plan import Cycle, Objective
from app.models.risk import MappedProcess, PhaseActivity, ProcessPhase
from app.models.risk_register import MeasureKind
from app.services.jobs import worker
from app.services.risk import checks, measures, register, years
from app.services.risk import cycle as risk_cycle

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
RISK_WORKFLOWS = ("risk_cycle.bpmn", "risk_manager_report.bpmn", "risk_check.bpmn",
                  "transparency_update.bpmn", "oiv_attestation.bpmn")

# (code, unit, area, name, [(phase, [activities])])
PROCESSES = [
    ("P01", "A4.1", "A", "Reclutamento del personale", [
        ("Bando di concorso", ["Definizione dei requisiti", "Pubblicazione"]),
        ("Nomina commissione esaminatrice", ["Scelta dei commissari", "Dichiarazioni"]),
        ("Prove e graduatoria", ["Correzione", "Approvazione della graduatoria"])]),
    ("P02", "A4.1", "A", "Progressioni economiche", [
        ("Criteri di selezione", ["Accordo decentrato"]),
        ("Valutazione e graduatoria", ["Istruttoria", "Approvazione"])]),
    ("P03", "A3.2", "B", "Affidamento diretto di lavori, servizi e forniture", [
        ("Determina di affidamento", ["Richiesta di preventivi", "Motivazione della scelta"]),
        ("Verifica dei requisiti", ["Controllo DURC e casellario"]),
        ("Stipula", ["Firma del contratto"])]),
    ("P04", "A3.2", "B", "Procedura negoziata", [
        ("Indagine di mercato", ["Avviso", "Elenco degli operatori"]),
        ("Valutazione delle offerte", ["Commissione", "Verbali"]),
        ("Aggiudicazione", ["Determina", "Comunicazioni"])]),
    ("P05", "A3.2", "B", "Esecuzione del contratto", [
        ("Verifica delle prestazioni", ["Collaudo"]), ("Liquidazione", ["Mandato"])]),
    ("P06", "A1.1", "C", "Iscrizioni e modifiche nel registro delle imprese", [
        ("Istruttoria della pratica", ["Protocollo", "Controllo formale"]),
        ("Iscrizione", ["Evasione"])]),
    ("P07", "A1.2", "C", "Iscrizione all'albo delle imprese artigiane", [
        ("Istruttoria", ["Verifica dei requisiti"]), ("Decisione", ["Iscrizione o diniego"])]),
    ("P08", "A1.3", "C", "Rilascio di firme digitali e certificati", [
        ("Riconoscimento del richiedente", ["Identificazione"]), ("Rilascio", ["Consegna"])]),
    ("P09", "A2.1", "D", "Contributi alle imprese (bandi voucher)", [
        ("Bando", ["Criteri", "Pubblicazione"]),
        ("Istruttoria delle domande", ["Ammissibilità", "Graduatoria"]),
        ("Concessione e liquidazione", ["Rendicontazione", "Pagamento"])]),
    ("P10", "A2.1", "D", "Patrocini e contributi a iniziative", [
        ("Domanda", ["Istruttoria"]), ("Concessione", ["Determina"])]),
    ("P11", "A2.3", "E", "Vigilanza sugli strumenti di misura", [
        ("Programmazione delle ispezioni", ["Scelta delle imprese"]),
        ("Ispezione", ["Sopralluogo", "Verbale"])]),
    ("P12", "A2.2", "E", "Sanzioni amministrative", [
        ("Accertamento", ["Verbale di accertamento"]), ("Ordinanza", ["Audizione", "Ingiunzione"])]),
    ("P13", "A3.2", "G", "Gestione del patrimonio e alienazioni", [
        ("Stima del bene", ["Perizia"]), ("Alienazione", ["Asta", "Atto di vendita"])]),
    ("P14", "A3.1", "G", "Riscossione del diritto annuale", [
        ("Accertamento dei mancati pagamenti", ["Estrazione"]), ("Ruoli", ["Iscrizione a ruolo"])]),
    ("P15", "A4.2", "H", "Incarichi di consulenza e collaborazione", [
        ("Individuazione del bisogno", ["Ricognizione interna"]),
        ("Selezione", ["Avviso", "Comparazione dei curricula"]),
        ("Conferimento", ["Contratto", "Pubblicazione"])]),
    ("P16", "A4.2", "H", "Nomine in enti e società partecipate", [
        ("Avviso", ["Pubblicazione"]), ("Designazione", ["Verifica delle incompatibilità"])]),
]
# (code, process, phase position, event, enabling factors, probability, impact)
RISKS = [
    ("R01", "P01", 1, "Requisiti del bando costruiti su misura di un candidato", "Discrezionalità", 3, 4),
    ("R02", "P01", 2, "Commissari in conflitto di interessi", "Dichiarazioni non verificate", 3, 5),
    ("R03", "P01", 3, "Valutazioni non trasparenti delle prove", "Criteri non predefiniti", 2, 4),
    ("R04", "P02", 1, "Criteri che favoriscono dipendenti determinati", "Scarsa trasparenza", 2, 3),
    ("R05", "P02", 2, "Punteggi attribuiti senza riscontri", "Controlli insufficienti", 2, 2),
    ("R06", "P03", 1, "Frazionamento artificioso dell'importo", "Pressione dei tempi", 4, 4),
    ("R07", "P03", 1, "Affidamento ripetuto allo stesso operatore", "Assenza di rotazione", 4, 3),
    ("R08", "P03", 2, "Verifiche dei requisiti omesse", "Carico di lavoro", 3, 3),
    ("R09", "P04", 1, "Elenco di operatori ristretto ad arte", "Discrezionalità", 3, 4),
    ("R10", "P04", 2, "Commissione orientata verso un offerente", "Conflitti non dichiarati", 2, 5),
    ("R11", "P04", 3, "Comunicazioni tardive per impedire ricorsi", "Scarsa tracciabilità", 2, 3),
    ("R12", "P05", 1, "Collaudo compiacente di prestazioni carenti", "Unico verificatore", 3, 4),
    ("R13", "P05", 2, "Pagamenti prima della verifica", "Pressione del fornitore", 2, 3),
    ("R14", "P06", 1, "Pratiche evase fuori dall'ordine cronologico", "Contatti diretti con l'utenza", 3, 2),
    ("R15", "P06", 2, "Iscrizione senza i controlli dovuti", "Volumi elevati", 2, 3),
    ("R16", "P07", 1, "Requisiti artigiani riconosciuti senza verifica", "Controlli a campione ridotti", 2, 3),
    ("R17", "P08", 1, "Identificazione del richiedente omessa", "Sportelli decentrati", 2, 4),
    ("R18", "P09", 1, "Criteri del bando favorevoli a imprese note", "Discrezionalità", 3, 4),
    ("R19", "P09", 2, "Istruttoria non imparziale delle domande", "Unico istruttore", 4, 4),
    ("R20", "P09", 3, "Liquidazione senza rendicontazione completa", "Controlli insufficienti", 3, 5),
    ("R21", "P10", 2, "Contributi concessi senza criteri", "Regolamento datato", 3, 3),
    ("R22", "P11", 1, "Imprese escluse dai controlli per favore", "Programmazione non motivata", 3, 4),
    ("R23", "P11", 2, "Verbali di ispezione alterati", "Ispettore unico", 2, 5),
    ("R24", "P12", 1, "Accertamenti non proseguiti", "Carenza di personale", 3, 3),
    ("R25", "P12", 2, "Sanzioni ridotte senza motivo", "Discrezionalità", 2, 4),
    ("R26", "P13", 1, "Stima del bene inferiore al valore", "Perito non indipendente", 2, 4),
    ("R27", "P14", 1, "Posizioni escluse dalla riscossione", "Estrazioni manuali", 2, 3),
    ("R28", "P15", 1, "Incarichi esterni senza verifica delle risorse interne", "Urgenza", 3, 3),
    ("R29", "P15", 2, "Selezione comparativa apparente", "Criteri generici", 3, 4),
    ("R30", "P16", 2, "Nomine di persone incompatibili", "Verifiche non documentate", 2, 5),
]
# (code, name, kind, owner unit, indicator, target, risks)
MEASURES = [
    ("MG01", "Codice di comportamento", "general", "A4.1", "Dipendenti informati", "100%", ()),
    ("MG02", "Dichiarazioni annuali di insussistenza di incompatibilità dei dirigenti",
     "general", "A4.1", "Dichiarazioni pubblicate", "100%", ()),
    ("MG03", "Rotazione del personale o misure alternative (segregazione delle funzioni)",
     "general", "A4.1", "Processi con funzioni separate", "80%", ()),
    ("MG04", "Formazione obbligatoria anticorruzione", "general", "A4.1",
     "Settori con almeno una persona formata", "100%", ()),
    ("MG05", "Obblighi di pubblicazione (trasparenza)", "general", "A4.2",
     "Obblighi assolti nella griglia", "95%", ()),
    ("MG06", "Tutela del dipendente che segnala illeciti", "general", "A4.2",
     "Canale di segnalazione attivo", "sì", ()),
    ("MGU33", "Motivazione rafforzata e rotazione degli affidatari", "specific", "A3.2",
     "Determine con motivazione verificata", "100%", ("R06", "R07", "R08")),
    ("MO4", "Dichiarazioni di assenza di conflitti dei commissari", "specific", "A4.1",
     "Dichiarazioni acquisite", "100%", ("R02", "R03", "R10")),
    ("MS01", "Requisiti dei bandi di concorso approvati dal dirigente e dal RPCT", "specific",
     "A4.1", "Bandi verificati", "100%", ("R01", "R04", "R05")),
    ("MS02", "Elenco degli operatori aperto e pubblicato", "specific", "A3.2",
     "Avvisi pubblicati", "100%", ("R09", "R11")),
    ("MS03", "Collaudo firmato da due persone", "specific", "A3.2", "Collaudi a doppia firma",
     "100%", ("R12", "R13")),
    ("MS04", "Evasione delle pratiche in ordine cronologico con tracciatura", "specific",
     "A1.1", "Pratiche fuori ordine", "<= 2%", ("R14", "R15")),
    ("MS05", "Controlli a campione sui requisiti artigiani", "specific", "A1.2",
     "Pratiche controllate", "10%", ("R16",)),
    ("MS06", "Identificazione con documento registrato", "specific", "A1.3",
     "Rilasci con documento registrato", "100%", ("R17",)),
    ("MS07", "Criteri dei bandi voucher predefiniti nel regolamento", "specific", "A2.1",
     "Bandi conformi", "100%", ("R18", "R21")),
    ("MS08", "Istruttoria delle domande a due persone", "specific", "A2.1",
     "Domande istruite da due persone", "100%", ("R19", "R20")),
    ("MS09", "Controlli sulle rendicontazioni dei contributi", "specific", "A2.1",
     "Rendicontazioni controllate", "20%", ("R20",)),
    ("MS11", "Ispezioni programmate con criteri oggettivi e a rotazione degli ispettori",
     "specific", "A2.3", "Ispezioni a rotazione", "100%", ("R22", "R23", "R24", "R25")),
    ("MS12", "Perizie affidate a tecnici esterni indipendenti", "specific", "A3.2",
     "Perizie indipendenti", "100%", ("R26", "R27")),
    ("MS14", "Avviso pubblico e comparazione documentata per incarichi e nomine", "specific",
     "A4.2", "Incarichi con comparazione", "100%", ("R28", "R29", "R30")),
]
# PIAO.md's checks table: (process, measure code, method, periodicity).
CHECKS = [
    ("Determina di affidamento", "MGU33", "sample", "yearly"),
    ("Nomina commissione esaminatrice", "MO4", "every_case", "none"),
    ("Concessione di contributi alle imprese", "MS09", "sample", "half_yearly"),
    ("Ispezioni metrologiche", "MS11", "sample", "quarterly"),
    ("Conferimento di incarichi", "MS14", "every_case", "none"),
]
TAGGED = {"OP3.3-01": {"A"}, "OS3.3": {"A"}}
OBJECTIVE_MEASURES = {"MG05": "OP3.3-01", "MG04": "OP3.3-01"}
JUDGEMENT = "Rischio valutato con il dirigente del processo; misure in corso di attuazione."
ADOPTION = ("15", (1, 27))  # deliberation number, month and day of the section's year


def _map(administration_id: int, units: dict[str, OrgUnit]) -> dict[str, MappedProcess]:
    areas = {a.code: a for a in years.ensure_areas(administration_id)}
    processes = {}
    for code, unit, area, name, phases in PROCESSES:
        process = MappedProcess(administration_id=administration_id, unit_id=units[unit].id,
                                area_id=areas[area].id, code=code, name=name)
        process.phases = [ProcessPhase(position=p, name=phase, activities=[
            PhaseActivity(position=a, name=activity) for a, activity in enumerate(acts, 1)])
            for p, (phase, acts) in enumerate(phases, 1)]
        db.session.add(process)
        processes[code] = process
    db.session.flush()
    return processes


def _register(rpct: User, year, processes: dict[str, MappedProcess], units) -> None:
    items = {}
    for code, process, phase, event, factors, probability, impact in RISKS:
        p = processes[process]
        items[code] = register.save_item(rpct, year, register.ItemData(
            code=code, process_id=p.id, phase_id=p.phases[phase - 1].id, event=event,
            factors=factors, analysis=None, probability=probability, impact=impact,
            judgement=JUDGEMENT))
    objectives = {o.code: o for o in db.session.execute(
        select(Objective).where(Objective.plan_id == year.cycle.plan.id)).scalars()}
    for code, tags in TAGGED.items():
        measures.set_tags(rpct, objectives[code], tags)
    for code, name, kind, unit, indicator, target, risks in MEASURES:
        objective = OBJECTIVE_MEASURES.get(code)
        measures.save_measure(rpct, year, measures.MeasureData(
            code=code, name=name, kind=kind, description=None, owner_unit_id=units[unit].id,
            deadline=date(year.cycle.year, 12, 31), indicator=indicator, target=target,
            objective_id=objectives[objective].id if objective else None,
            item_ids=tuple(items[r].id for r in risks)))
    for process_name, measure, method, periodicity in CHECKS:
        checks.save_check(rpct, year, checks.CheckData(process_name, measure, method, periodicity))
    for item in year.items:  # general measures cover every risk not treated otherwise
        if not item.measures:
            item.measures = [m for m in year.measures if m.kind == MeasureKind.GENERAL.value][:1]


def _task(instance_id: int, form_key: str) -> HumanTask:
    db.session.expire_all()
    return db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.form_key == form_key,
        HumanTask.status == TaskStatus.OPEN.value)).scalar_one()


def _year_in_progress(year, master) -> None:
    """Adopted, mid-year reports asked, two of the four managers' reports sent."""
    from app.demo.cycle import PDF, complete

    complete(_task(master.id, "risk_register_submit"), {"note": ""})
    complete(_task(master.id, "risk_adoption"), {
        "number": ADOPTION[0], "date": date(year.cycle.year, *ADOPTION[1]).isoformat(), "approved": "True",
        "attachment": ("delibera-rischi.pdf", PDF)})
    complete(_task(master.id, "risk_launch_mid_year"), {"confirm": "y"})
    worker.work(10)
    reports = db.session.execute(select(HumanTask).where(
        HumanTask.form_key == "risk_manager_report", HumanTask.status == TaskStatus.OPEN.value)
        .order_by(HumanTask.org_unit_id)).scalars().all()
    for task in reports[:2]:
        from app.services.tasks.steps import context_for

        rows = context_for(task)["measures"]
        data = {}
        for n, measure in enumerate(rows):
            data.update({f"rows-{n}-measure_id": str(measure.id),
                         f"rows-{n}-application": "applied" if n % 4 else "partly",
                         f"rows-{n}-evidence": "" if n % 4 else "Attuata solo in parte: "
                         "formazione rinviata per carenza di personale.",
                         f"rows-{n}-proposal": ""})
        complete(task, data)


def prepare(cycle: Cycle):
    """The RPCT role for the Secretary General, the process map and the draft register
    of the cycle's year with its measures and checks; returns the risk year. The risk
    workflows are deployed if they are not yet (`make run` deploys them first)."""
    sg = db.session.execute(select(User).join(UserRole).where(
        UserRole.role == Role.SECRETARY_GENERAL.value)).scalars().first()
    if not sg.has_role(Role.RPCT):
        sg.role_rows.append(UserRole(role=Role.RPCT.value))
        db.session.flush()
    units = {u.code: u for u in db.session.execute(select(OrgUnit).where(
        OrgUnit.administration_id == cycle.administration_id)).scalars()}
    engine.deploy({name: (WORKFLOWS / name).read_bytes() for name in RISK_WORKFLOWS}, sg)
    year = years.open_year(sg, cycle)
    _register(sg, year, _map(cycle.administration_id, units), units)
    return year


def load(cycle: Cycle) -> None:
    """The section of the demo cycle's year, a year in progress; running it twice
    changes nothing."""
    if years.year_of(cycle) is not None:
        return
    year = prepare(cycle)
    rpct = db.session.execute(select(User).join(UserRole).where(
        UserRole.role == Role.RPCT.value)).scalars().first()
    _year, master = risk_cycle.start(rpct, cycle)
    db.session.commit()
    _year_in_progress(year, master)
    transparency.load(cycle)
