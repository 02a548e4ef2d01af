"""The shared paging rule: one COUNT and one page; the page number is clamped to the
first and last page; the page size defaults to 50 and never exceeds 200."""
from __future__ import annotations

from sqlalchemy import select

from app.models.org import User
from app.services.paging import MAX_PER_PAGE, PER_PAGE, bounded_size, paginate
from tests.helpers import QueryCounter, add_people

BY_NAME = select(User.email).order_by(User.last_name, User.first_name, User.id)


def test_a_page_is_one_count_and_one_query(demo):
    add_people("A1.1", 30)
    with QueryCounter() as counted:
        page = paginate(BY_NAME, 2, 10)
    assert counted.count == 2
    assert (page.number, page.first, page.last, len(page.items)) == (2, 11, 20, 10)


def test_page_numbers_beyond_the_ends_give_the_first_or_last_page(demo):
    add_people("A1.1", 30)
    total = paginate(BY_NAME, 1, 10).total
    last = paginate(BY_NAME, 10_000, 10)
    assert last.number == last.pages == -(-total // 10)
    assert last.last == total
    for number in (0, -5, None):
        assert paginate(BY_NAME, number, 10).number == 1


def test_page_size_defaults_to_50_and_is_bounded_to_200():
    assert bounded_size(None) == bounded_size(0) == bounded_size(-1) == PER_PAGE == 50
    assert bounded_size(10_000) == MAX_PER_PAGE == 200
    assert bounded_size(7) == 7


def test_an_empty_list_is_one_empty_page(app_context):
    page = paginate(BY_NAME, 3)
    assert (page.total, page.number, page.pages, page.first, page.last, page.items) \
        == (0, 1, 1, 0, 0, [])
