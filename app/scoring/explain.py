"""How a figure was computed, as steps a person can read: the person's own numbers put
into the configured rule, each step with its result, computed by the same functions
that produce the figure, so the text cannot drift from it.

A Step is an English %-template and its parameters; the interface translates the
template and formats each parameter by its type (Money, Percent, Number, Terms, Band),
as it does for ScoringError. Examples (default Turin system):

    score_steps([("Obiettivo 1", 5, "A", 50), ("Obiettivo 2", 3, "B", 50)])
      -> "Obiettivo 1: what 5, how A -> value 5, weight 50"
         "Obiettivo 2: what 3, how B -> value 3, weight 50"
         "Score = (50 x 5 + 50 x 3) / 100 = 4.00"
    band_steps(4.50) -> "4.50 counts as 5 -> high band (5-6)"
    mean_steps([("OS1", 80, 60), ("OS2", 50, 40)]) -> "... Weighted mean =
         (60 x 80% + 40 x 50%) / 100 = 68%"
    allocation_steps(pool, people, person_id) -> weight, base share, organisational
         part, f(score), individual part, bonus, and what was paid to the cent."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from decimal import Decimal
from typing import NamedTuple

from app.scoring.individual import checked_bands, individual_score, matrix_value, rounded_score
from app.scoring.numbers import HUNDRED, ZERO, in_context
from app.scoring.objectives import _measured, _weighted_mean, strategic_score
from app.scoring.rewards import (
    _DEFAULT,
    Person,
    _base_rule,
    _bonus,
    _factor_function,
    _read,
    distribute_rewards,
)
from app.scoring.system import EvaluationSystem
from app.scoring.weights import resolve_weights


class Money(Decimal):
    """An amount in euro."""


class Percent(Decimal):
    """A percentage, 0-100."""


class Number(Decimal):
    """A plain number (a score, a weight, a factor)."""


class Band(str):
    """A band's code: low, medium, high."""


class Terms(tuple):
    """(weight, value) pairs of a weighted mean, shown as 50 x 5 + 30 x 4; a weight of
    None shows the value alone (a plain mean)."""


class Step(NamedTuple):
    template: str
    params: dict


class Explanation(NamedTuple):
    """The steps and the figure they end on (the stored figure, when there is one)."""

    steps: tuple[Step, ...]
    value: Decimal | None


@in_context
def score_steps(rows: Iterable[tuple[str, int, str, Decimal]], matrix=None) -> Explanation:
    """The individual score from (objective title, what, how, weight) rows: each
    objective's matrix value, then the weighted mean (app.scoring.individual_score)."""
    rows = list(rows)
    steps = [Step("%(objective)s: what %(what)s, how %(how)s → value %(value)s, weight %(weight)s",
                  {"objective": title, "what": what, "how": how,
                   "value": matrix_value(what, how, matrix), "weight": Number(weight)})
             for title, what, how, weight in rows]
    score = individual_score([(what, how, weight) for _, what, how, weight in rows], matrix)
    terms = Terms((Number(weight), matrix_value(what, how, matrix))
                  for _, what, how, weight in rows)
    total = sum((Decimal(weight) for *_, weight in rows), ZERO)
    steps.append(Step("Score = weighted mean of the values = (%(terms)s) / %(total)s = %(score)s",
                      {"terms": terms, "total": Number(total), "score": Number(score)}))
    return Explanation(tuple(steps), score)


@in_context
def mean_steps(rows: Iterable[tuple[str, Decimal | None, Decimal | None]],
               simple: bool = False) -> Explanation:
    """An achievement rolled up from (code, achievement, weight) rows by the rules of
    app.scoring.objectives: blank weights count equally, a row not measured or weighing
    0 is left out; simple=True is the plain mean. The value is the achievement."""
    rows = list(rows)
    weights = resolve_weights([weight for _, _, weight in rows])
    kept = [(code, Decimal(score), weight) for (code, score, _), weight
            in zip(rows, weights, strict=True) if score is not None and weight]
    if simple:
        kept = [(code, score, Decimal(1)) for code, score, _ in kept]
    value = _weighted_mean([(score, weight) for _, score, weight in kept])
    steps = [Step("%(code)s: achievement %(achievement)s, weight %(weight)s",
                  {"code": code, "achievement": Percent(score), "weight": Number(weight)})
             for code, score, weight in kept]
    total = sum((weight for *_, weight in kept), ZERO)
    if simple:
        steps.append(Step("Mean = (%(terms)s) / %(total)s = %(value)s",
                          {"terms": Terms((None, Percent(score)) for _, score, _ in kept),
                           "total": Number(total), "value": Percent(value)}))
    else:
        steps.append(Step("Weighted mean = (%(terms)s) / %(total)s = %(value)s",
                          {"terms": Terms((Number(weight), Percent(score))
                                          for _, score, weight in kept),
                           "total": Number(total), "value": Percent(value)}))
    skipped = [code for code, score, _ in rows if score is None]
    if skipped:
        steps.append(Step("Not measured, left out: %(codes)s", {"codes": ", ".join(skipped)}))
    return Explanation(tuple(steps), value)


@in_context
def strategic_steps(own: Iterable[tuple[str, Decimal | None, Decimal | None]],
                    below: Iterable[tuple[str, Decimal | None, Decimal | None]],
                    system: EvaluationSystem) -> Explanation:
    """A strategic objective from its own indicators' and its operational objectives'
    (code, achievement, weight) rows, by app.scoring.objectives.strategic_score: with no
    share of the indicators in the system's roll-up, the indicators' mean when any is measured, else the objectives'; with a share
    (Asti: 40) both means mixed, each side falling back on the other.
    Example, share 40: indicators 75%, objectives 50% -> 75% x 40% + 50% x 60% = 60%."""
    own, below = list(own), list(below)
    share = system.rollup.strategic_kpi_share
    value = strategic_score([(score, weight) for _, score, weight in own],
                            [(score, weight) for _, score, weight in below], system)
    sides = [mean_steps(rows) if _measured([(s, w) for _, s, w in rows]) else None
             for rows in (own, below)]
    if share is None or None in sides:
        side = sides[0] if sides[0] is not None else sides[1]
        return Explanation(side.steps, value)
    steps = (Step("Own indicators:", {}), *sides[0].steps,
             Step("Operational objectives:", {}), *sides[1].steps,
             Step("Achievement = %(own)s × %(share)s + %(below)s × %(rest)s = %(value)s",
                  {"own": Percent(sides[0].value), "share": Percent(share),
                   "below": Percent(sides[1].value), "rest": Percent(HUNDRED - share),
                   "value": Percent(value)}))
    return Explanation(steps, value)


def band_steps(score, bands=None) -> Explanation:
    """Which band a score falls in, and why (the rounding of a non-integer score)."""
    bands = checked_bands(bands)
    whole = rounded_score(score, bands)
    code = bands.of_integer(whole)
    low, high = getattr(bands, code)
    return Explanation((Step("%(score)s counts as %(whole)s → %(band)s (%(low)s-%(high)s)",
                             {"score": Number(score), "whole": whole, "band": Band(code),
                              "low": low, "high": high}),), None)


def _factor_step(score: Decimal, factor: Decimal, system: EvaluationSystem) -> Step:
    table = [Decimal(f.numerator) / Decimal(f.denominator)
             for f in (system.score_factors[s] for s in range(7))]
    whole = int(score)
    if whole == score:
        return Step("f(%(score)s) = %(factor)s, from the table of the evaluation system",
                    {"score": Number(score), "factor": Number(factor)})
    if system.score_factor_rule == "interpolate":
        return Step("f(%(score)s) = %(factor)s, linear between f(%(low)s) = %(f_low)s and "
                    "f(%(high)s) = %(f_high)s",
                    {"score": Number(score), "factor": Number(factor), "low": whole,
                     "f_low": Number(table[whole]), "high": whole + 1,
                     "f_high": Number(table[whole + 1])})
    used = (int(score.to_integral_value(rounding=system.bands.rounding))
            if system.score_factor_rule == "round" else whole)
    return Step("f(%(score)s) = f(%(used)s) = %(factor)s, from the table of the evaluation "
                "system", {"score": Number(score), "used": used, "factor": Number(factor)})


def _weight_step(person: Person, system: EvaluationSystem, weight: Decimal) -> Step:
    category = system.categories.get(person.category)
    parameter = (person.category_parameter if person.category_parameter is not None
                 else category.parameter)
    return Step("Weight in the fund: category parameter %(parameter)s × share of the year "
                "in service %(service)s × part-time %(part_time)s = %(weight)s",
                {"parameter": Number(parameter), "service": Number(person.service_fraction),
                 "part_time": Percent(person.part_time), "weight": Number(weight / HUNDRED)})


@in_context
def allocation_steps(pool, people: Iterable[Person], person_id: Hashable,
                     system: EvaluationSystem | None = None) -> Explanation:
    """What `person_id` is paid from `pool` and why, by the rules of
    app.scoring.rewards (same helpers, same numbers); the value is the total paid."""
    system = system or _DEFAULT
    people = list(people)
    index = next(n for n, p in enumerate(people) if p.id == person_id)
    person = people[index]
    line = distribute_rewards(pool, people, system).lines[index]
    eligible, everyone_weight = _read(people, system)
    mine = next((e for e in eligible if e.index == index), None)
    if mine is None:
        if person.score is None:
            reason = Step("Not evaluable: nothing is paid.", {})
        elif person.score < system.bands.medium[0]:
            reason = Step("A score of %(score)s is below %(minimum)s: nothing is paid, the "
                          "organisational part included.",
                          {"score": Number(person.score), "minimum": system.bands.medium[0]})
        else:
            reason = Step("No service in the year: nothing is paid.", {})
        return Explanation((reason,), line.total)
    winners, bonus = _bonus(Decimal(pool), len(people), eligible, system, everyone_weight)
    shared = Decimal(pool) - bonus * len(winners)
    base = _base_rule(system, shared * HUNDRED, eligible, everyone_weight)(mine) / HUNDRED
    steps = [_weight_step(person, system, mine.weight)]
    if system.reward_base == "category_amount":
        steps.append(Step("Base share: the amount fixed for the category × share of the year "
                          "in service × part-time = %(base)s", {"base": Money(base)}))
    else:
        total = (everyone_weight if system.reward_base == "everyone"
                 else sum(e.weight for e in eligible))
        template = ("Base share = fund %(pool)s × weight %(weight)s / weight of everyone "
                    "in the fund %(total)s = %(base)s" if system.reward_base == "everyone" else
                    "Base share = fund %(pool)s × weight %(weight)s / weight of the people "
                    "paid %(total)s = %(base)s")
        steps.append(Step(template, {"pool": Money(shared), "weight": Number(mine.weight / HUNDRED),
                                     "total": Number(total / HUNDRED), "base": Money(base)}))
    steps += _parts(person, system, mine, base)
    if line.bonus:
        steps.append(Step("Bonus for the highest rated: %(bonus)s", {"bonus": Money(line.bonus)}))
    steps.append(Step("Paid, rounded to the cent so that the fund adds up exactly: base share "
                      "%(base)s, organisational part %(organisational)s, individual part "
                      "%(individual)s, total %(total)s",
                      {"base": Money(line.base_share),
                       "organisational": Money(line.organisational_part),
                       "individual": Money(line.individual_part), "total": Money(line.total)}))
    return Explanation(tuple(steps), line.total)


def _parts(person: Person, system: EvaluationSystem, mine, base: Decimal) -> list[Step]:
    """The organisational and the individual part, exact (before rounding to the cent)."""
    shares = system.organisational_shares
    manager = person.is_manager if person.is_manager is not None else \
        system.categories[person.category].manager
    org_share, area_share = ((shares.manager_org, shares.manager_area) if manager
                             else (shares.staff_org, shares.staff_area))
    organisation = Decimal(person.organisation_achievement)
    if area_share:
        organisational = Step(
            "Organisational part = base share %(base)s × (%(org_share)s × organisation's "
            "achievement %(organisation)s + %(area_share)s × area's achievement %(area)s) = "
            "%(value)s", {"base": Money(base), "org_share": Percent(org_share),
                          "organisation": Percent(organisation), "area_share": Percent(area_share),
                          "area": Percent(person.area_achievement),
                          "value": Money(base * mine.organisational_rate)})
    else:
        organisational = Step(
            "Organisational part = base share %(base)s × %(org_share)s × organisation's "
            "achievement %(organisation)s = %(value)s",
            {"base": Money(base), "org_share": Percent(org_share),
             "organisation": Percent(organisation), "value": Money(base * mine.organisational_rate)})
    factor = _factor_function(system)(mine.score)
    individual_share = HUNDRED - org_share - area_share
    return [organisational, _factor_step(mine.score, factor, system), Step(
        "Individual part = base share %(base)s × %(share)s × f(%(score)s) %(factor)s = %(value)s",
        {"base": Money(base), "share": Percent(individual_share), "score": Number(mine.score),
         "factor": Number(factor), "value": Money(base * individual_share / HUNDRED * factor)})]


