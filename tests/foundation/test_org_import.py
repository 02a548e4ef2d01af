"""Organisation import: accepted whole, or rejected whole with the errors per row. It
runs as the page runs it: the upload recorded with its job, the worker's jobs done."""
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models.org import EvaluatorLink, User
from app.services.org import import_jobs
from app.services.org.operations import evaluator_of
from tests.helpers import ADMIN, EMPLOYEE_A1, SUPPORT, csrf_token, run_jobs, user_by_email

HEADER = "email;nome;cognome;unita;ruoli;valutatore;categoria;part_time;inizio_servizio\n"
GOOD = (
    HEADER
    + "nuovo.uno@cciaa-demo.example;Nuovo;Uno;Anagrafe economica / Registro delle imprese;"
      "Dipendente;;C;83,33%;01/03/2022\n"
    + "nuovo.due@cciaa-demo.example;Nuovo;Due;A2.1;Employee, Supervisor;"
      "nuovo.uno@cciaa-demo.example;D;100;\n"
)


def _import(actor, filename: str, content: bytes):
    import_jobs.record(actor, filename, content)
    db.session.commit()
    run_jobs()
    return import_jobs.status().report


def _count_users() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()


def test_csv_import_accepted(demo):
    before = _count_users()
    report = _import(user_by_email(SUPPORT), "people.csv", GOOD.encode("utf-8"))
    assert report.ok, report.errors
    db.session.commit()
    assert (report.created, report.updated) == (2, 0)
    assert _count_users() == before + 2
    one, two = user_by_email("nuovo.uno@cciaa-demo.example"), user_by_email("nuovo.due@cciaa-demo.example")
    assert str(one.part_time_percent) == "83.33"
    assert one.unit.code == "A1.1" and one.service_start.isoformat() == "2022-03-01"
    assert two.roles == {"Employee", "Supervisor"}
    assert evaluator_of(two).user_id == one.id
    assert evaluator_of(one).user_id == one.unit.head_id  # default: the head of the sector


def test_xlsx_import_accepted(demo):
    book = Workbook()
    sheet = book.active
    sheet.append(["E-mail", "First name", "Last name", "Unit", "Roles", "Category", "Part-time"])
    sheet.append(["xlsx.person@cciaa-demo.example", "Xl", "Sx", "A3.2", "Employee", "B", 0.5 * 100])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(user_by_email(ADMIN), "people.xlsx", buffer.getvalue())
    assert report.ok, report.errors
    db.session.commit()
    assert user_by_email("xlsx.person@cciaa-demo.example").unit.code == "A3.2"


def test_existing_user_is_updated(demo):
    csv = HEADER + f"{EMPLOYEE_A1};Alessandro;Russo;A1.2;Employee;;B;50;\n"
    report = _import(user_by_email(SUPPORT), "people.csv", csv.encode())
    assert report.ok
    db.session.commit()
    assert (report.created, report.updated) == (0, 1)
    person = user_by_email(EMPLOYEE_A1)
    assert person.unit.code == "A1.2" and person.category == "B"


BAD_ROWS = [
    ("x@cciaa-demo.example;X;Y;Settore inesistente;Employee;;C;100;", "Unità sconosciuta"),
    ("x@cciaa-demo.example;X;Y;A1.1;Employee;;C;130;", "percentuale di part-time"),
    ("x@cciaa-demo.example;X;Y;A1.1;Employee;;C;abc;", "percentuale di part-time"),
    ("x@cciaa-demo.example;X;Y;A1.1;Capo;;C;100;", "Ruolo sconosciuto"),
    ("not-an-email;X;Y;A1.1;Employee;;C;100;", "non è un indirizzo e-mail valido"),
    ("x@cciaa-demo.example;X;Y;A1.1;Employee;nobody@cciaa-demo.example;C;100;", "non è né nel file"),
    ("x@cciaa-demo.example;X;Y;A1.1;Employee;;C;100;31/02/2022", "non è una data"),
    ("x@cciaa-demo.example;;Y;A1.1;Employee;;C;100;", "obbligatorio"),
]


@pytest.mark.parametrize("row,message", BAD_ROWS)
def test_bad_row_rejects_whole_file(client, demo, signed_in, row, message):
    before = _count_users()
    good_row = "good.row@cciaa-demo.example;Good;Row;A1.1;Employee;;C;100;\n"
    content = (HEADER + good_row + row + "\n").encode("utf-8")
    signed_in(SUPPORT)
    token = csrf_token(client, "/admin/import")
    response = client.post("/admin/import", data={
        "csrf_token": token, "file": (io.BytesIO(content), "people.csv"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302 and _count_users() == before
    run_jobs()
    page = client.get("/admin/import").get_data(as_text=True)
    assert 'data-testid="import-rejected"' in page
    assert message in page
    assert "<td>3</td>" in page  # the bad row is row 3 of the file (header is row 1)
    assert _count_users() == before  # nothing written, not even the good row


def test_duplicate_email_rejected(demo):
    content = HEADER + "d@cciaa-demo.example;A;B;A1.1;Employee;;C;100;\n" * 2
    report = _import(user_by_email(SUPPORT), "people.csv", content.encode())
    assert not report.ok
    assert [e.row for e in report.errors] == [3]
    assert "ripete la riga 2" in report.errors[0].message


def test_evaluator_loop_rejected(demo):
    content = (
        HEADER
        + "p.uno@cciaa-demo.example;P;Uno;A1.1;Employee;p.due@cciaa-demo.example;C;100;\n"
        + "p.due@cciaa-demo.example;P;Due;A1.1;Employee;p.uno@cciaa-demo.example;C;100;\n"
    )
    report = _import(user_by_email(SUPPORT), "people.csv", content.encode())
    assert not report.ok
    assert all("ciclo" in e.message for e in report.errors)
    db.session.rollback()
    assert db.session.execute(select(func.count(EvaluatorLink.id))).scalar_one() == 0


def test_missing_columns_and_wrong_type(demo):
    report = _import(user_by_email(SUPPORT), "people.csv", b"email;nome\nx@y.example;X\n")
    assert not report.ok and "Colonne mancanti" in report.errors[0].message
    report = _import(user_by_email(SUPPORT), "people.pdf", b"%PDF")
    assert not report.ok


def test_support_unit_cannot_import_admins(demo):
    content = HEADER + "boss@cciaa-demo.example;B;Oss;A1.1;Admin;;D;100;\n"
    report = _import(user_by_email(SUPPORT), "people.csv", content.encode())
    assert not report.ok and "amministratore" in report.errors[0].message


def test_support_unit_cannot_change_an_administrator(demo):
    admin = user_by_email(ADMIN)
    content = HEADER + f"{ADMIN};{admin.first_name};Altro;A1.1;Admin;;D;100;\n"
    report = _import(user_by_email(SUPPORT), "people.csv", content.encode())
    assert [(e.row, e.message) for e in report.errors] == [
        (2, "Solo un amministratore può modificare un amministratore.")]


def test_addresses_email_validator_refuses_are_refused_with_the_same_message(demo):
    content = (HEADER + "mario..rossi@cciaa-demo.example;M;R;A1.1;Employee;;C;100;\n"
               + "Mario@Comune;M;R;A1.1;Employee;;C;100;\n"
               + "MARIO.ROSSI@CCIAA-DEMO.EXAMPLE;M;R;A1.1;Employee;;C;100;\n")
    report = _import(user_by_email(SUPPORT), "people.csv", content.encode())
    assert [(e.row, e.message) for e in report.errors] == [
        (2, "'mario..rossi@cciaa-demo.example' non è un indirizzo e-mail valido."),
        (3, "'mario@comune' non è un indirizzo e-mail valido.")]
