"""Rewards: the formula on hand-computed cases, Turin's 2019 pools conserved to the cent,
the top-rated bonus, refused input, and conservation for any input."""
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring import Allocation, EvaluationSystem, Person, ScoringError, distribute_rewards

PROPERTY = settings(max_examples=200, deadline=None)
D = Decimal
TURIN_STAFF_POOL = D("734312.44")
TURIN_MANAGER_POOL = D("78980.25")


def staff(id, score, org=100, area=100, category="C", **more):
    score = D(score) if isinstance(score, int) else score
    return Person(id=id, category=category, score=score, organisation_achievement=D(org),
                  area_achievement=None if area is None else D(area), **more)


def manager(id, score, org=100, **more):
    return Person(id=id, category="DIR", score=D(str(score)),
                  organisation_achievement=D(org), **more)


def line(allocation: Allocation, person_id):
    return next(x for x in allocation.lines if x.person_id == person_id)


def assert_conserved(allocation: Allocation, pool):
    assert sum(x.total for x in allocation.lines) + allocation.remainder == pool
    assert allocation.pool == pool and allocation.remainder >= 0
    assert allocation.distributed == pool - allocation.remainder
    for x in allocation.lines:
        amounts = (x.base_share, x.organisational_part, x.individual_part, x.bonus, x.total)
        assert all(a >= 0 and a.as_tuple().exponent == -2 for a in amounts)
        assert x.total == x.organisational_part + x.individual_part + x.bonus


def test_staff_formula_by_hand():
    allocation = distribute_rewards(D(1000), [staff(1, 4, org=80, area=50)])
    x = line(allocation, 1)
    assert x.base_share == 1000
    assert x.organisational_part == 275  # 1000 x (25% x 80% + 15% x 50%)
    assert x.individual_part == 400  # 1000 x 60% x 4/6
    assert (x.total, allocation.remainder) == (675, 325)


def test_manager_formula_by_hand():
    allocation = distribute_rewards(D(1000), [manager("sg", 5, org=90)])
    x = line(allocation, "sg")
    assert x.organisational_part == 180  # 1000 x 20% x 90%
    assert x.individual_part == D("666.67")  # 1000 x 80% x 5/6
    assert allocation.remainder == D("153.33")


def test_full_marks_distribute_the_whole_pool_by_weight():
    people = [staff("a", 6, category="A"), staff("d", 6, category="D"),
              staff("half", 6, category="A", part_time=D(50)),
              staff("new", 6, category="A", service_fraction=D("0.5"))]
    allocation = distribute_rewards(D(4000), people)
    assert allocation.remainder == 0
    # weights 1.00, 1.40, 0.50, 0.50 of 3.40
    assert [x.total for x in allocation.lines] == [D("1176.47"), D("1647.06"), D("588.24"),
                                                   D("588.23")]
    assert_conserved(allocation, D(4000))


LOW_SCORES = [staff(1, 6), staff(2, 1), staff(3, 0), staff(4, None), staff(5, "1.99"),
              staff(6, "1.50")]


def test_low_scores_pay_nothing_and_leave_their_base_share_in_the_remainder():
    """DOMAIN's default: the base is fixed before any score is known, the pool divided
    over everyone in it, so a person paid nothing raises nobody else's maximum."""
    allocation = distribute_rewards(D(900), LOW_SCORES)
    assert line(allocation, 1).base_share == 150 and line(allocation, 1).total == 150
    assert allocation.remainder == 750
    for person_id in (2, 3, 4, 5, 6):
        x = line(allocation, person_id)
        assert (x.base_share, x.total) == (0, 0)


def test_a_system_may_divide_the_pool_over_the_eligible_only():
    system = EvaluationSystem(reward_base="eligible")
    allocation = distribute_rewards(D(900), LOW_SCORES, system)
    assert line(allocation, 1).total == 900 and allocation.remainder == 0


def test_a_system_may_fix_the_base_per_category():
    categories = {"C": {"parameter": "1.2", "base_amount": "1000.00"},
                  "DIR": {"parameter": "1", "manager": True, "base_amount": "5000.00"}}
    system = EvaluationSystem(reward_base="category_amount", categories=categories)
    people = [staff(1, 6), staff(2, 3, part_time=D(50)), staff(3, None)]
    allocation = distribute_rewards(D(10000), people, system)
    assert [line(allocation, i).base_share for i in (1, 2, 3)] == [1000, 500, 0]
    assert line(allocation, 2).individual_part == 150  # 500 x 60% x 3/6
    with pytest.raises(ScoringError, match="exceed the pool"):
        distribute_rewards(D(1200), people, system)
    with pytest.raises(ValueError, match="needs the amount of every category"):
        EvaluationSystem(reward_base="category_amount")


def test_organisational_part_moves_with_the_achievements():
    low = distribute_rewards(D(1000), [staff(1, 6, org=0, area=0)])
    assert line(low, 1).organisational_part == 0 and line(low, 1).individual_part == 600


@pytest.mark.parametrize(("rule", "individual"), [
    ("interpolate", D("450.00")),  # 600 x 4.5/6
    ("round", D("500.00")),  # f(5)
    ("floor", D("400.00")),  # f(4)
])
def test_non_integer_scores_follow_the_configured_rule(rule, individual):
    system = EvaluationSystem(score_factor_rule=rule)
    allocation = distribute_rewards(D(1000), [staff(1, "4.5")], system)
    assert line(allocation, 1).individual_part == individual


def test_interpolation_is_s_over_6():
    allocation = distribute_rewards(D(6000), [staff(1, "2.37", org=0, area=0)])
    assert line(allocation, 1).individual_part == D("1422.00")  # 3600 x 2.37/6


def test_overrides_of_the_category():
    people = [staff(1, 6, category="A", category_parameter=D(3)), staff(2, 6, category="A")]
    allocation = distribute_rewards(D(400), people)
    assert [x.total for x in allocation.lines] == [300, 100]
    outsider = staff(3, 6, category="X", category_parameter=D(1))
    assert distribute_rewards(D(10), [outsider]).lines[0].total == 10
    acting = staff(4, 6, org=50, is_manager=True)  # manager shares: 20% on the organisation
    assert distribute_rewards(D(100), [acting]).lines[0].organisational_part == 10


def _population(size: int, seed: int, category_choices, maker) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for index in range(size):
        score = rng.choice([None, 0, 1, 2, 3, 4, 5, 6, "4.35", "5.50", "2.10"])
        people.append(maker(index, score, rng.choice(category_choices), rng))
    return people


def _staff_maker(index, score, category, rng):
    return staff(index, score, org=rng.randint(60, 100), area=rng.randint(40, 100),
                 category=category, part_time=D(rng.choice([100, 100, 83, 50])),
                 service_fraction=D(rng.choice([1, 1, 1, "0.5", "0.25"])))


def _manager_maker(index, score, category, rng):
    return manager(index, score if score is not None else 4, org=rng.randint(60, 100))


@pytest.mark.parametrize("bonus", [False, True])
def test_turin_2019_pools_are_conserved_to_the_cent(bonus):
    system = EvaluationSystem(top_rated_bonus={"enabled": bonus})
    staff_people = _population(431, 2019, ["A", "B", "C", "D"], _staff_maker)
    managers = _population(9, 2019, ["DIR"], _manager_maker)
    for pool, people in ((TURIN_STAFF_POOL, staff_people), (TURIN_MANAGER_POOL, managers)):
        allocation = distribute_rewards(pool, people, system)
        assert_conserved(allocation, pool)
        assert 0 < allocation.distributed < pool


def test_turin_2019_pools_at_full_marks_are_paid_out_entirely():
    staff_people = [staff(i, 6, category="ABCD"[i % 4]) for i in range(431)]
    managers = [manager(i, 6) for i in range(9)]
    for pool, people in ((TURIN_STAFF_POOL, staff_people), (TURIN_MANAGER_POOL, managers)):
        allocation = distribute_rewards(pool, people)
        assert allocation.remainder == 0
        assert sum(x.total for x in allocation.lines) == pool


def test_top_rated_bonus():
    system = EvaluationSystem(top_rated_bonus={"enabled": True, "max_share_of_staff": 20})
    people = [staff(i, score) for i, score in enumerate([6, 5, 6, 4, 3, 2, 1, None, 5, 6])]
    allocation = distribute_rewards(D(10000), people, system)
    winners = [x.person_id for x in allocation.lines if x.bonus]
    assert winners == [0, 2]  # 20% of 10 people; three scored 6: the first two listed
    eligible = [x for x in allocation.lines if x.base_share]
    average = sum(x.individual_part for x in eligible) / len(eligible)
    bonus = line(allocation, 0).bonus
    assert abs(bonus - D("0.30") * average) <= D("0.01")
    assert abs(line(allocation, 0).total - line(allocation, 9).total - bonus) <= D("0.01")
    assert_conserved(allocation, D(10000))


def test_top_rated_bonus_is_only_for_the_high_band():
    system = EvaluationSystem(top_rated_bonus={"enabled": True, "max_share_of_staff": 50})
    allocation = distribute_rewards(D(1000), [staff(1, 4), staff(2, "4.49")], system)
    assert not any(x.bonus for x in allocation.lines)


def test_nothing_to_distribute():
    assert distribute_rewards(D(500), []) == Allocation(D(500), (), D("500.00"))
    allocation = distribute_rewards(D(500), [staff(1, 1), staff(2, None)])
    assert allocation.remainder == 500 and all(x.total == 0 for x in allocation.lines)
    allocation = distribute_rewards(D(0), [staff(1, 6)])
    assert allocation.remainder == 0 and allocation.lines[0].total == 0


def test_a_cent_goes_to_the_largest_remainder():
    allocation = distribute_rewards(D("0.01"), [staff(1, 6), staff(2, 6), staff(3, 6)])
    assert [x.total for x in allocation.lines] == [D("0.01"), 0, 0]
    assert allocation.remainder == 0


@pytest.mark.parametrize(("pool", "people", "message"), [
    (D(-1), [], "The pool must be an amount in euro, not negative"),
    (D("10.001"), [], "at most two decimals"),
    ("mille", [], "The pool must be an amount in euro."),
    (100, [staff(1, 6, category="Z")], "Person 1: unknown category 'Z'."),
    (100, [staff(1, 6, service_fraction=D("1.5"))], "Person 1: the share of the year"),
    (100, [staff(1, 6, part_time=D(120))], "Person 1: the part-time percentage"),
    (100, [staff(1, 7)], "Person 1: the score must be between 0 and 6."),
    (100, [staff(1, "sei")], "Person 1: the score must be between 0 and 6."),
    (100, [staff(1, 6, org=120)], "Person 1: the organisation's achievement"),
    (100, [staff(1, 6, area=-5)], "Person 1: the area's achievement"),
    (100, [staff(1, 6, area=None)], "Person 1: the area's achievement is needed."),
    (100, [staff(1, 6, category_parameter=D(0))], "Person 1: the category parameter"),
    (100, [staff(1, 6), staff(1, 5)], "Person 1: listed twice."),
    (100, [staff(1, 6), manager(2, 6)], "Staff and managers are paid from separate pools"),
])
def test_refused_input(pool, people, message):
    with pytest.raises(ValueError, match=message):
        distribute_rewards(pool, people)


def test_managers_need_no_area_achievement():
    assert distribute_rewards(D(100), [manager(1, 6)]).lines[0].total == 100


pools = st.one_of(
    st.sampled_from([D(0), D("0.01"), D("0.02"), TURIN_STAFF_POOL, TURIN_MANAGER_POOL,
                     D("999999999999.99")]),
    st.decimals(min_value=0, max_value=10**9, places=2),
)
scores = st.one_of(st.none(), st.integers(0, 6).map(D),
                   st.decimals(min_value=0, max_value=6, places=2))
percents = st.decimals(min_value=0, max_value=100, places=2)
people_lists = st.lists(
    st.builds(lambda score, org, area, category, service, part_time: (
        score, org, area, category, service, part_time),
        scores, percents, percents, st.sampled_from("ABCD"),
        st.decimals(min_value=0, max_value=1, places=3), percents),
    max_size=25,
).map(lambda rows: [Person(id=i, category=c, score=s, organisation_achievement=o,
                           area_achievement=a, service_fraction=sf, part_time=pt)
                    for i, (s, o, a, c, sf, pt) in enumerate(rows)])
systems = st.builds(
    lambda bonus, rule, share: EvaluationSystem(
        top_rated_bonus={"enabled": bonus, "max_share_of_staff": share},
        score_factor_rule=rule),
    st.booleans(), st.sampled_from(["interpolate", "round", "floor"]), percents)


@PROPERTY
@given(pool=pools, people=people_lists, system=systems)
def test_any_distribution_is_conserved_to_the_cent(pool, people, system):
    allocation = distribute_rewards(pool, people, system)
    assert_conserved(allocation, pool)
    assert [x.person_id for x in allocation.lines] == [p.id for p in people]
    for person, x in zip(people, allocation.lines):
        if person.score is None or person.score < 2:
            assert x.total == 0


@PROPERTY
@given(pool=pools, scores=st.lists(st.one_of(st.none(), st.integers(0, 1)), max_size=20))
def test_all_low_scores_leave_the_whole_pool(pool, scores):
    allocation = distribute_rewards(pool, [staff(i, s) for i, s in enumerate(scores)])
    assert allocation.remainder == pool
