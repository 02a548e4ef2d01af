"""The people plans' arithmetic, pure: a post's cost, a hire's cost, the gap, the
pools and their edges (a pool spent to the cent fits, one cent more does not), the
order of the recruitment channels, and when a mandatory training falls due."""
from datetime import date
from decimal import Decimal as D

from app.services.people_plan import rules
from app.services.people_plan.training_rules import next_due


def test_a_post_costs_thirteen_monthly_bases_plus_charges_and_irap():
    cost = rules.unit_cost(D("1703.25"), D("23.63"), D("8.50"))
    assert cost.base == D("22142.25")
    assert cost.charges == D("5232.21")  # 23,63% of the base, to the cent
    assert cost.irap == D("1882.09")
    assert cost.total == D("29256.55")


def test_a_hire_costs_its_posts_at_their_share_of_full_time_to_the_cent():
    assert rules.hire_cost(D("29256.55"), 10, D(100)) == D("292565.50")
    assert rules.hire_cost(D("29256.55"), 1, D(75)) == D("21942.41")  # 21.942,4125
    assert rules.hire_cost(D("29256.55"), 2, D(100)) == D("58513.10")


def test_the_gap_is_staff_in_service_minus_the_ceiling():
    gap = rules.gap(308, D("9499919.94"), 273, D("8350062.43"))
    assert (gap.headcount, gap.cost) == (-35, D("-1149857.51"))


def test_each_pool_is_last_years_share_plus_what_earlier_years_left():
    pools = rules.pools({"usable": D("313746.55"), "reserved": D("84447.66")},
                        {"usable": D("1586.05"), "reserved": D("73867.71")},
                        [("usable", D("292565.50")), ("usable", D("21942.41")),
                         ("reserved", D("58513.10")), ("reserved", D("29256.55"))])
    assert pools["usable"].available == D("315332.60")
    assert pools["usable"].planned == D("314507.91")
    assert pools["usable"].remaining == D("824.69")
    assert pools["reserved"].available == D("158315.37")
    assert pools["reserved"].planned == D("87769.65")


def test_a_pool_spent_to_the_cent_fits_and_one_cent_more_does_not():
    pool = rules.Pool("usable", D("100.00"), D("0.50"), D("50.00"))
    assert rules.overdrawn(pool, D("50.50")) == 0
    assert rules.overdrawn(pool, D("50.51")) == D("0.01")


def test_the_recruitment_channels_are_known_each_once_and_at_least_one():
    assert rules.channel_problem(list(rules.CHANNELS)) is None
    assert rules.channel_problem(["ranking", "selection"]) is None
    assert rules.channel_problem([]) == "empty"
    assert rules.channel_problem(["ranking", "ranking"]) == "repeated"
    assert rules.channel_problem(["lottery"]) == "unknown"


START, FIRST_DUE = date(2022, 1, 1), date(2022, 12, 31)


def test_a_new_hire_is_due_within_the_days_of_the_rule():
    assert next_due(date(2022, 3, 1), None, 5, 60, START, FIRST_DUE) == date(2022, 4, 30)
    assert next_due(date(2022, 3, 1), None, None, 365, START, FIRST_DUE) == date(2023, 3, 1)
    assert next_due(None, None, 5, 60, START, FIRST_DUE) == FIRST_DUE  # hiring date unknown
    assert next_due(date(2022, 3, 1), None, 5, None, START, FIRST_DUE) == FIRST_DUE


def test_someone_hired_before_the_plan_catches_up_a_refresher_but_not_a_new_hires_course():
    assert next_due(date(2010, 1, 1), None, 5, 60, START, FIRST_DUE) == FIRST_DUE
    assert next_due(date(2010, 1, 1), None, None, 365, START, FIRST_DUE) is None
    assert next_due(date(2021, 12, 1), None, None, 365, START, FIRST_DUE) == date(2022, 12, 1)


def test_a_refresher_falls_due_every_n_years_after_the_last_attendance():
    assert next_due(date(2010, 1, 1), date(2019, 6, 15), 3, 60, START, FIRST_DUE) == date(2022, 6, 15)
    assert next_due(date(2010, 1, 1), date(2020, 2, 29), 5, 60, START, FIRST_DUE) == date(2025, 2, 28)
    assert next_due(date(2010, 1, 1), date(2020, 2, 29), None, 60, START, FIRST_DUE) is None
