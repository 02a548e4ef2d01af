"""The public transparency page (/trasparenza, no sign-in): the closed cycles' fund and
distributed totals and the distribution of scores, with the plan and the public Report.
No personal data leaks: no name, no e-mail, no individual score or amount."""
import io

from openpyxl import load_workbook

from app.formats import italian as formatting
from app.services.reports import disclosure
from app.services.reports import figures as reports
from tests.reports.conftest import assert_no_personal_data


def test_page_shows_aggregates(closed_cycle, client):
    html = client.get("/trasparenza/").get_data(as_text=True)
    fund = reports.fund(closed_cycle)
    assert formatting.money(fund.amount) in html
    assert formatting.money(fund.distributed) in html
    table = disclosure.distribution(closed_cycle)
    for row in table.by_score + table.by_band:
        assert f'<tr data-class="{row.label}"><th scope="row">{row.label}</th>' in html
        if row.count is not None:
            assert formatting.percent(row.share) in html
    assert 'href="/trasparenza/2022/relazione.pdf"' in html
    assert 'href="/trasparenza/2022/piano.xlsx"' in html


def test_page_leaks_no_personal_data(closed_cycle, client):
    html = client.get("/trasparenza/").get_data(as_text=True)
    assert_no_personal_data(html)
    for allocation in reports.allocations(closed_cycle):
        for amount in (allocation.total, allocation.individual_part,
                       allocation.organisational_part):
            if amount > 0:
                assert formatting.money(amount) not in html
    sg = reports.secretary_general_evaluation(closed_cycle)
    assert sg.evaluator_comment not in html


def test_published_plan_has_no_names(closed_cycle, client):
    response = client.get("/trasparenza/2022/piano.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    text = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows()
                    for c in row if c.value is not None)
    assert_no_personal_data(text)


def test_open_cycles_are_not_published(report_cycle, client):
    html = client.get("/trasparenza/").get_data(as_text=True)
    assert 'data-year="2022"' not in html
    assert client.get("/trasparenza/2022/relazione.pdf").status_code == 404
    assert client.get("/trasparenza/2022/piano.xlsx").status_code == 404
