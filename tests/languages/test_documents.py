"""What leaves the pages speaks its reader's language too: the task e-mails of every form
of the cycle, written for an Italian and an English recipient; the header rows of every
Excel download and of the access log in both languages. The Report and the personal
sheets are official acts of an Italian administration, written in Italian whatever the
reader's language (app.services.reports.pdf, app.services.evaluation.sheets): no English
word in them."""
from __future__ import annotations

import csv
import io
from io import BytesIO

from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app import notify as notifications
from app.extensions import db
from app.models.engine import HumanTask
from tests.cycle.helpers import sign_in
from tests.helpers import ADMIN, EMPLOYEE_A1, OIV, SUPPORT, csrf_token, run_jobs, user_by_email
from tests.languages.conftest import LANGUAGES, set_language
from tests.languages.words import demo_data, leaks

WORKBOOKS = ("/reports/{year}/plan.xlsx", "/reports/{year}/evaluations.xlsx",
             "/reports/{year}/payouts.xlsx", "/trasparenza/{year}/piano.xlsx")


def _one_task_per_form(cycle) -> list[HumanTask]:
    tasks = db.session.execute(select(HumanTask).where(HumanTask.cycle_id == cycle.id)
                               .order_by(HumanTask.id)).scalars()
    first = {}
    for task in tasks:
        first.setdefault(task.form_key, task)
    return list(first.values())


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {', '.join(what[:4])}" for where, what in found.items() if what)


def test_task_emails_speak_the_recipients_language(cycle):
    data = demo_data()
    reader = user_by_email(SUPPORT)
    found = {}
    tasks = _one_task_per_form(cycle)
    assert len(tasks) > 20
    for task in tasks:
        for kind in (notifications.ASSIGNMENT, notifications.REMINDER, notifications.ESCALATION):
            for language in LANGUAGES:
                with force_locale(language):
                    subject, body = notifications._compose(kind, task, reader)
                found[f"{language} {kind} {task.form_key}"] = leaks(
                    [subject, *body.splitlines()], language, data)
    assert not any(found.values()), _report(found)


def test_excel_headers_speak_the_readers_language(client, cycle):
    data = demo_data()
    sign_in(client, SUPPORT)
    found = {}
    for path in WORKBOOKS:
        url = path.format(year=cycle.year)
        for language in LANGUAGES:
            set_language(client, language)
            response = client.get(url)
            assert response.status_code == 200, url
            workbook = load_workbook(BytesIO(response.data), read_only=True)
            for sheet in workbook.worksheets:
                header = [str(c) for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c]
                found[f"{language} {url} {sheet.title}"] = leaks([sheet.title, *header],
                                                                 language, data)
    assert not any(found.values()), _report(found)


def _pdf_lines(content: bytes) -> list[str]:
    reader = PdfReader(BytesIO(content))
    return [line for page in reader.pages for line in page.extract_text().splitlines()
            if line.strip()]


def test_report_and_sheets_are_italian_for_every_reader(client, cycle):
    data = demo_data()
    employee = user_by_email(EMPLOYEE_A1)
    documents = [(SUPPORT, f"/reports/{cycle.year}/report.pdf"),
                 (OIV, f"/trasparenza/{cycle.year}/relazione.pdf"),
                 (EMPLOYEE_A1, f"/sheets/{cycle.year}/{employee.id}/objectives.pdf"),
                 (EMPLOYEE_A1, f"/sheets/{cycle.year}/{employee.id}/evaluation.pdf")]
    found = {}
    sign_in(client, SUPPORT)  # the Report is drawn by the worker, then downloaded
    client.post(f"/reports/{cycle.year}/report",
                data={"csrf_token": csrf_token(client, f"/reports/{cycle.year}/report")})
    run_jobs()
    for person, url in documents:
        sign_in(client, person)
        for language in LANGUAGES:
            set_language(client, language)
            response = client.get(url)
            assert response.status_code == 200, url
            found[f"{language} {url}"] = leaks(_pdf_lines(response.data), "it", data)
    assert not any(found.values()), _report(found)


def test_the_access_log_download_speaks_the_readers_language(client):
    """Its header and what was opened (the rest is data: people, dates, addresses)."""
    data = demo_data()
    sign_in(client, ADMIN)
    found = {}
    for language in LANGUAGES:
        set_language(client, language)
        rows = list(csv.reader(io.StringIO(client.get("/admin/access-log.csv").get_data(
            as_text=True))))
        assert len(rows) > 1
        what = sorted({row[5] for row in rows[1:]})
        found[language] = leaks([*rows[0], *what], language, data)
    assert not any(found.values()), _report(found)
