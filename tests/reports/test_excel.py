"""The Excel workbooks opened back with openpyxl: values equal the services' figures,
cells hold numbers and dates (not text) with Italian-readable number formats, bold
coloured headers, frozen panes; and who may download each one."""
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from app.services.plan.scores import achievements
from app.services.reports import excel as report_excel
from app.services.reports import figures as reports
from tests.helpers import OIV, SUPPORT


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]


def _check_layout(sheet) -> None:
    assert sheet.freeze_panes == "B2"
    for cell in sheet[1]:
        assert cell.font.bold and cell.fill.fgColor.rgb.endswith("0066CC")


def test_plan_with_results(report_cycle):
    book = _open(report_excel.plan_with_results(report_cycle))
    result = achievements(report_cycle)
    plan_sheet, results, _differentiation = book.worksheets
    _check_layout(plan_sheet)
    _check_layout(results)
    rows = _rows(plan_sheet)
    indicators = [i for o in report_cycle.plan.objectives for i in o.indicators]
    code, achievement_column, target_column = (plan_sheet[c].value for c in ("G1", "P1", "K1"))
    by_code = {r[code].value: r for r in rows if r[code].value}
    assert len(by_code) == len(indicators)
    for indicator in indicators:
        row = by_code[indicator.code]
        achievement = row[achievement_column]
        expected = result.indicator(indicator.id)
        if expected is None:
            assert achievement.value is None
        else:
            assert Decimal(str(achievement.value)).quantize(Decimal("0.0001")) == \
                expected.quantize(Decimal("0.0001"))
            assert achievement.number_format == '#,##0.00"%"'
        target = row[target_column]
        if isinstance(indicator.target, date):
            assert target.is_date and target.number_format == "DD/MM/YYYY"
        elif isinstance(indicator.target, Decimal):
            assert isinstance(target.value, (int, float)) and target.number_format == "#,##0.00"
    organisation = results["B2"]
    assert abs(Decimal(str(organisation.value)) - result.organisation) < Decimal("0.0001")
    assert organisation.number_format == '#,##0.00"%"'


def test_evaluations_workbook(report_cycle):
    book = _open(report_excel.evaluations(report_cycle))
    (sheet,) = book.worksheets
    _check_layout(sheet)
    people = reports.people_status(report_cycle)
    assert sheet.max_row == len(people) + 1
    scored = {(s.user.email): s.evaluation.score for s in people
              if s.evaluation is not None and s.evaluation.score is not None}
    for row in sheet.iter_rows(min_row=2):
        email, score = row[2].value, row[8]
        if email in scored:
            assert Decimal(str(score.value)) == scored[email]
            assert score.number_format == "#,##0.00"
        rated_on = row[10]
        if rated_on.value is not None:
            assert rated_on.is_date and rated_on.number_format == "DD/MM/YYYY"


def test_payouts_workbook(report_cycle):
    book = _open(report_excel.payouts(report_cycle))
    fund = reports.fund(report_cycle)
    *pools, totals = book.worksheets
    assert len(pools) == len(fund.pools)
    for sheet, pool in zip(pools, fund.pools):
        _check_layout(sheet)
        assert sheet.max_row == len(pool.allocations) + 1
        paid = sum(Decimal(str(row[8].value)) for row in sheet.iter_rows(min_row=2))
        assert paid == pool.distributed
        assert all(row[8].number_format == '#,##0.00" €"' for row in sheet.iter_rows(min_row=2))
    _check_layout(totals)
    last = next(iter(totals.iter_rows(min_row=totals.max_row)))
    assert Decimal(str(last[1].value)) == fund.amount
    assert Decimal(str(last[2].value)) == fund.distributed
    assert Decimal(str(last[3].value)) == fund.remainder
    assert last[1].number_format == '#,##0.00" €"'


def test_downloads_are_workbooks(report_cycle, client, signed_in):
    signed_in(SUPPORT)
    for name in ("plan", "evaluations", "payouts"):
        response = client.get(f"/reports/2022/{name}.xlsx")
        assert response.status_code == 200
        assert response.mimetype.endswith("spreadsheetml.sheet")
        _open(response.data)


def test_oiv_gets_no_individual_workbook(report_cycle, client, signed_in):
    signed_in(OIV)
    assert client.get("/reports/2022/plan.xlsx").status_code == 200
    assert client.get("/reports/2022/evaluations.xlsx").status_code == 403
    assert client.get("/reports/2022/payouts.xlsx").status_code == 403


def test_evaluations_workbook_marks_scores_below_the_paying_threshold(report_cycle):
    from app.scoring import pays

    (sheet,) = _open(report_excel.evaluations(report_cycle)).worksheets
    below = str(reports.BELOW_THRESHOLD)
    people = {s.user.email: s.evaluation for s in reports.people_status(report_cycle)}
    marked = 0
    for row in sheet.iter_rows(min_row=2):
        evaluation, band = people[row[2].value], row[9].value or ""
        if evaluation is None or evaluation.band is None:
            assert band == ""
        elif pays(evaluation.score):
            assert below not in band and band == reports.band_label(evaluation.band)
        else:
            assert band == f"{reports.band_label(evaluation.band)} – {below}"
            marked += 1
    assert marked  # the cycle has scores of 1 (matrix value of what 1, how A)


def test_plan_workbook_and_report_label_each_result(report_cycle, tmp_path):
    import subprocess

    from app.services.plan.system import system_for
    from app.services.reports import pdf as report_pdf

    outcomes = system_for(report_cycle).outcomes
    plan_sheet = _open(report_excel.plan_with_results(report_cycle)).worksheets[0]
    header = [c.value for c in plan_sheet[1]]
    achievement, outcome = header.index("Grado di raggiungimento"), header.index("Esito")
    labelled = 0
    for row in plan_sheet.iter_rows(min_row=2):
        value = row[achievement].value
        if value is not None and row[6].value:  # an indicator row
            expected = reports.outcome_label(outcomes.of(Decimal(str(value))))
            assert row[outcome].value == expected
            labelled += 1
    assert labelled
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf.render(report_cycle))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Raggiunto" in text and ("Parzialmente raggiunto" in text or "Non raggiunto" in text)
