"""The arithmetic of the staffing plan, pure (no database, no Flask): what a post costs,
how far the staff is from the ceiling, the hiring budget's two pools and whether the
planned hires fit in them. Amounts are Decimal, rounded to the cent (ROUND_HALF_UP) at
each step an administration's spreadsheet rounds: the annual base, the charges, the
IRAP, each hire's cost. Errors come back as values the interface translates.

Turin 2022 (PIAO.md), one C post at 29.256,55:
    hire_cost(29256.55, 10, 100) -> 292565.50; hire_cost(29256.55, 1, 75) -> 21942.41
    pools: usable 313746.55 + 1586.05 = 315332.60; reserved 84447.66 + 73867.71 = 158315.37
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MONTHS = 13  # twelve months and the thirteenth
USABLE, RESERVED = "usable", "reserved"
POOLS = (USABLE, RESERVED)
# The recruitment channels, in the order the law has them tried (PIAO.md).
CHANNELS = ("surplus", "redeployment", "mobility", "ranking", "selection")
DEFAULT_CATEGORIES = ("DIR", "D3", "D1", "C", "B3", "B1", "A")


def cent(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class UnitCost:
    """What one full-time post of a category costs in a year."""

    base: Decimal  # the entry grade's monthly base x 13
    charges: Decimal  # employer's social charges on the base
    irap: Decimal  # the regional tax on the base
    total: Decimal


def unit_cost(monthly_base: Decimal, charges_rate: Decimal, irap_rate: Decimal) -> UnitCost:
    """monthly base x 13, plus the employer's charges and IRAP as percentages of it.

    >>> unit_cost(Decimal("1703.25"), Decimal("23.63"), Decimal("8.50")).total
    Decimal('29256.55')
    """
    base = cent(Decimal(monthly_base) * MONTHS)
    charges = cent(base * Decimal(charges_rate) / 100)
    irap = cent(base * Decimal(irap_rate) / 100)
    return UnitCost(base, charges, irap, base + charges + irap)


def hire_cost(post_cost: Decimal, count: int, time_percent: Decimal) -> Decimal:
    """`count` posts at `time_percent` of full time: 1 C at 75% -> 21.942,41."""
    return cent(Decimal(post_cost) * count * Decimal(time_percent) / 100)


@dataclass(frozen=True)
class Gap:
    headcount: int
    cost: Decimal


def gap(ceiling_headcount: int, ceiling_cost: Decimal, in_service_headcount: int,
        in_service_cost: Decimal) -> Gap:
    """Staff in service minus the ceiling: negative when posts are free under the cap
    (Turin 2022: 273 - 308 = -35; 8.350.062,43 - 9.499.919,94 = -1.149.857,51)."""
    return Gap(in_service_headcount - ceiling_headcount, cent(in_service_cost - ceiling_cost))


@dataclass(frozen=True)
class Pool:
    """One pool of the hiring budget: last year's leavers' share and what earlier years
    left unused, less what the planned hires take."""

    name: str
    current: Decimal
    carried: Decimal
    planned: Decimal = Decimal("0.00")

    @property
    def available(self) -> Decimal:
        return cent(self.current + self.carried)

    @property
    def remaining(self) -> Decimal:
        return cent(self.available - self.planned)


def pools(current: dict[str, Decimal], carried: dict[str, Decimal],
          hires: list[tuple[str, Decimal]]) -> dict[str, Pool]:
    """The two pools with what the hires (pool, cost) planned in each take."""
    return {name: Pool(name, cent(current.get(name) or 0), cent(carried.get(name) or 0),
                       cent(sum((cost for pool, cost in hires if pool == name), Decimal(0))))
            for name in POOLS}


def overdrawn(pool: Pool, extra: Decimal = Decimal(0)) -> Decimal:
    """By how much the pool would be exceeded with `extra` more planned; 0 if it fits
    (a pool spent to the cent fits)."""
    excess = cent(pool.planned + extra - pool.available)
    return excess if excess > 0 else Decimal("0.00")


def channel_problem(channels: list[str]) -> str | None:
    """An ordered list of recruitment channels is valid when it names known channels,
    each once, at least one. The answer is a code the interface translates."""
    if not channels:
        return "empty"
    if any(c not in CHANNELS for c in channels):
        return "unknown"
    if len(set(channels)) != len(channels):
        return "repeated"
    return None
