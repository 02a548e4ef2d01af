"""An agreement in force: its PDF is tagged (PDF/UA) and states the rules every agreement
carries; the employee or the head of the unit withdraws it with a reason (anyone else
403, a stale form 409), and the employee renews it with the same terms."""
from __future__ import annotations

import io
from datetime import timedelta

import pypdf

from app.extensions import db
from app.services.smart_working.operations import today
from tests.helpers import csrf_token
from tests.reports.test_accessible_pdf import assert_accessible
from tests.smart_working.helpers import agreement_of, in_force, post


def _sign_in(client, signed_in, user):
    if 'action="/logout"' in client.get("/").get_data(as_text=True):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(user.email)
    return client


def test_the_agreement_pdf_is_tagged_and_states_the_rules(client, signed_in, deployed, people):
    agreement = in_force(people)
    _sign_in(client, signed_in, people.manager)
    data = client.get(f"/lavoro-agile/{agreement.id}/accordo.pdf").data
    assert_accessible(data, f"Accordo di lavoro agile – {people.employee.full_name}")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    for words in ("10:00-12:00", "14:30-15:45", "19:00", "08:00", "straordinari",
                  "buono pasto", "Martedì"):
        assert words in text, words


def test_the_employee_or_the_head_withdraws_with_a_reason(client, signed_in, deployed, people):
    agreement = in_force(people)
    path = f"/lavoro-agile/{agreement.id}/recesso"
    form = {"version": str(agreement.version), "effective": today().isoformat(),
            "reason": "Rientro in sede per riorganizzazione"}
    _sign_in(client, signed_in, people.colleague)
    assert client.get(f"/lavoro-agile/{agreement.id}").status_code == 403
    _sign_in(client, signed_in, people.supervisor)  # heads the sector: sees and may withdraw
    page = f"/lavoro-agile/{agreement.id}"
    assert post(client, path, {**form, "version": str(agreement.version - 1)},
                form_page=page).status_code == 409
    assert post(client, path, {**form, "reason": ""}, form_page=page).status_code == 303
    assert agreement_of(people.employee).status == "in_force"
    assert post(client, path, form, form_page=page).status_code == 303
    withdrawn = agreement_of(people.employee)
    assert (withdrawn.status, withdrawn.ends_on) == ("withdrawn", today())
    assert withdrawn.withdrawn_by_id == people.supervisor.id


def test_a_renewal_asks_again_with_the_same_terms(client, signed_in, deployed, people):
    agreement = in_force(people)
    _sign_in(client, signed_in, people.colleague)
    assert client.get(f"/lavoro-agile/richiesta?rinnovo={agreement.id}").status_code == 403
    _sign_in(client, signed_in, people.employee)
    page = client.get(f"/lavoro-agile/richiesta?rinnovo={agreement.id}").get_data(as_text=True)
    starts = agreement.ends_on + timedelta(days=1)
    assert f'value="{starts.isoformat()}"' in page  # the day after the agreement ends
    assert '<option selected value="day">' in page  # Tuesdays, as before
    answer = post(client, f"/lavoro-agile/richiesta?rinnovo={agreement.id}", {
        "starts_on": starts.isoformat(), "ends_on": (starts + timedelta(days=60)).isoformat(),
        "day_1": "day", "place": "home", "equipment": "administration"})
    assert answer.status_code == 302
    db.session.expire_all()
    renewal = agreement_of(people.employee)
    assert renewal.renewal_of_id == agreement.id and renewal.status == "requested"


def test_overlapping_requests_and_past_starts_are_refused(client, signed_in, deployed, people):
    agreement = in_force(people)
    _sign_in(client, signed_in, people.employee)
    answer = post(client, "/lavoro-agile/richiesta", {
        "starts_on": agreement.starts_on.isoformat(), "ends_on": agreement.ends_on.isoformat(),
        "day_3": "morning", "place": "home", "equipment": "administration"})
    assert answer.status_code == 422
    assert "already have an agreement" in answer.get_data(as_text=True)
    answer = post(client, "/lavoro-agile/richiesta", {
        "starts_on": "2020-01-01", "ends_on": "2020-02-01", "day_3": "morning",
        "place": "home", "equipment": "own"})
    assert answer.status_code == 422
    assert "cannot start in the past" in answer.get_data(as_text=True)
