"""Transparency: when an obligation's update falls due and when it is late; the owners'
update tasks opened by `flask transparency due` (once); the OIV's attestation over HTTP
(opened by the support unit, filled and signed by the OIV, published), 403 for the
wrong role, its PDF and XLSX on the public page, which names no person."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.engine import clock
from app.extensions import db
from app.models.engine import HumanTask
from app.models.transparency import Attestation, Obligation
from app.services.transparency import grid
from tests.cycle.helpers import errors_of, post_task, sign_in
from tests.helpers import MANAGER, OIV, SG, SUPPORT, csrf_token


@pytest.mark.parametrize("last, frequency, due", [
    (date(2022, 1, 15), "quarterly", date(2022, 4, 15)),
    (date(2022, 1, 31), "timely", date(2022, 2, 28)),
    (date(2022, 8, 31), "half_yearly", date(2023, 2, 28)),
    (date(2022, 3, 1), "yearly", date(2023, 3, 1)),
    (None, "yearly", date(2022, 5, 2)),
])
def test_an_update_falls_due_one_period_after_the_last_publication(last, frequency, due):
    assert grid.next_due(last, frequency, today=date(2022, 5, 2)) == due


def test_an_obligation_is_late_the_day_after_its_update_falls_due():
    obligation = Obligation(last_published=date(2022, 1, 15), frequency="quarterly", active=True)
    assert not grid.is_late(obligation, date(2022, 4, 15))
    assert grid.is_late(obligation, date(2022, 4, 16))
    obligation.active = False
    assert not grid.is_late(obligation, date(2022, 4, 16))


def _open(form_key: str) -> list[HumanTask]:
    db.session.expire_all()
    return list(db.session.execute(select(HumanTask).where(
        HumanTask.form_key == form_key, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars())


@pytest.fixture
def obligations(demo):
    from app import engine
    from app.demo.risk import RISK_WORKFLOWS, WORKFLOWS

    engine.deploy({name: (WORKFLOWS / name).read_bytes() for name in RISK_WORKFLOWS})
    rows = grid.ensure_default_grid(demo.id)
    today = clock.now().date()
    for row in rows:
        row.last_published = today - timedelta(days=400 if row.code == "GC01" else 5)
    db.session.commit()
    return rows


def test_the_owner_of_a_late_obligation_gets_one_update_task(app, client, obligations):
    runner = app.test_cli_runner()
    assert "1 update tasks opened" in runner.invoke(args=["transparency", "due"]).output
    assert "0 update tasks opened" in runner.invoke(args=["transparency", "due"]).output
    task = _open("transparency_update")[0]
    assert task.role == "Manager"
    sign_in(client, MANAGER)  # heads A1, not A3 where contracts are prepared
    assert post_task(client, task.id, {"published_on": "2022-01-01"}).status_code == 403
    sign_in(client, "paolo.gallo@cciaa-demo.example")
    today = clock.now().date()
    future = post_task(client, task.id, {"published_on": (today + timedelta(days=3)).isoformat()},
                       claim=True)
    assert future.status_code == 422
    assert post_task(client, task.id, {"published_on": today.isoformat()}).status_code == 302
    db.session.expire_all()
    contracts = db.session.execute(select(Obligation).where(Obligation.code == "GC01")).scalar_one()
    assert contracts.last_published == today and not grid.late(contracts.administration_id, today)
    sign_in(client, SG)
    assert "Late: 0." in client.get("/rischi/transparency").get_data(as_text=True)


def test_the_oiv_attests_the_selected_obligations_and_the_attestation_is_published(
        client, obligations):
    selected = [o.id for o in obligations[:3]]
    sign_in(client, OIV)
    token = csrf_token(client, "/rischi/attestations")
    form = {"csrf_token": token, "year": "2022", "scale": "zero_to_three", "due": "2023-04-30",
            "obligation_ids": [str(i) for i in selected]}
    assert client.post("/rischi/attestations", data=form).status_code == 403
    sign_in(client, SUPPORT)
    form["csrf_token"] = csrf_token(client, "/rischi/attestations")
    assert client.post("/rischi/attestations", data=form).status_code == 302

    fill = _open("oiv_attestation_fill")[0]
    entries = db.session.execute(select(Attestation)).scalar_one().entries
    rows = {}
    for n, entry in enumerate(entries):
        rows.update({f"rows-{n}-entry_id": str(entry.id), f"rows-{n}-published": "3",
                     f"rows-{n}-complete": "2", f"rows-{n}-up_to_date": "3",
                     f"rows-{n}-open_format": "3", f"rows-{n}-note": ""})
    assert post_task(client, fill.id, rows).status_code == 403
    sign_in(client, OIV)
    wrong = post_task(client, fill.id, {**rows, "rows-0-published": "4"}, claim=True)
    assert wrong.status_code == 422
    assert post_task(client, fill.id, {**rows, "rows-0-note": "Manca il curriculum"}
                     ).status_code == 302
    sign = _open("oiv_attestation_sign")[0]
    unsigned = post_task(client, sign.id, {"statement": "Attestazione"}, claim=True)
    assert unsigned.status_code == 422 and errors_of(unsigned)
    assert post_task(client, sign.id, {"statement": "Attestazione", "confirm": "y"}
                     ).status_code == 302
    assert client.get("/trasparenza/anticorruzione/attestazione-oiv-2022.pdf").status_code == 404

    sign_in(client, SUPPORT)
    assert post_task(client, _open("oiv_attestation_publish")[0].id, {"confirm": "y"},
                     claim=True).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    public = client.get("/trasparenza/anticorruzione/").get_data(as_text=True)
    assert "attestazione-oiv-2022.pdf" in public
    pdf = client.get("/trasparenza/anticorruzione/attestazione-oiv-2022.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(client.get(
        "/trasparenza/anticorruzione/attestazione-oiv-2022.xlsx").data)).active
    assert [c.value for c in sheet[1]][:4] == ["Codice", "Sezione", "Obbligo", "Pubblicato"]
    assert sheet.max_row == 4 and "Manca il curriculum" in [c.value for c in sheet[2]]
