"""Benchmark of app.scoring (not a test): prints how long it takes to score a plan of
1,000 indicators and to evaluate and reward 100,000 people. The data are random but
seeded, so every run scores the same input. Run: python bench/scoring_bench.py"""
from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.scoring import (
    EvaluationSystem,
    Person,
    area_score,
    band,
    differentiation,
    distribute_rewards,
    indicator_score,
    individual_score,
    objective_score,
    organisation_score,
    strategic_score,
)

SEED = 2019
INDICATORS_PER_OBJECTIVE = 10
OPERATIONAL_PER_STRATEGIC = 5
STRATEGIC = 20
ORG_AREAS = 10
PEOPLE = 100_000
MANAGERS = 2_000
STAFF_POOL = Decimal("734312.44")
MANAGER_POOL = Decimal("78980.25")


def random_indicator(rng: random.Random) -> tuple:
    """(actual, target, threshold, direction, method) of one of the usual kinds."""
    kind = rng.randrange(6)
    target = Decimal(rng.randint(10, 1000))
    actual = target * Decimal(rng.randint(50, 130)) / 100
    if kind == 0:
        return actual, target, target * Decimal("0.7"), ">=", "threshold"
    if kind == 1:
        return actual, target, target * Decimal("1.5"), "<=", "threshold"
    if kind == 2:
        return actual, target, None, ">=", "threshold"
    if kind == 3:
        return actual, target, None, rng.choice([">=", "<="]), "ratio"
    if kind == 4:
        return rng.choice([True, False]), True, None, "=", "boolean"
    due = date(2024, 6, 30)
    return due + timedelta(days=rng.randint(-30, 10)), due, None, "<=", "deadline"


def make_plan(rng: random.Random) -> list[list[list[tuple]]]:
    """strategic objectives -> operational objectives -> (indicator, weight) rows."""
    return [[[(random_indicator(rng), Decimal(rng.randint(0, 20)) or Decimal(1))
              for _ in range(INDICATORS_PER_OBJECTIVE)]
             for _ in range(OPERATIONAL_PER_STRATEGIC)]
            for _ in range(STRATEGIC)]


def score_plan(plan, system: EvaluationSystem) -> Decimal:
    options = system.indicator_options()
    strategic_rows, area_rows = [], [[] for _ in range(ORG_AREAS)]
    for number, strategic in enumerate(plan):
        operational_rows = []
        for position, indicators in enumerate(strategic):
            rows = [(indicator_score(*indicator, **options), weight)
                    for indicator, weight in indicators]
            row = (objective_score(rows), Decimal(20))
            operational_rows.append(row)
            area_rows[(number + position) % ORG_AREAS].append(row)
        strategic_rows.append((strategic_score([], operational_rows, system), Decimal(5)))
    for rows in area_rows:
        area_score(rows)
    return organisation_score(strategic_rows, system)


def make_sheets(rng: random.Random) -> list[list[tuple]]:
    """Each person's individual objectives: (what, how, weight), weights summing to 100."""
    weight_sets = [[Decimal(w) for w in split] for split in
                   ([100], [50, 50], [40, 30, 30], [25, 25, 25, 25], [30, 20, 20, 15, 15],
                    ["33.33", "33.33", "33.34"])]
    return [[(rng.choices(range(7), weights=(1, 2, 5, 10, 20, 20, 12))[0],
              rng.choices("ABC", weights=(6, 3, 1))[0], weight)
             for weight in rng.choice(weight_sets)]
            for _ in range(PEOPLE)]


def make_people(rng: random.Random, scores: list[Decimal | None]) -> tuple[list, list]:
    staff, managers = [], []
    for index, score in enumerate(scores):
        if index < MANAGERS:
            managers.append(Person(id=index, category="DIR", score=score,
                                   organisation_achievement=Decimal(92)))
        else:
            staff.append(Person(
                id=index, category=rng.choice("ABCD"), score=score,
                organisation_achievement=Decimal(92),
                area_achievement=Decimal(rng.randint(60, 100)),
                part_time=Decimal(rng.choice([100, 100, 100, 50, 83])),
                service_fraction=Decimal(rng.choice(["1", "1", "1", "0.5"]))))
    return staff, managers


def timed(label: str, function, *args):
    start = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - start
    print(f"  {label:<52} {elapsed * 1000:9.1f} ms")
    return result, elapsed


def main() -> None:
    rng = random.Random(SEED)
    system = EvaluationSystem.turin_default()
    plan = make_plan(rng)
    sheets = make_sheets(rng)
    print(f"app.scoring benchmark (seed {SEED}), Python {sys.version.split()[0]}")
    print(f"Plan: {STRATEGIC * OPERATIONAL_PER_STRATEGIC * INDICATORS_PER_OBJECTIVE} indicators")
    organisation, plan_time = timed("indicators + objectives + areas + organisation",
                                    score_plan, plan, system)
    print(f"  organisation achievement {system.round(organisation)}%")

    print(f"People: {PEOPLE:,} ({MANAGERS:,} managers)")
    scores, t1 = timed("individual scores", lambda: [individual_score(s, system.matrix)
                                                      for s in sheets])
    scores[:250] = [None] * 250  # not evaluable: too short a service
    _, t2 = timed("bands", lambda: [None if s is None else band(s, system.bands)
                                    for s in scores])
    staff, managers = make_people(rng, scores)
    staff_allocation, t3 = timed("rewards, staff pool", distribute_rewards,
                                 STAFF_POOL, staff, system)
    manager_allocation, t4 = timed("rewards, managers' pool", distribute_rewards,
                                   MANAGER_POOL, managers, system)
    table, t5 = timed("differentiation table", differentiation, scores, system.bands)
    people_time = t1 + t2 + t3 + t4 + t5
    print(f"  {'total for the people':<52} {people_time * 1000:9.1f} ms")
    print(f"Total: {(plan_time + people_time):.2f} s")
    for name, allocation in (("staff", staff_allocation), ("managers", manager_allocation)):
        print(f"  {name}: pool {allocation.pool}, distributed {allocation.distributed}, "
              f"remainder {allocation.remainder}")
    print(f"  scored 6: {table.by_score[6].share}%, low band: {table.by_band['low'].share}%")


if __name__ == "__main__":
    main()
