"""The organisation's lists as the administration pages show them: users one page at a
time with their filters, the evaluation chain one page at a time, and the org chart with
each unit's head and member count read in two queries however many people the units
hold. A person is picked by e-mail (`active_person`), never from a list of everyone."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.org import OrgUnit, User, UserRole
from app.services.org import unit_search
from app.services.org.operations import OrgSnapshot
from app.services.org.permissions import unit_and_below
from app.services.paging import Page, paginate

STATUSES = ("active", "inactive")


@dataclass(frozen=True)
class UserFilters:
    text: str = ""
    unit_id: int | None = None
    role: str | None = None
    status: str | None = None  # one of STATUSES, or None for everyone
    unit_text: str = ""  # a search of the units (app.services.org.unit_search)


def _matching(stmt, text: str):
    """People whose names or e-mail contain the text (any case)."""
    if not text:
        return stmt
    like = f"%{text.lower()}%"
    return stmt.where(or_(func.lower(User.email).like(like),
                          func.lower(User.last_name).like(like),
                          func.lower(User.first_name).like(like)))


def users_page(filters: UserFilters, number: int = 1, size: int | None = None) -> Page:
    """Users by name; the text is looked for in the names and the e-mail, the unit
    filter takes the units below it too."""
    stmt = _matching(select(User).options(selectinload(User.unit), selectinload(User.role_rows)),
                     filters.text)
    if filters.unit_id:
        stmt = stmt.where(User.unit_id.in_(unit_and_below(filters.unit_id)))
    if filters.unit_text:
        stmt = stmt.where(unit_search.within_searched(User.unit_id, filters.unit_text))
    if filters.role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id)
                                      .where(UserRole.role == filters.role)))
    if filters.status in STATUSES:
        stmt = stmt.where(User.active.is_(filters.status == "active"))
    return paginate(stmt.order_by(User.last_name, User.first_name, User.id), number, size)


@dataclass(frozen=True)
class OrgChart:
    roots: list[OrgUnit]
    members: dict[int, int]  # unit id -> how many people it holds directly


def org_chart() -> OrgChart:
    """Every unit with its head (loaded with the units, not one query per unit) and the
    member counts from one GROUP BY, instead of loading every person of every unit."""
    units = db.session.execute(
        select(OrgUnit).options(selectinload(OrgUnit.head), selectinload(OrgUnit.children))
        .order_by(OrgUnit.code)).scalars().all()
    members = dict(db.session.execute(
        select(User.unit_id, func.count()).where(User.unit_id.is_not(None))
        .group_by(User.unit_id)).all())
    return OrgChart([u for u in units if u.parent_id is None], members)


def active_person(email: str) -> User | None:
    """The active person with this e-mail (any case), or None."""
    return db.session.execute(select(User).where(
        func.lower(User.email) == email.strip().lower(), User.active)).scalars().first()


# Up to this many people a form lists them; above, it asks for e-mails
# (app/web/people_fields.py): a ministry's 25,000 names are more than a megabyte.
PEOPLE_LIST_LIMIT = 200


def listed_people(stmt=None) -> list[User] | None:
    """The active people of `stmt` (a select of User; default everyone) by name, or None
    when they are more than PEOPLE_LIST_LIMIT."""
    found = db.session.execute((select(User) if stmt is None else stmt).where(User.active)
                               .order_by(User.last_name, User.first_name, User.id)
                               .limit(PEOPLE_LIST_LIMIT + 1)).scalars().all()
    return None if len(found) > PEOPLE_LIST_LIMIT else found


def ids_by_email(emails, stmt=None) -> dict[str, int]:
    """The active people of `stmt` (default everyone) with these lower-case e-mails:
    e-mail -> id, for those found."""
    if not emails:
        return {}
    return dict(db.session.execute((select(User) if stmt is None else stmt).where(
        User.active, func.lower(User.email).in_(list(emails)))
        .with_only_columns(func.lower(User.email), User.id)).all())


def emails_of(user_ids) -> list[str]:
    return list(db.session.execute(select(User.email).where(User.id.in_(list(user_ids)))
                                   .order_by(User.email)).scalars())


@dataclass(frozen=True)
class ChainRow:
    user: User
    evaluator: User | None
    board: bool
    overridden: bool


def evaluation_chain_page(text: str = "", number: int = 1, size: int | None = None) -> Page:
    """One page of the active people (external members such as the OIV's are not
    evaluated here) by name with their evaluator, marking overrides of the default
    rule. The rule reads the org snapshot (two columns per person); only the page's
    people and evaluators are loaded."""
    snap = OrgSnapshot.load()
    stmt = (select(User).options(selectinload(User.unit))
            .where(User.active, or_(User.unit_id.is_not(None),
                                    User.id.in_(snap.secretary_general or {-1}))))
    page = paginate(_matching(stmt, text).order_by(User.last_name, User.first_name, User.id),
                    number, size)
    found = {u.id: snap.evaluator(u.id) for u in page.items}
    wanted = {e.user_id for e in found.values() if e.user_id}
    evaluators = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(wanted or {-1}))).scalars()}
    rows = [ChainRow(u, evaluators.get(found[u.id].user_id), found[u.id].board,
                     u.id in snap.overrides) for u in page.items]
    return Page(rows, page.total, page.number, page.size)
