"""Distribution of one reward pool (DOMAIN "Rewards"; the documents leave the formula
open, these are the product's defaults, configured by the EvaluationSystem).

One call distributes one pool: staff and managers have separate pools, so callers call
once per pool, and a call mixing staff and managers is refused.

Eligible are the people with a score of at least the start of the medium band (2): a
score below it, or no score (not evaluable), pays nothing at all, organisational part
included. Payment follows the score itself, not its rounded band: 1.50 is published in
the medium band but, f being 0 below 2, is paid nothing.

For each eligible person, the base share by system.reward_base:
  'everyone' (DOMAIN's default: fixed before any score is known)
                      = pool x weight / sum of the weights of everyone in the pool, so a
                        person paid nothing leaves their share in the remainder;
  'eligible'          = pool x weight / sum of the eligible weights;
  'category_amount'   = the category's amount fixed in advance x service fraction x
                        part-time % (refused when the amounts exceed the pool);
                        weight = category parameter x service fraction x part-time %
  organisational part = base x (org share % x org achievement % + area share % x area
                        achievement %)  (staff 25 + 15, managers 20 + 0)
  individual part     = base x (100 - org shares) % x f(score)
f comes from the system's table: for a score between two integers, 'interpolate'
(default) is linear between the two entries, so the default table gives exactly s/6
from 2 to 6; 'round' uses the entry of the score rounded like the bands, 'floor' the
entry below.

Top-rated bonus (off by default): the eligible people of the high band, best scores
first and, on equal scores, in the order given (so callers put their tie-break first),
up to max_share_of_staff % of the people of the pool, get B = min_percent_of_average %
of the average individual award of the eligible people. It is funded from the pool:
everything else is distributed on pool - winners x B, and B is solved so that it is
exactly that share of the average award actually paid. Every winner gets the same bonus,
B rounded down to the cent.

Money: the organisational and individual parts are rounded to cents by largest
remainder (base shares too, separately), so the totals plus the remainder equal the
pool to the cent; the remainder (achievements below 100, scores below 6, the bonus's
fraction of a cent, rounding) is never negative and is reported."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from app.scoring.individual import pays
from app.scoring.numbers import (
    CENT,
    HUNDRED,
    ONE,
    ZERO,
    ScoringError,
    in_context,
    largest_remainder,
    to_decimal,
)
from app.scoring.system import EvaluationSystem

_DEFAULT = EvaluationSystem.turin_default()
_NO_MONEY = CENT * 0
_TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One person of a pool. score None means not evaluable. category_parameter, when
    given, replaces the category's; is_manager, when given, replaces the category's flag.
    service_fraction is the share of the year in service (0-1), part_time a percentage,
    the achievements percentages 0-100 (area_achievement is needed only when the area
    share applies)."""

    id: Hashable
    category: str
    score: Decimal | None
    organisation_achievement: Decimal
    area_achievement: Decimal | None = None
    service_fraction: Decimal = ONE
    part_time: Decimal = HUNDRED
    category_parameter: Decimal | None = None
    is_manager: bool | None = None


class AllocationLine(NamedTuple):
    """What one person gets, in euro with cents; total is the sum of the three parts.
    base_share is the nominal share the parts are computed from, for information.
    (A named tuple: as immutable as a frozen dataclass and much cheaper to build for
    100,000 people.)"""

    person_id: Hashable
    base_share: Decimal
    organisational_part: Decimal
    individual_part: Decimal
    bonus: Decimal
    total: Decimal


@dataclass(frozen=True)
class Allocation:
    """The distribution of one pool: one line per person, in the order given."""

    pool: Decimal
    lines: tuple[AllocationLine, ...]
    remainder: Decimal

    @property
    def distributed(self) -> Decimal:
        return self.pool - self.remainder


class _Eligible(NamedTuple):
    index: int
    weight: Decimal
    score: Decimal
    organisational_rate: Decimal
    individual_rate: Decimal
    amount: Decimal  # the fixed base of 'category_amount', in euro


class _Read(NamedTuple):
    eligible: list[_Eligible]
    everyone_weight: Decimal


def _error(template: str, person: Person, **params) -> ScoringError:
    return ScoringError("Person %(person)s: " + template, person=person.id, **params)


def _number(value, person: Person, template: str, low: Decimal, high: Decimal) -> Decimal:
    """value as a Decimal between low and high, else the person's error `template`."""
    if type(value) is Decimal and value.is_finite() and low <= value <= high:
        return value
    try:
        number = to_decimal(value, template)
    except ScoringError:
        number = None
    if number is None or not low <= number <= high:
        raise _error(template, person)
    return number


def _checked_pool(pool) -> Decimal:
    pool = to_decimal(pool, "The pool must be an amount in euro.")
    if pool < 0 or pool != pool.quantize(Decimal("0.01")):
        raise ScoringError("The pool must be an amount in euro, not negative, with at most "
                           "two decimals.")
    return pool


def _factor_function(system: EvaluationSystem):
    """score -> f(score) as a Decimal, following system.score_factor_rule."""
    table = [Decimal(f.numerator) / Decimal(f.denominator)
             for f in (system.score_factors[s] for s in range(7))]
    rule, rounding = system.score_factor_rule, system.bands.rounding

    def factor(score: Decimal) -> Decimal:
        whole = int(score)
        if whole == score:
            return table[whole]
        if rule == "interpolate":
            return table[whole] + (table[whole + 1] - table[whole]) * (score - whole)
        if rule == "round":
            return table[int(score.to_integral_value(rounding=rounding))]
        return table[whole]

    return factor


_SIX = Decimal(6)
_NO_LIMIT = Decimal("Infinity")


def _read(people: list[Person], system: EvaluationSystem) -> _Read:
    """Check every person (all of them, eligible or not) and return the eligible ones
    with a positive weight, with their weight and rates, and the weight of everyone."""
    shares = system.organisational_shares
    organisational_shares = {False: (shares.staff_org, shares.staff_area),
                             True: (shares.manager_org, shares.manager_area)}
    individual_shares = {manager: (HUNDRED - org - area) / HUNDRED
                         for manager, (org, area) in organisational_shares.items()}
    factor, categories = _factor_function(system), system.categories
    eligible, seen, managers, everyone_weight = [], set(), None, ZERO
    for index, person in enumerate(people):
        if person.id in seen:
            raise _error("listed twice.", person)
        seen.add(person.id)
        category = categories.get(person.category)
        if person.category_parameter is not None:
            parameter = _number(person.category_parameter, person,
                                "the category parameter must be a number above 0.",
                                ZERO, _NO_LIMIT)
            if not parameter:
                raise _error("the category parameter must be a number above 0.", person)
        elif category is None:
            raise _error("unknown category '%(category)s'.", person, category=person.category)
        else:
            parameter = category.parameter
        presence = _number(
            person.service_fraction, person,
            "the share of the year in service must be between 0 and 1.", ZERO, ONE
        ) * _number(person.part_time, person,
                    "the part-time percentage must be between 0 and 100.", ZERO, HUNDRED)
        weight = parameter * presence
        everyone_weight += weight
        amount = ZERO
        if system.reward_base == "category_amount":
            if category is None or category.base_amount is None:
                raise _error("no amount is fixed for category '%(category)s'.", person,
                             category=person.category)
            amount = category.base_amount * presence / HUNDRED
        manager = person.is_manager
        if manager is None:
            manager = category is not None and category.manager
        if managers is None:
            managers = manager
        elif manager != managers:
            raise ScoringError("Staff and managers are paid from separate pools: distribute "
                               "each pool on its own.")
        if person.score is None:
            continue
        score = _number(person.score, person, "the score must be between 0 and 6.",
                        ZERO, _SIX)
        org_share, area_share = organisational_shares[manager]
        organisation = _number(person.organisation_achievement, person,
                               "the organisation's achievement must be between 0 and 100.",
                               ZERO, HUNDRED)
        if person.area_achievement is not None:
            area = _number(person.area_achievement, person,
                           "the area's achievement must be between 0 and 100.", ZERO, HUNDRED)
        elif area_share:
            raise _error("the area's achievement is needed.", person)
        else:
            area = ZERO
        if pays(score, system.bands) and weight:
            organisational = (org_share * organisation + area_share * area) / _TEN_THOUSAND
            eligible.append(_Eligible(index, weight, score, organisational,
                                      individual_shares[manager] * factor(score), amount))
    return _Read(eligible, everyone_weight)


def _bonus(pool: Decimal, people_count: int, eligible: list[_Eligible],
           system: EvaluationSystem, everyone_weight: Decimal) -> tuple[set[int], Decimal]:
    """The indexes of the winners of the top-rated bonus and the bonus each. With base
    shares out of the pool, B is solved from B = p x A x (pool - k B) / pool, A the
    average individual award at the full pool; with amounts fixed per category the
    awards do not depend on the pool, and B = p x A."""
    settings = system.top_rated_bonus
    if not settings.enabled or not eligible or not pool:
        return set(), ZERO
    places = int(people_count * settings.max_share_of_staff / HUNDRED)
    high = [e for e in eligible if e.score >= system.bands.high[0]]
    winners = sorted(high, key=lambda e: e.score, reverse=True)[:places]
    share = settings.min_percent_of_average / HUNDRED
    if system.reward_base == "category_amount":
        average = sum(e.amount * e.individual_rate for e in eligible) / len(eligible)
        if not winners or not average:
            return set(), ZERO
        return {w.index for w in winners}, share * average
    total_weight = (everyone_weight if system.reward_base == "everyone"
                    else sum(e.weight for e in eligible))
    average = pool * sum(e.weight * e.individual_rate for e in eligible) / total_weight
    average /= len(eligible)
    if not winners or not average:
        return set(), ZERO
    bonus = share * average / (ONE + share * len(winners) * average / pool)
    return {w.index for w in winners}, bonus


def _base_rule(system: EvaluationSystem, shared: Decimal, eligible: list[_Eligible],
               everyone_weight: Decimal):
    """e -> the person's base share in cents, by system.reward_base."""
    if system.reward_base == "category_amount":
        total = sum(e.amount for e in eligible) * HUNDRED
        if total > shared:
            raise ScoringError("The amounts fixed per category (%(total)s) exceed the pool "
                               "(%(pool)s).", total=quantize_cents(total / HUNDRED),
                               pool=quantize_cents(shared / HUNDRED))
        return lambda e: e.amount * HUNDRED
    total_weight = (everyone_weight if system.reward_base == "everyone"
                    else sum(e.weight for e in eligible))
    return lambda e: shared * e.weight / total_weight


def quantize_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rounded(units: Decimal) -> int:
    return int(units.to_integral_value(rounding=ROUND_HALF_UP))


@in_context
def distribute_rewards(pool, people: Iterable[Person], system: EvaluationSystem | None = None
                       ) -> Allocation:
    """Distribute one pool over its people; see the module docstring for the rules."""
    system = system or _DEFAULT
    pool = _checked_pool(pool)
    people = list(people)
    eligible, everyone_weight = _read(people, system)
    winners, bonus = _bonus(pool, len(people), eligible, system, everyone_weight)
    bonus_cents = int(bonus * HUNDRED)
    shared = (pool - bonus * len(winners)) * HUNDRED
    base_of = _base_rule(system, shared, eligible, everyone_weight)
    bases, parts = [], []
    for e in eligible:
        base = base_of(e)
        bases.append(base)
        parts += (base * e.organisational_rate, base * e.individual_rate)
    pool_cents = int(pool * HUNDRED)
    paid = min(_rounded(sum(parts, ZERO)), pool_cents - bonus_cents * len(winners))
    parts = largest_remainder(parts, paid)
    bases = largest_remainder(bases, _rounded(sum(bases, ZERO)))
    paid_lines = {}
    for position, e in enumerate(eligible):
        organisational, individual = parts[2 * position], parts[2 * position + 1]
        extra = bonus_cents if e.index in winners else 0
        paid_lines[e.index] = (CENT * bases[position], CENT * organisational,
                               CENT * individual, CENT * extra,
                               CENT * (organisational + individual + extra))
    nothing = (_NO_MONEY,) * 5
    lines = tuple(AllocationLine(person.id, *paid_lines.get(index, nothing))
                  for index, person in enumerate(people))
    remainder = pool_cents - paid - bonus_cents * len(winners)
    return Allocation(pool, lines, CENT * remainder)
