"""The demo administration's people plans for 2022-2024, on Turin's figures where
PIAO.md gives them.

Staffing: Turin's totals (ceiling 308 posts / 9.499.919,94 EUR, in service 273 /
8.350.062,43 EUR), its hiring budget and its planned hires. The split per category is
NOT given by Turin's plan: the one below is this demo's choice, summing to the totals.
The unit costs' inputs are not given either: the monthly bases and rates below are
chosen so that a C post costs 29.256,55 EUR, as in Turin's plan.

`load(cycle)` is called by `flask demo load`; with the workflows deployed it
submits the staffing plan to the Board, so the Board's member finds the adoption task."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models.org import Role, User, UserRole
from app.models.plan import Cycle
from app.services.people_plan import adoption, staffing

YEAR = 2022
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
    """Turin's staffing plan 2022-2024 as a draft of the cycle (idempotent)."""
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
            category_id=codes[code], year=YEAR, count=count, time_percent=share, pool=pool,
            profile=profile, channels=ORDER))
    return plan


def load(cycle: Cycle) -> Cycle:
    """The people plans of the demo cycle (app.demo.plan's); with the adoption workflow
    deployed, the staffing plan waits for the Board's deliberation."""
    from app import engine

    support = _first_with(Role.SUPPORT_UNIT)
    plan = load_staffing(support, cycle)
    if plan.is_draft and not engine.undeployed((adoption.PROCESS_ID,)):
        adoption.submit(support, plan, None, staffing.plan_problems(plan))
    return cycle
