"""The demo administration's people plans for a cycle's three years (the living demo:
this year's), on Turin's 2022-2024 figures where PIAO.md gives them.

Staffing: Turin's totals (ceiling 308 posts / 9.499.919,94 EUR, in service 273 /
8.350.062,43 EUR), its hiring budget and its planned hires. The split per category is
NOT given by Turin's plan: the one below is this demo's choice, summing to the totals.
The unit costs' inputs are not given either: the monthly bases and rates below are
chosen so that a C post costs 29.256,55 EUR, as in Turin's plan.

Training: the entries of Turin's training plan (Office 365, the anti-corruption
e-learning, the health and safety refreshers every 5 years and within 60 days of
hiring, the new hires' course), attendance for most of the staff, and the due dates
that leaves: the people never trained on safety get a reminder task.

Positive actions: Turin's six objectives with some of their numbered actions (actors
and beneficiaries as in the plan; deadlines, indicators and owners are this demo's).

`load(cycle)` is called by `flask demo load`; with the workflows deployed it submits
the staffing plan to the Board and the positive actions plan to the equality
committee's opinion, and schedules the training due dates (their tasks start when
`flask jobs work` runs, as `make run` does)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models.org import Role, User, UserRole
from app.models.plan import Cycle
from app.services.people_plan import adoption, equality, staffing, training

D = Decimal
CHARGES, IRAP = D("23.63"), D("8.50")
# code: monthly base, ceiling (posts, cost), in service (people, cost)
CATEGORIES = {
    "DIR": (D("3613.63"), 6, D("377561.90"), 5, D("312375.71")),
    "D3": (D("2231.76"), 10, D("388633.86"), 8, D("308674.64")),
    "D1": (D("1849.07"), 80, D("2575944.93"), 72, D("2301703.69")),
    "C": (D("1703.25"), 160, D("4745604.59"), 143, D("4210929.14")),
    "B3": (D("1609.79"), 30, D("840976.18"), 27, D("751443.85")),
    "B1": (D("1514.94"), 15, D("395712.61"), 13, D("340488.39")),
    "A": (D("1439.63"), 7, D("175485.87"), 5, D("124447.01")),
}
BUDGET = staffing.BudgetData(leavers_count=14, leavers_usable=D("313746.55"),
                             leavers_reserved=D("84447.66"), carried_usable=D("1586.05"),
                             carried_reserved=D("73867.71"))
ORDER = ["surplus", "redeployment", "mobility", "ranking", "selection"]
TRAINING = [  # area, action, beneficiaries, timing, teaching, contents, topic, years, days
    ("Transizione digitale", "Office 365", "Tutto il personale", "10-15 sessioni entro luglio",
     "internal", "Teams, SharePoint e OneDrive per il lavoro in gruppo", "digital", None, None),
    ("Prevenzione della corruzione", "E-learning anticorruzione, moduli 1-3",
     "Tutto il personale", "Entro luglio", "external",
     "Il codice di comportamento, il conflitto di interessi, il whistleblowing",
     "anticorruption", None, None),
    ("Prevenzione della corruzione", "E-learning anticorruzione, modulo 4", "Tutto il personale",
     "Entro dicembre", "external", "Gli appalti e i controlli", "anticorruption", None, None),
    ("Salute e sicurezza", "Aggiornamento sulla sicurezza nei luoghi di lavoro",
     "Tutto il personale", "Ogni 5 anni; entro 60 giorni dall'assunzione", "external",
     "D.Lgs. 81/2008: rischi dell'ufficio, videoterminali, emergenze", "safety", 5, 60),
    ("Inserimento", "Percorso per i nuovi assunti", "Personale neoassunto",
     "Entro il primo anno di servizio", "internal",
     "L'organizzazione della Camera, il ciclo della performance, i sistemi informativi",
     None, None, 365),
]
# (objective, actions: (title, actors, beneficiaries)); from Turin's plan 2022-2024
EQUALITY = [
    ("Conciliazione dei tempi di vita e di lavoro", [
        ("Flessibilità dell'orario e lavoro agile", "Dirigenti, Ufficio personale",
         "Tutto il personale"),
        ("Part-time per esigenze di cura", "Ufficio personale", "Personale con carichi di cura")]),
    ("Tutela della maternità e della paternità", [
        ("Rientro accompagnato dopo i congedi parentali", "Dirigenti, Ufficio personale",
         "Personale al rientro da congedo")]),
    ("Comitato unico di garanzia", [
        ("Sostegno alle attività del CUG", "CUG, Segretario generale", "Tutto il personale")]),
    ("Benessere organizzativo", [
        ("Indagine sul benessere organizzativo", "CUG, Ufficio personale", "Tutto il personale")]),
    ("Sicurezza e stress lavoro-correlato", [
        ("Valutazione del rischio da stress lavoro-correlato", "RSPP, Medico competente",
         "Tutto il personale")]),
    ("Contrasto alle discriminazioni e al mobbing", [
        ("Formazione sul linguaggio di genere e sulle discriminazioni", "CUG, Ufficio personale",
         "Tutto il personale")]),
]
HIRES = [  # category, posts, share of full time, pool, profile
    ("C", 10, D(100), "usable", "Assistente amministrativo-contabile"),
    ("C", 1, D(75), "usable", "Assistente amministrativo-contabile (part-time)"),
    ("C", 2, D(100), "reserved", "Assistente amministrativo (persone con disabilità, L. 68/1999)"),
    ("C", 1, D(100), "reserved", "Assistente amministrativo (categorie protette, art. 18 L. 68/1999)"),
]


def _first_with(role: Role) -> User:
    return db.session.execute(
        select(User).join(UserRole).where(User.is_demo, UserRole.role == role.value)
        .order_by(User.id).limit(1)).scalar_one()


def load_staffing(support: User, cycle: Cycle):
    """Turin's staffing plan 2022-2024 as a draft of the cycle's three years (idempotent)."""
    plan = staffing.plan_of(cycle)
    if plan is not None:
        return plan
    plan = staffing.open_plan(support, cycle)
    for code, (base, cap_n, cap, in_n, in_cost) in CATEGORIES.items():
        staffing.save_category(support, plan, None, staffing.CategoryData(
            code=code, monthly_base=base, charges_rate=CHARGES, irap_rate=IRAP,
            ceiling_headcount=cap_n, ceiling_cost=cap, in_service_headcount=in_n,
            in_service_cost=in_cost))
    staffing.save_budget(support, plan, None, BUDGET)
    codes = {c.code: c.id for c in plan.categories}
    for code, count, share, pool, profile in HIRES:
        staffing.add_hire(support, plan, None, staffing.HireData(
            category_id=codes[code], year=cycle.year, count=count, time_percent=share, pool=pool,
            profile=profile, channels=ORDER))
    return plan


def load_training(support: User, cycle: Cycle):
    """The training plan of the cycle's three years, with the attendance of the past:
    everyone attended modules 1-3 of the anti-corruption e-learning except the first
    person of each sector; the safety refresher two years before, except the people
    hired in the year and the first two of each sector (so their due dates are
    scheduled)."""
    from datetime import date

    plan = training.plan_of(cycle)
    if plan is not None:
        return plan
    plan = training.open_plan(support, cycle)
    entries = [training.add_entry(support, plan, None, training.EntryData(
        area=a, action=act, beneficiaries=b, timing=t, teaching=te, contents=c, topic=topic,
        every_years=years, within_days=days))
        for a, act, b, t, te, c, topic, years, days in TRAINING]
    staff = training.audience(entries[3])
    by_unit: dict[int, list[User]] = {}
    for person in staff:
        by_unit.setdefault(person.unit_id, []).append(person)
    firsts = {p.id for people in by_unit.values() for p in people[:1]}
    seconds = {p.id for people in by_unit.values() for p in people[1:2]}
    training.record_attendance(support, entries[1], [p.id for p in staff if p.id not in firsts],
                               date(cycle.year, 6, 30), D(6))
    new = {p.id for p in staff if p.service_start and p.service_start.year == cycle.year}
    training.record_attendance(support, entries[3], [p.id for p in staff
                                                      if p.id not in firsts | seconds | new],
                               date(cycle.year - 2, 10, 15), D(4))
    return plan


def load_equality(support: User, cycle: Cycle):
    """The positive actions plan (Turin's 2022-2024) as a draft of the cycle's years."""
    from datetime import date

    plan = equality.plan_of(cycle)
    if plan is not None:
        return plan
    plan = equality.open_plan(support, cycle)
    for n, (title, actions) in enumerate(EQUALITY, start=1):
        objective = equality.add_objective(support, plan, None, title)
        for title_a, actors, beneficiaries in actions:
            equality.add_action(support, plan, None, equality.ActionData(
                objective_id=objective.id, title=title_a, actors=actors,
                beneficiaries=beneficiaries,
                deadline=date(cycle.year + 1, 12, 31) if n % 2 else None,
                indicator="Azione avviata entro l'anno" if n % 2 else None,
                owner_id=support.id if n == 1 else None))
    return plan


def load(cycle: Cycle) -> Cycle:
    """The people plans of the demo cycle (app.demo.plan's); with the adoption workflow
    deployed, the staffing plan waits for the Board's deliberation."""
    from app import engine

    support = _first_with(Role.SUPPORT_UNIT)
    plans = [(load_staffing(support, cycle), staffing.plan_problems),
             (load_equality(support, cycle), equality.plan_problems)]
    learning = load_training(support, cycle)
    if engine.undeployed((adoption.PROCESS_ID, training.DUE_PROCESS)):
        return cycle
    for plan, problems in plans:
        if plan.is_draft and adoption.running_instance(plan) is None:
            adoption.submit(support, plan, None, problems(plan))
    training.schedule_dues(support, learning)  # keeps the due dates already scheduled
    return cycle
