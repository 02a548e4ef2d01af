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


def test_public_page_serves_the_validated_report_bytes_whose_hash_the_audit_holds(
        closed_cycle, client):
    import hashlib

    from pypdf import PdfReader
    from sqlalchemy import select

    from app.extensions import db
    from app.models.audit import AuditEvent
    from app.models.cycle import ReportVersion
    from app.services.reports import validation

    version = db.session.execute(select(ReportVersion)).scalar_one()
    served = client.get("/trasparenza/2022/relazione.pdf").data
    assert served == version.validated_public_pdf
    digest = hashlib.sha256(served).hexdigest()
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "cycle.report.validation_attached")).scalar_one()
    assert event.after["validated_public_sha256"] == digest == version.validated_public_sha256
    # the approved public bytes, untouched, then the validation attached
    length = event.after["approved_public_length"]
    assert served[:length] == version.public_pdf
    assert validation.approved_part(served, version.public_sha256, length)
    attached = PdfReader(io.BytesIO(served)).attachments[validation.ATTACHMENT][0].decode()
    assert "L'OIV valida la Relazione." in attached and version.public_sha256 in attached


def test_validated_report_is_the_approved_bytes_with_the_validation_attached(closed_cycle):
    from pypdf import PdfReader
    from sqlalchemy import select

    from app.extensions import db
    from app.models.cycle import ReportVersion

    version = db.session.execute(select(ReportVersion)).scalar_one()
    assert version.validated_pdf.startswith(version.pdf)
    assert len(version.validated_pdf) > len(version.pdf)
    approved, validated = PdfReader(io.BytesIO(version.pdf)), PdfReader(io.BytesIO(version.validated_pdf))
    assert len(validated.pages) == len(approved.pages)
    assert [p.extract_text() for p in validated.pages] == [p.extract_text() for p in approved.pages]
    assert list(validated.attachments) == ["validazione-oiv.txt"]


def test_the_fund_cannot_change_once_the_report_stating_it_is_validated(closed_cycle):
    from decimal import Decimal

    import pytest

    from app.services.cycle import operations as cycle_service
    from app.services.cycle import report as cycle_report
    from tests.helpers import SUPPORT, user_by_email

    with pytest.raises(cycle_service.CycleError, match="non può più cambiare|no longer change"):
        cycle_report.enter_fund(user_by_email(SUPPORT), closed_cycle,
                                 {"staff": Decimal("1.00")})


def test_differentiation_is_published_per_category_and_overall(closed_cycle, client):
    from app.services.plan.system import system_for

    system = system_for(closed_cycle)
    final = reports.final_evaluations(closed_cycle)
    staff = reports.score_distribution(closed_cycle, "staff")
    managers = reports.score_distribution(closed_cycle, "managers")
    overall = reports.score_distribution(closed_cycle)
    assert staff.total == sum(reports.group_of(e.user, system) == "staff" for e in final)
    assert staff.total and managers.total and staff.total + managers.total == overall.total
    for band in overall.by_band:
        assert staff.by_band[band].count + managers.by_band[band].count == overall.by_band[band].count

    html = client.get("/trasparenza/").get_data(as_text=True)
    for label in (str(reports.GROUP_LABELS["staff"]), str(reports.GROUP_LABELS["managers"])):
        assert f'data-group="{label}"' in html
    book = load_workbook(io.BytesIO(client.get("/trasparenza/2022/piano.xlsx").data))
    sheet = book.worksheets[-1]
    groups = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert groups == {reports.group_label("staff"), reports.group_label("managers"),
                      reports.group_label(None)}
    published = {(r[0].value, r[2].value): r[3].value for r in sheet.iter_rows(min_row=2)}
    for label, table in disclosure.distributions_by_group(closed_cycle):
        for row in table.by_band:
            assert published[(label, row.label)] == (
                row.count if row.count is not None else f"< {table.minimum}")
