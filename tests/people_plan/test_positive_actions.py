"""The positive actions plan: objectives with numbered actions (deadline, indicator,
owner optional); the equality committee's opinion recorded by the support unit before
the Board adopts it (403 for anyone else at each step); each action's state recorded
in an open monitoring round of the cycle, beside the performance monitoring."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask
from app.models.equality import ActionMonitoring, CugOpinion, EqualityPlan
from app.models.monitoring import MonitoringRound
from app.services.people_plan import adoption, equality
from tests.cycle.helpers import post_task, sign_in
from tests.helpers import BOARD, EMPLOYEE_A1, SUPPORT, csrf_token, user_by_email

URL = "/people/2022/positive-actions"


@pytest.fixture
def plan(cycle, adoption_deployed):
    from app.demo import people_plan as demo_people

    row = demo_people.load_equality(user_by_email(SUPPORT), cycle)
    db.session.commit()
    return row


def _open(form_key: str) -> HumanTask | None:
    db.session.expire_all()
    return db.session.execute(select(HumanTask).where(
        HumanTask.form_key == form_key, HumanTask.status == "open")).scalar_one_or_none()


def _status() -> str:
    db.session.expire_all()
    return db.session.execute(select(EqualityPlan.status)).scalar_one()


def test_actions_are_numbered_within_their_objective_and_their_extras_are_optional(plan):
    first = plan.objectives[0]
    assert [a.code for a in first.actions] == ["1.1", "1.2"]
    assert first.actions[0].deadline == date(2023, 12, 31)
    assert plan.objectives[1].actions[0].deadline is None
    assert len(plan.objectives) == 6


def test_a_plan_without_actions_is_not_submitted(cycle, adoption_deployed):
    support = user_by_email(SUPPORT)
    empty = equality.open_plan(support, cycle)
    with pytest.raises(equality.PeoplePlanError):
        adoption.submit(support, empty, empty.version, equality.plan_problems(empty))


def test_the_committee_gives_its_opinion_before_the_board_adopts(client, plan):
    sign_in(client, SUPPORT)
    token = csrf_token(client, URL + "/")
    assert client.post(URL + "/submit", data={"csrf_token": token,
                                              "version": plan.version}).status_code == 302
    assert _open("people_plan_deliberation") is None
    opinion = _open("people_plan_cug_opinion")
    assert opinion.role == "SupportUnit"
    for someone in (BOARD, EMPLOYEE_A1):
        sign_in(client, someone)
        assert post_task(client, opinion.id, {"date": "2022-01-18", "outcome": "favourable",
                                              "text": "x"}).status_code == 403
    sign_in(client, SUPPORT)
    assert post_task(client, opinion.id, {
        "date": "2022-01-18", "outcome": "with_remarks",
        "text": "Parere favorevole; si chiede un'indagine sul benessere ogni anno.",
        "attachment": ("parere.pdf", b"%PDF-1.4\n")}, claim=True).status_code == 302
    row = db.session.execute(select(CugOpinion)).scalar_one()
    assert (row.outcome, row.date, row.attachment_sha256 is not None) == (
        "with_remarks", date(2022, 1, 18), True)
    sign_in(client, BOARD)
    board = _open("people_plan_deliberation")
    client.post(f"/tasks/{board.id}/claim", data={"csrf_token": csrf_token(client, "/tasks")})
    assert "si chiede un&#39;indagine sul benessere" in client.get(f"/tasks/{board.id}").get_data(
        as_text=True)  # the Board reads the committee's opinion
    assert post_task(client, board.id, {"approved": "True", "number": "15", "date": "2022-01-27",
                                        "attachment": ("delibera.pdf", b"%PDF-1.4\n")}
                     ).status_code == 302
    assert _status() == "adopted"
    sign_in(client, EMPLOYEE_A1)
    page = client.get(URL + "/").get_data(as_text=True)
    assert "Conciliazione dei tempi di vita e di lavoro" in page and "favorevole con osservazioni" in page


def _adopt(plan) -> None:
    from app.services.cycle.deliberations import DeliberationInput

    support, board = user_by_email(SUPPORT), user_by_email(BOARD)
    adoption.submit(support, plan, plan.version, [])
    equality.record_cug_opinion(support, plan, equality.CugOpinionData(
        date=date(2022, 1, 18), outcome="favourable", text="Favorevole."))
    adoption.deliberate(board, plan, DeliberationInput("15", date(2022, 1, 27), True,
                                                       attachment=b"%PDF-1.4\n"))
    db.session.commit()


def test_each_action_is_monitored_in_the_open_round(client, signed_in, plan, cycle):
    _adopt(plan)
    round_ = MonitoringRound(cycle_id=cycle.id, number=1, label="Monitoraggio intermedio",
                             kind="calendar", status="open", due=date(2022, 9, 30))
    db.session.add(round_)
    db.session.commit()
    actions = equality.actions(plan)
    form = {f"state_{a.id}": "in_progress" for a in actions}
    form[f"state_{actions[0].id}"] = "done"
    form[f"note_{actions[0].id}"] = "Regolamento approvato"
    signed_in(EMPLOYEE_A1)
    token = csrf_token(client, URL + "/")
    assert client.post(URL + "/monitoring", data={"csrf_token": token, "version": plan.version,
                                                  **form}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    signed_in(SUPPORT)
    token = csrf_token(client, URL + "/")
    assert client.post(URL + "/monitoring", data={"csrf_token": token, "version": plan.version,
                                                  **form}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(ActionMonitoring.state).where(
        ActionMonitoring.action_id == actions[0].id)) == "done"
    ((shown_round, states),) = equality.states_by_round(db.session.get(EqualityPlan, plan.id))
    assert shown_round.id == round_.id and len(states) == len(actions)
    page = client.get(URL + "/").get_data(as_text=True)
    assert "Regolamento approvato" in page


def test_a_draft_is_not_monitored(plan, cycle):
    round_ = MonitoringRound(cycle_id=cycle.id, number=1, label="Monitoraggio", kind="calendar",
                             status="open", due=date(2022, 9, 30))
    db.session.add(round_)
    db.session.flush()
    with pytest.raises(equality.PeoplePlanError):
        equality.record_states(user_by_email(SUPPORT), plan, round_,
                               [(equality.actions(plan)[0].id, "done", None)])


def test_above_the_list_limit_an_actions_owner_is_named_by_e_mail(
        client, signed_in, plan, monkeypatch):
    from app.models.equality import PositiveAction
    from app.services.org import listing

    monkeypatch.setattr(listing, "PEOPLE_LIST_LIMIT", 2)
    signed_in(SUPPORT)
    html = client.get(URL + "/").get_data(as_text=True)
    assert 'name="owner_email"' in html and 'name="owner_id"' not in html
    owner = user_by_email(EMPLOYEE_A1)
    form = {"csrf_token": csrf_token(client, URL + "/"), "version": str(plan.version),
            "objective_id": str(plan.objectives[0].id), "title": "Sportello di ascolto",
            "actors": "CUG", "beneficiaries": "Tutto il personale"}

    def owners() -> list:
        db.session.expire_all()
        return list(db.session.execute(select(PositiveAction.owner_id).where(
            PositiveAction.title == "Sportello di ascolto")).scalars())

    page = client.post(URL + "/actions", data={**form, "owner_email": "nessuno@cciaa-demo.example"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Nessuna persona attiva ha questo indirizzo e-mail." in page and owners() == []
    assert client.post(URL + "/actions", data={
        **form, "owner_email": owner.email.upper()}).status_code == 302
    assert owners() == [owner.id]
