"""Remotability over HTTP: the sub-processes of the process map scored on four
conditions by the support unit or the manager owning the process (others 403); a person
is eligible when one of their sub-processes is remotable, and a request from anyone
else is refused with the reason; the score rule and threshold are the policy's, which
only the administrators change."""
from __future__ import annotations

from tests.helpers import csrf_token
from tests.smart_working.helpers import agreement_of, ask, post


def _sign_in(client, signed_in, user):
    if 'action="/logout"' in client.get("/").get_data(as_text=True):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    signed_in(user.email)
    return client


def _policy(**changes) -> dict:
    return {"period": "month", "max_days": "8", "max_half_days": "16", "report_due_days": "10",
            "score_rule": "minimum", "threshold": "2", **changes}


def test_a_person_whose_sub_processes_are_not_remotable_is_refused_with_the_reason(
        client, signed_in, deployed, people):
    _sign_in(client, signed_in, people.colleague)  # front desk: contact with users scores 0
    assert 'data-testid="not-eligible"' in client.get("/lavoro-agile/richiesta").get_data(as_text=True)
    answer = ask(client)
    assert answer.status_code == 422
    assert "None of the sub-processes you work on is remotable" in answer.get_data(as_text=True)
    assert agreement_of(people.colleague) is None
    _sign_in(client, signed_in, people.supervisor)  # linked to no sub-process
    answer = ask(client)
    assert answer.status_code == 422
    assert "You work on no sub-process of the process map" in answer.get_data(as_text=True)


def test_the_mean_rule_makes_the_front_desk_remotable(client, signed_in, deployed, people):
    _sign_in(client, signed_in, people.manager)
    assert client.get("/lavoro-agile/regole").status_code == 403
    assert post(client, "/lavoro-agile/regole", _policy(score_rule="mean"),
                form_page="/lavoro-agile").status_code == 403
    _sign_in(client, signed_in, people.support)
    assert post(client, "/lavoro-agile/regole", _policy(threshold="6")).status_code == 422
    assert post(client, "/lavoro-agile/regole", _policy(score_rule="mean")).status_code == 303
    page = client.get("/lavoro-agile/remotabilita").get_data(as_text=True)
    assert "2.50" in page or "2,50" in page  # (0 + 2 + 4 + 4) / 4
    _sign_in(client, signed_in, people.colleague)
    assert ask(client).status_code == 302


def test_the_owner_of_the_process_scores_its_sub_processes_and_links_people(
        client, signed_in, deployed, people):
    desk = deployed["desk"]
    _sign_in(client, signed_in, people.employee)
    assert client.get("/lavoro-agile/remotabilita").status_code == 403
    _sign_in(client, signed_in, people.other_manager)  # heads another area
    assert client.get(f"/lavoro-agile/remotabilita/{desk.id}").status_code == 403
    _sign_in(client, signed_in, people.manager)
    path = f"/lavoro-agile/remotabilita/{desk.id}"
    answer = post(client, path, {"contact": "2", "scheduling": "3", "collegiality": "4",
                                 "interdependence": "4", "note": "Su appuntamento",
                                 "people": [str(people.colleague.id), str(people.supervisor.id)]})
    assert answer.status_code == 303
    assert post(client, path, {"contact": "7", "scheduling": "3", "collegiality": "4",
                               "interdependence": "4"}).status_code == 422
    _sign_in(client, signed_in, people.supervisor)  # now on a remotable sub-process
    assert "Sportello al pubblico" in client.get("/lavoro-agile/richiesta").get_data(as_text=True)
    assert ask(client).status_code == 302


def test_above_the_list_limit_the_people_of_a_sub_process_are_named_by_e_mail(
        client, signed_in, deployed, people, monkeypatch):
    from app.services.org import listing
    from app.services.smart_working import remotability

    desk = deployed["desk"]
    path = f"/lavoro-agile/remotabilita/{desk.id}"
    conditions = {"contact": "2", "scheduling": "3", "collegiality": "4", "interdependence": "4"}
    _sign_in(client, signed_in, people.manager)
    assert post(client, path, {**conditions, "people": [
        str(people.colleague.id), str(people.supervisor.id)]}).status_code == 303
    monkeypatch.setattr(listing, "PEOPLE_LIST_LIMIT", 1)
    html = client.get(path).get_data(as_text=True)
    assert 'name="emails"' in html and 'name="people"' not in html
    assert people.colleague.email in html and people.supervisor.email in html  # who is linked

    def linked() -> set[int]:
        from app.extensions import db
        db.session.expire_all()
        return set(remotability.people_of(desk))

    both = {people.colleague.id, people.supervisor.id}
    refused = post(client, path, {**conditions, "emails": f"{people.colleague.email}, "
                                  f"{people.other_manager.email}"})  # another area's manager
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Nobody of the process" in page  # English here
    assert people.other_manager.email in page
    assert linked() == both
    assert post(client, path, {**conditions, "emails": people.colleague.email.upper()}
                ).status_code == 303
    assert linked() == {people.colleague.id}
