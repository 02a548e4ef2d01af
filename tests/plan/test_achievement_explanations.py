"""The achievements that roll others up open their computation on the plan's and the
reports' pages: each strategic area, each organisational area and each strategic
objective, with the figure shown as the last step's result."""
from __future__ import annotations

import html

from app.extensions import db
from app.formats import italian as formatting
from app.models.plan import Objective
from app.services.plan.scores import achievements
from app.services.reports import achievement_explanations
from tests.helpers import SUPPORT


def _measured_plan(demo):
    from app.demo import plan as demo_plan

    cycle = demo_plan.load(demo)
    db.session.commit()
    return cycle


def test_every_explained_rollup_ends_on_the_figure_shown(demo):
    cycle = _measured_plan(demo)
    result = achievements(cycle)
    explained = achievement_explanations.of_plan(cycle, result)
    figures = {**{("area", a.id): result.strategic_area(a.id) for a in cycle.plan.areas},
               **{("unit", u.id): v for u, v in result.unit_areas},
               **{("objective", o.id): result.objective(o.id)
                  for o in cycle.plan.objectives if o.is_strategic}}
    shown = {**{("area", k): v for k, v in explained.strategic_areas.items()},
             **{("unit", k): v for k, v in explained.unit_areas.items()},
             **{("objective", k): v for k, v in explained.objectives.items()}}
    assert shown.keys() == figures.keys()
    for key, lines in shown.items():
        assert lines[-1].endswith(formatting.percent(figures[key])), (key, lines)


def test_the_plan_and_dashboard_pages_open_the_rollups(demo, client, signed_in):
    cycle = _measured_plan(demo)
    strategic = db.session.execute(db.select(Objective).where(
        Objective.plan_id == cycle.plan.id, Objective.parent_id.is_(None))
        .order_by(Objective.code).limit(1)).scalar_one()
    signed_in(SUPPORT)
    tree = html.unescape(client.get(f"/plan/{cycle.year}").get_data(as_text=True))
    for testid in ("explain-strategic-area", "explain-unit-area", "explain-strategic"):
        assert f'data-testid="{testid}"' in tree
    assert "Media ponderata = (" in tree
    page = client.get(f"/plan/{cycle.year}/objectives/{strategic.id}").get_data(as_text=True)
    assert 'data-testid="explain-strategic"' in page
    dashboard = client.get(f"/dashboard/{cycle.year}").get_data(as_text=True)
    assert 'data-testid="explain-strategic"' in dashboard and 'data-testid="explain-areas"' in dashboard
