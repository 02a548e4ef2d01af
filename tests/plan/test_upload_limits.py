"""Uploaded tables on all three import pages (organisation, plan, individual
objectives): a file over the byte or row limit is refused at once with a message, a body
over MAX_CONTENT_LENGTH gets the 413 page, at most 100 errors are listed, and a file that
is not text, is empty or has only its header is refused with a clear message, nothing
saved. The pages record the upload and return; the worker refuses the file."""
from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.org import User
from app.models.plan import IndividualObjective, Objective
from tests.helpers import EMPLOYEE_A1, SUPPORT, run_jobs
from tests.plan.helpers import post_form
from tests.plan.test_import_export import HEADER as PLAN_HEADER

ORG_HEADER = "email;nome;cognome;unita;ruoli;valutatore;categoria;part_time;inizio_servizio\n"
PEOPLE_HEADER = "email;anno;obiettivo;cosa;come;misure;peso;codice_op\n"
# (page, header, a row with an error in it)
IMPORTERS = {
    "organisation": ("/admin/import", ORG_HEADER, "not-an-email;A;B;A1.1;Employee;;C;100;\n"),
    "plan": ("/plan/2023/import", PLAN_HEADER,
             ("2023;AS1;Imprese;100;OS1;Digitale;100;OP1;Firma;A1.1;60;I1;Pratiche;"
              "Efficienza;%;>=;90%;70%;50;85%;forse;\n")),
    "individual": ("/plan/2023/people/import", PEOPLE_HEADER,
                   f"{EMPLOYEE_A1};2023;Pratiche;Evadere;Precisione;OP1.1;zero;\n"),
}


@pytest.fixture(params=sorted(IMPORTERS))
def importer(request, cycle, browse):
    path, header, bad_row = IMPORTERS[request.param]
    return browse(SUPPORT), path, header, bad_row


@pytest.fixture
def config(app):
    saved = dict(app.config)
    yield app.config
    app.config.clear()
    app.config.update(saved)


def _saved() -> tuple[int, int, int]:
    return tuple(db.session.execute(select(func.count(model.id))).scalar_one()
                 for model in (User, Objective, IndividualObjective))


def _upload(client, path: str, content: bytes, name: str = "file.csv"):
    return post_form(client, path, {"file": (io.BytesIO(content), name)},
                     content_type="multipart/form-data")


def _refused(client, path, content, message):
    """Recorded at once, refused by the worker with the message, nothing saved."""
    before = _saved()
    assert _upload(client, path, content).status_code == 302
    run_jobs()
    response = client.get(path)
    assert 'data-testid="import-rejected"' in response.get_data(as_text=True)
    assert message in response.get_data(as_text=True)
    assert _saved() == before
    return response


def test_a_million_rows_are_refused_at_once(importer):
    client, path, header, _bad = importer
    content = header.encode() + b"x;y\n" * 1_000_000  # 4 MB: under the byte limit
    started = time.perf_counter()
    response = _refused(client, path, content, "more than 30000 rows")
    assert time.perf_counter() - started < 5
    assert len(response.data) < 100_000


def test_a_file_over_the_byte_limit_is_refused_with_a_message(importer, config):
    client, path, header, _bad = importer
    config["IMPORT_MAX_BYTES"] = 100_000
    _refused(client, path, header.encode() + b"x" * 100_000, "larger than 0,1 MB")


def test_a_body_over_max_content_length_gets_the_413_page(importer, config):
    client, path, header, _bad = importer
    config["MAX_CONTENT_LENGTH"] = 50_000
    response = _upload(client, path, header.encode() + b"x" * 60_000)
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_at_most_a_hundred_errors_are_listed(importer):
    client, path, header, bad_row = importer
    response = _refused(client, path, (header + bad_row * 250).encode(),
                        "The first 100 errors of ")
    assert response.get_data(as_text=True).count("<tr><td>") == 100


@pytest.mark.parametrize("content,message", [
    (b"\x81\x8d;x\n", "neither UTF-8 nor Windows-1252"),
    (b"\n\n", "The file is empty."),
    (b" ", "The file is empty."),
])
def test_bad_files_are_refused_with_a_clear_message(importer, content, message):
    client, path, _header, _bad = importer
    _refused(client, path, content, message)


def test_a_byte_neither_utf8_nor_cp1252_in_a_row_is_refused_with_a_clear_message(importer):
    client, path, header, bad_row = importer
    _refused(client, path, (header + bad_row).encode() + b"\x81\x8d\n",
             "neither UTF-8 nor Windows-1252")


def test_a_file_with_only_its_header_is_refused_with_a_clear_message(importer):
    client, path, header, _bad = importer
    _refused(client, path, header.encode(), "only the header row")


def test_a_damaged_xlsx_is_refused_with_a_clear_message(importer):
    client, path, _header, _bad = importer
    before = _saved()
    assert _upload(client, path, b"PK\x03\x04 not really a workbook", "file.xlsx").status_code == 302
    run_jobs()
    assert "The XLSX file cannot be read." in client.get(path).get_data(as_text=True)
    assert _saved() == before
