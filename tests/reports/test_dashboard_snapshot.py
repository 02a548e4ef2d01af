"""The dashboard's figures over everyone (people per step and area, the late, the
distribution, the achievements, the open tasks per step and unit), kept for
DASHBOARD_FIGURES_SECONDS and shared by every app server: a visit within those seconds
shows the kept figures and says when they were drawn, without drawing them again; a
visit after them, or on another day, shows the kept ones, says newer ones are being
drawn and draws them once its response is sent (no reader waits for the drawing); each
language has its own; with 0 seconds every visit draws them and nothing is kept. The
people list, the overdue tasks and the running jobs stay live at every visit."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import event, func, select, text

from app.extensions import db
from app.models.cycle import DashboardSnapshot
from app.models.types import utcnow
from tests.engine.helpers import Clock
from tests.helpers import SUPPORT, add_people

STEP_COUNTS = "sum(anon_1.late)"  # the people per step and area, from one GROUP BY


@pytest.fixture
def kept(app, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_FIGURES_SECONDS", 30)
    return Clock(monkeypatch)


def _visit(client, path: str = "/dashboard/2022") -> tuple[str, list[str]]:
    """The page, and the statements the visit sent to the database."""
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        response = client.get(path)
        html = response.get_data(as_text=True)
        response.close()  # as a server does once it has sent the page
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    return html, statements


def _pending(html: str) -> bool:
    return 'data-testid="figures-pending"' in html and 'data-testid="late-count"' not in html


def _without_objectives(html: str) -> int:
    return int(re.search(r'data-step="no_objectives">(\d+)<', html).group(1))


def _drawn(html: str) -> str:
    return re.search(r'data-testid="figures-drawn">([^<]+)<', html).group(1)


def test_the_figures_are_kept_for_the_seconds_configured_then_drawn_again(
        report_cycle, client, signed_in, kept):
    signed_in(SUPPORT)
    none_yet, statements = _visit(client)
    assert _pending(none_yet)  # the cycle's first visit: drawn after its page
    assert any(STEP_COUNTS in s for s in statements)
    first, statements = _visit(client)
    assert not any(STEP_COUNTS in s for s in statements)
    assert "si ricalcolano al massimo ogni 30 secondi" in _drawn(first)
    before = _without_objectives(first)
    add_people("A1.1", 3)
    kept.advance(seconds=20)  # drawing them took a few of the 30 seconds
    again, statements = _visit(client)
    assert not any(STEP_COUNTS in s for s in statements)  # nothing drawn: the kept figures
    assert _without_objectives(again) == before
    assert _drawn(again) == _drawn(first)
    kept.advance(seconds=11)
    stale, statements = _visit(client)
    assert _without_objectives(stale) == before  # shown as kept, then drawn again
    assert "se ne stanno calcolando di più recenti" in _drawn(stale)
    assert any(STEP_COUNTS in s for s in statements)
    later, statements = _visit(client)
    assert not any(STEP_COUNTS in s for s in statements)
    assert _without_objectives(later) == before + 3
    assert _drawn(later) != _drawn(first)
    assert db.session.scalar(select(func.count()).select_from(DashboardSnapshot)) == 1


def test_a_drawing_that_fails_is_logged_and_tried_again(report_cycle, client, signed_in, kept,
                                                       monkeypatch, caplog):
    from app.web.reports import dashboard

    def broken(_cycle):
        raise RuntimeError("a chart could not be drawn")

    signed_in(SUPPORT)
    with monkeypatch.context() as patched:
        patched.setattr(dashboard, "_figures", broken)
        page, _ = _visit(client)
    assert _pending(page)
    assert "could not be drawn" in caplog.text
    assert db.session.scalar(select(func.count()).select_from(DashboardSnapshot)) == 0
    assert _pending(_visit(client)[0])  # this visit draws them
    assert not _pending(_visit(client)[0])


def test_the_people_list_stays_live_while_the_figures_are_kept(report_cycle, client,
                                                                signed_in, kept):
    signed_in(SUPPORT)
    _visit(client)
    first, _ = _visit(client)
    add_people("A1.1", 2)
    again, _ = _visit(client, "/dashboard/2022?q=extra")
    assert _without_objectives(again) == _without_objectives(first)
    assert again.count("<th scope=\"row\">Persona ") == 2  # listed at once
    assert '<option value="evaluation_open">' in again  # the list's step filter


def test_figures_drawn_yesterday_are_drawn_again_today(report_cycle, client, signed_in, kept):
    """Lateness counts from today: a day's first visit draws the figures again, however
    recent yesterday's."""
    midnight = datetime.combine(utcnow().date() + timedelta(days=1), time(), utcnow().tzinfo)
    kept.offset = midnight - timedelta(seconds=10) - utcnow()
    signed_in(SUPPORT)
    _visit(client)
    first, _ = _visit(client)
    add_people("A1.1", 1)
    kept.advance(seconds=20)
    after_midnight, statements = _visit(client)
    assert _without_objectives(after_midnight) == _without_objectives(first)
    assert "se ne stanno calcolando di più recenti" in _drawn(after_midnight)
    assert any(STEP_COUNTS in s for s in statements)
    assert _without_objectives(_visit(client)[0]) == _without_objectives(first) + 1


def test_each_language_has_its_own_figures(report_cycle, client, signed_in, kept):
    signed_in(SUPPORT)
    _visit(client)
    italian, _ = _visit(client)
    with client.session_transaction() as session:
        session["locale"] = "en"
    pending, statements = _visit(client)
    assert _pending(pending) and "reload the page in a few seconds" in pending
    assert any(STEP_COUNTS in s for s in statements)
    english, _ = _visit(client)
    assert "People per step and per area" in english
    assert "Persone per fase e per area" in italian
    locales = db.session.scalars(select(DashboardSnapshot.locale).order_by(DashboardSnapshot.locale))
    assert list(locales) == ["en", "it"]


def test_with_no_seconds_every_visit_draws_the_figures_and_keeps_none(report_cycle, client,
                                                                    signed_in):
    signed_in(SUPPORT)
    first, _ = _visit(client)
    assert 'data-testid="figures-drawn"' not in first
    add_people("A1.1", 2)
    again, statements = _visit(client)
    assert any(STEP_COUNTS in s for s in statements)
    assert _without_objectives(again) == _without_objectives(first) + 2
    assert db.session.scalar(select(func.count()).select_from(DashboardSnapshot)) == 0


@pytest.mark.postgres_only
def test_while_one_server_draws_the_figures_the_others_show_the_kept_ones(
        report_cycle, client, signed_in, kept, is_postgres):
    """The drawing server holds the kept row's lock until it keeps the new figures; a
    visit meanwhile shows the kept ones (of today) instead of drawing them too."""
    if not is_postgres:
        pytest.skip("the row lock taken without waiting is PostgreSQL's")
    signed_in(SUPPORT)
    _visit(client)
    first, _ = _visit(client)
    add_people("A1.1", 3)
    kept.advance(seconds=31)
    with db.engine.connect() as drawing:
        drawing.execute(text("SELECT id FROM dashboard_snapshot FOR UPDATE"))
        meanwhile, statements = _visit(client)
        drawing.rollback()
    assert not any(STEP_COUNTS in s for s in statements)  # left to the drawing server
    assert _without_objectives(meanwhile) == _without_objectives(first)
    stale, statements = _visit(client)
    assert any(STEP_COUNTS in s for s in statements)
    assert _without_objectives(stale) == _without_objectives(first)
    assert _without_objectives(_visit(client)[0]) == _without_objectives(first) + 3


@pytest.mark.postgres_only
def test_the_first_figures_of_a_cycle_are_drawn_by_one_server_only(
        report_cycle, client, signed_in, kept, is_postgres):
    """With no kept row to lock yet, the server drawing the first figures holds a lock on
    the cycle and language; a visit meanwhile says they are being drawn and leaves them."""
    if not is_postgres:
        pytest.skip("the lock taken without waiting is PostgreSQL's")
    from app.models.plan import Cycle
    from app.services.reports.snapshots import first_drawing_key

    key = first_drawing_key(db.session.scalar(select(Cycle.id).where(Cycle.year == 2022)), "it")
    signed_in(SUPPORT)
    with db.engine.connect() as drawing:
        drawing.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        meanwhile, statements = _visit(client)
        drawing.rollback()
    assert _pending(meanwhile)
    assert not any(STEP_COUNTS in s for s in statements)
    pending, statements = _visit(client)
    assert _pending(pending) and any(STEP_COUNTS in s for s in statements)
    assert not _pending(_visit(client)[0])
