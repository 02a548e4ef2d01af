"""One page of a list, counted and fetched in the database: every list page of the
product (people, users, evaluations, tasks) shows at most one page of rows, however many
people the administration has.

`paginate(stmt, number, size)` runs one COUNT over the filtered statement and one
LIMIT/OFFSET query for the page; a page number past the end gives the last page and one
below 1 the first, so a stale or hand-typed link never fails. The statement must carry a
total order (end it with a unique column) so that pages neither repeat nor skip rows."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import func, select

from app.extensions import db

PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """Position of the first row shown (1-based), 0 on an empty list."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)


def bounded_size(size: int | None) -> int:
    return PER_PAGE if not size or size < 1 else min(size, MAX_PER_PAGE)


def clamp(number: int | None, total: int, size: int) -> int:
    return max(1, min(number or 1, max(1, ceil(total / size))))


def paginate(stmt, number: int | None = 1, size: int | None = PER_PAGE, *,
             scalars: bool = True, count=None, total: int | None = None) -> Page:
    """The page `number` of the rows of `stmt` (entities when scalars, else row tuples).
    `count`: a cheaper statement with the same rows to count, when there is one;
    `total`: their number, when the caller has just counted them."""
    size = bounded_size(size)
    if total is None:
        counted = (stmt if count is None else count).order_by(None)
        total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    number = clamp(number, total, size)
    result = db.session.execute(stmt.limit(size).offset((number - 1) * size))
    items = list(result.scalars() if scalars else result.all())
    return Page(items, total, number, size)
