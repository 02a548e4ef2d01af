"""The Report as PDF: rendered to PNG with pdftoppm (poppler) and read back with
pdftotext; its text carries the cycle's totals in Italian formats. The public version
leaves out the Secretary General's evaluation and every name."""
import subprocess

import pytest

from app.extensions import db
from app.formats import italian as formatting
from app.services.plan.scores import achievements
from app.services.reports import figures as reports
from app.services.reports import pdf as report_pdf
from tests.conftest import OUTPUT_DIR
from tests.helpers import OIV, csrf_token, run_jobs
from tests.reports.conftest import assert_no_personal_data


def _text(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    folder = OUTPUT_DIR / "report-pdf"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(folder / name)], check=True)
    pages = sorted(folder.glob(f"{name}-*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


_RENDERED: dict[str, str] = {}


@pytest.fixture
def rendered(report_cycle, tmp_path):
    """Rendered in an application context without a request, as the workflow does; once
    for the module, since every test here gets the same report cycle (a snapshot)."""
    if "report" not in _RENDERED:
        pdf = report_pdf.render(report_cycle)
        assert pdf.startswith(b"%PDF")
        _RENDERED["report"] = _text(pdf, tmp_path, "report")
    return _RENDERED["report"]


def test_report_totals_in_italian_format(report_cycle, rendered):
    fund = reports.fund(report_cycle)
    result = achievements(report_cycle)
    text = " ".join(rendered.split())
    assert formatting.money(fund.amount) in text  # 81.329,27 €
    assert formatting.money(fund.distributed) in text
    assert formatting.money(fund.remainder) in text
    assert f"{formatting.percent(result.organisation)}" in text
    for unit, value in result.unit_areas:
        assert formatting.percent(value) in text
    assert formatting.day(report_cycle.report_due) in text  # 30/06/2023


def test_report_holds_tree_sg_and_differentiation(report_cycle, rendered):
    text = " ".join(rendered.split())
    result = achievements(report_cycle)
    plan = report_cycle.plan
    for objective in plan.objectives:
        assert objective.code in text
        value = result.objective(objective.id)
        if value is not None:
            assert formatting.percent(value) in text
    sg = reports.secretary_general_evaluation(report_cycle)
    assert formatting.number(sg.score) in text
    table = reports.score_distribution(report_cycle)
    for share in table.by_band.values():
        assert formatting.percent(share.share) in text


def test_public_report_has_no_names_nor_sg_score(closed_cycle, tmp_path, client):
    response = client.get("/trasparenza/2022/relazione.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data, tmp_path, "public-report")
    assert formatting.money(reports.fund(closed_cycle).amount) in " ".join(text.split())
    assert_no_personal_data(" ".join(text.split()))
    sg = reports.secretary_general_evaluation(closed_cycle)
    assert not sg.evaluator_comment or sg.evaluator_comment not in text



def test_report_download_for_the_oiv(report_cycle, client, signed_in):
    signed_in(OIV)
    token = csrf_token(client, "/reports/2022/report")
    assert client.post("/reports/2022/report", data={"csrf_token": token}).status_code == 302
    run_jobs()
    response = client.get("/reports/2022/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "relazione-performance-2022.pdf" in response.headers["Content-Disposition"]


def test_report_of_an_empty_cycle(demo, tmp_path):
    """A cycle with no plan, no evaluation and no fund still renders (dashes, zeros)."""
    from app.services.plan.cycles import create_cycle
    from tests.helpers import SUPPORT, user_by_email

    cycle = create_cycle(user_by_email(SUPPORT), demo.id, 2030)
    db.session.commit()
    text = _text(report_pdf.render(cycle), tmp_path, "empty-report")
    assert "2030" in text and formatting.money(0) in text


def test_report_states_the_differentiation_per_category(report_cycle, tmp_path):
    text = " ".join(_text(report_pdf.render(report_cycle), tmp_path, "by-category").split())
    for group in ("staff", "managers", None):
        table = reports.score_distribution(report_cycle, group)
        assert f"{reports.group_label(group)} ({table.total})" in text
