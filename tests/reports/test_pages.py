"""The personal pages, the manager's pages, the dashboard and the OIV workspace over
HTTP: who may open each one, and the figures they show against the services'."""
from decimal import Decimal

import pytest

from app.extensions import db
from app.formats import italian as formatting
from app.models.evaluation import EvaluationStatus
from app.services.evaluation import operations as ev
from app.services.plan.scores import achievements
from app.services.reports import figures as reports
from tests.helpers import (
    ADMIN,
    BOARD,
    EMPLOYEE_A1,
    MANAGER,
    OIV,
    OTHER_MANAGER,
    SG,
    SUPERVISOR_A1,
    SUPPORT,
    run_jobs,
    user_by_email,
)

# page -> who may open it (everyone else signed in gets 403)
PAGES = {
    "/dashboard/2022": {ADMIN, SUPPORT, SG, OIV},
    "/oiv/2022": {ADMIN, OIV},
    "/team/2022": {MANAGER, OTHER_MANAGER, SUPERVISOR_A1},
    "/team/2022/objectives": {MANAGER, OTHER_MANAGER, SUPERVISOR_A1},
    "/reports/2022/report": {ADMIN, SUPPORT, SG, OIV, BOARD},
    "/reports/2022/plan.xlsx": {ADMIN, SUPPORT, SG, OIV, BOARD},
    "/reports/2022/evaluations.xlsx": {ADMIN, SUPPORT},
    "/reports/2022/payouts.xlsx": {ADMIN, SUPPORT, SG},
}
EVERYONE = [ADMIN, SUPPORT, SG, MANAGER, OTHER_MANAGER, OIV, BOARD, EMPLOYEE_A1, SUPERVISOR_A1]


def test_authorization_matrix(report_cycle, client, signed_in):
    for email in EVERYONE:
        signed_in(email)
        for path, allowed in PAGES.items():
            status = client.get(path).status_code
            assert status == (200 if email in allowed else 403), (email, path, status)
        assert client.get("/me/2022").status_code == 200
        assert client.get("/me/history").status_code == 200
        client.post("/logout", data={"csrf_token": _token(client)})


def _token(client):
    from tests.helpers import csrf_token

    return csrf_token(client, "/me/2022")


def test_anonymous_sees_only_transparency(closed_cycle, client):
    for path in [*PAGES, "/me/2022", "/me/history"]:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location, path
    assert client.get("/trasparenza/").status_code == 200
    assert client.get("/trasparenza/2022/relazione.pdf").status_code == 200
    assert client.get("/trasparenza/2022/piano.xlsx").status_code == 200


def test_employee_sees_own_evaluation_and_asks_review(report_cycle, client, signed_in):
    person = user_by_email(EMPLOYEE_A1)
    evaluation = ev.evaluation_of(report_cycle, person)
    signed_in(EMPLOYEE_A1)
    html = client.get("/me/2022").get_data(as_text=True)
    assert formatting.number(evaluation.score) in html  # 5,00
    assert 'data-testid="ask-review"' in html
    for rating in evaluation.ratings:
        assert rating.objective.title in html
    others = [e.user for e in reports.final_evaluations(report_cycle)
              if e.user_id not in (person.id, evaluation.evaluator_id)]
    assert evaluation.evaluator.full_name in html
    assert all(other.full_name not in html for other in others)
    token = _token(client)
    response = client.post("/me/2022/review", data={"reason": "Non concordo", "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert ev.evaluation_of(report_cycle, person).status == EvaluationStatus.REVIEW_REQUESTED.value
    assert 'data-testid="ask-review"' not in client.get("/me/2022").get_data(as_text=True)


def test_employee_sees_own_bonus_parts(report_cycle, client, signed_in):
    manager = user_by_email(MANAGER)
    (allocation,) = reports.allocations(report_cycle, manager)
    signed_in(MANAGER)
    html = client.get("/me/2022").get_data(as_text=True)
    for part in (allocation.base_share, allocation.organisational_part,
                 allocation.individual_part, allocation.total):
        assert formatting.money(part) in html
    history = client.get("/me/history").get_data(as_text=True)
    assert formatting.money(allocation.total) in history


def test_manager_sees_own_units_only(report_cycle, client, signed_in):
    signed_in(MANAGER)
    html = client.get("/team/2022").get_data(as_text=True)
    a1 = {p.id for p in _area("A1")}
    a2 = {p.id for p in _area("A2")}
    assert all(f'data-user="{i}"' in html for i in a1 - {user_by_email(MANAGER).id})
    assert not any(f'data-user="{i}"' in html for i in a2)
    objectives = client.get("/team/2022/objectives").get_data(as_text=True)
    assert "OP1.1-01" in objectives  # owned by sector A1.3
    assert "OP1.2-01" not in objectives  # owned by A2.1


def test_supervisor_lists_evaluations_written(report_cycle, client, signed_in):
    supervisor = user_by_email(SUPERVISOR_A1)
    written = [e for e in reports.final_evaluations(report_cycle)
               if e.evaluator_id == supervisor.id]
    signed_in(SUPERVISOR_A1)
    html = client.get("/team/2022").get_data(as_text=True)
    # the employee still in the review window counts as written too
    assert f'data-testid="written-count">{len(written) + 1}<' in html


def test_dashboard_figures(report_cycle, client, signed_in):
    result = achievements(report_cycle)
    table = reports.score_distribution(report_cycle)
    signed_in(OIV)
    html = client.get("/dashboard/2022").get_data(as_text=True)
    assert formatting.percent(result.organisation) in html
    for unit, value in result.unit_areas:
        assert formatting.percent(value) in html
    for score, share in table.by_score.items():
        assert (f'<tr data-score="{score}"><th scope="row">{score}</th>'
                f'<td class="text-end">{share.count}</td>') in html
    assert "<img src=\"data:image/svg+xml;base64," in html
    # aggregates only: no individual amount on the OIV's pages
    for allocation in reports.allocations(report_cycle):
        if allocation.total > 0:
            assert formatting.money(allocation.total) not in html


def test_dashboard_counts_and_late_people(report_cycle, client, signed_in):
    rows = reports.people_status(report_cycle)
    final = sum(r.step == "final" for r in rows)
    signed_in(SUPPORT)
    html = client.get("/dashboard/2022").get_data(as_text=True)
    assert f'data-step="final">{final}<' in html
    late = sum(r.late for r in rows)
    assert late > 0  # 2022's deadlines have passed for everyone not done
    assert f'data-testid="late-count">{late}<' in html


def test_oiv_workspace_shows_opinions(report_cycle, client, signed_in):
    signed_in(OIV)
    html = client.get("/oiv/2022").get_data(as_text=True)
    assert "Parere OIV n. 4/2022" in html and "20/09/2022" in html
    result = achievements(report_cycle)
    for objective in report_cycle.plan.objectives:
        if objective.parent_id is None:
            assert (f'<tr data-code="{objective.code}"><th scope="row">{objective.code}</th>'
                    f'<td>{objective.title}</td>'
                    f'<td class="text-end">{formatting.percent(result.objective(objective.id))}'
                    ) in html


def _area(code):
    from tests.reports.conftest import area_people

    return area_people(code)


@pytest.mark.parametrize("value,text", [
    (Decimal("1234.565"), "1.234,57"), (Decimal(0), "0,00"), (Decimal("-2.5"), "-2,50"),
])
def test_italian_number(value, text):
    assert formatting.number(value) == text


def test_italian_figures_read_as_babel_writes_them():
    """The patterns are parsed once; the figures are Babel's own, rounded half up first."""
    from datetime import UTC, date, datetime

    from babel.dates import format_date
    from babel.numbers import format_decimal

    values = [Decimal(v) for v in ("0", "-0", "0.004", "-0.005", "1", "999.995", "-1234.5678",
                                   "1000000", "734312.44", "123456789012.3456", "0.1")]
    for places in range(5):
        for v in values:
            rounded = v.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
            expected = format_decimal(rounded, format="#,##0" + ("." + "0" * places if places
                                                                 else ""),
                                      locale="it_IT", decimal_quantization=False)
            assert formatting.number(v, places) == expected, (v, places)
    for day in (date(2022, 5, 23), date(999, 1, 2), date(2026, 12, 31),
                datetime(2024, 2, 29, 23, 59, tzinfo=UTC)):
        assert formatting.day(day) == format_date(day, format="dd/MM/yyyy", locale="it_IT")


def test_italian_formats():
    from datetime import date

    assert formatting.day(date(2022, 5, 23)) == "23/05/2022"
    assert formatting.money(Decimal("734312.44")) == "734.312,44 €"
    assert formatting.percent(Decimal("99.825")) == "99,83%"
    assert formatting.value(Decimal("97.20"), "percent") == "97,2%"
    assert formatting.value(Decimal(4230)) == "4.230"


def test_oiv_workspace_shows_validated_report(report_cycle, client, signed_in):
    import hashlib

    from app.services.cycle import measurement
    from app.services.cycle import report as cycle_report

    version = cycle_report.draft_report(user_by_email(SUPPORT), report_cycle, None)
    version.status = "approved"  # the Board's deliberation is not what is tested here
    db.session.flush()
    measurement.write_monitoring_report(user_by_email(OIV), report_cycle, "Tutto regolare")
    cycle_report.validate_report(user_by_email(OIV), report_cycle, True, "Si valida la Relazione")
    db.session.commit()
    run_jobs()  # the validation attached to the PDFs
    signed_in(OIV)
    html = client.get("/oiv/2022").get_data(as_text=True)
    assert 'data-version="1"' in html and 'data-status="validated"' in html
    assert "Si valida la Relazione" in html and "Tutto regolare" in html
    pdf = client.get("/oiv/2022/report-1.pdf")
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.data).hexdigest() == version.validated_sha256
    assert client.get("/oiv/2022/report-2.pdf").status_code == 404
    client.post("/logout", data={"csrf_token": _token(client)})
    signed_in(EMPLOYEE_A1)
    assert client.get("/oiv/2022/report-1.pdf").status_code == 403


def test_team_page_and_employee_page_mark_scores_below_the_paying_threshold(
        report_cycle, client, signed_in):
    from app.scoring import pays

    low = [e for e in reports.final_evaluations(report_cycle)
           if not pays(e.score) and not e.evaluated_by_board]
    high = [e for e in reports.final_evaluations(report_cycle) if pays(e.score)]
    assert low and high
    signed_in(MANAGER)
    html = client.get("/team/2022").get_data(as_text=True)
    for evaluation in low:
        row = html.split(f'data-user="{evaluation.user_id}"', 1)[1].split("</tr>", 1)[0]
        assert "sotto soglia (nessun premio)" in row
    for evaluation in high:
        if f'data-user="{evaluation.user_id}"' in html:
            row = html.split(f'data-user="{evaluation.user_id}"', 1)[1].split("</tr>", 1)[0]
            assert "sotto soglia" not in row
    client.post("/logout", data={"csrf_token": _token(client)})
    person = low[0].user
    signed_in(person.email)
    page = client.get("/me/2022").get_data(as_text=True)
    assert "sotto soglia (nessun premio)" in page
