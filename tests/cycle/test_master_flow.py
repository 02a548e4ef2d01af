"""The master process of a cycle with its children stubbed (nobody to assign, monitor or
evaluate): sending back with the reason on the next task, deliberations with their act,
wrong actors, completed tasks, the Report refused then validated, the cycle published."""
from __future__ import annotations

import hashlib
import io
from random import Random

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import audit
from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.cycle import BoardDeliberation, CycleRemark, ReportStatus, ReportVersion
from app.models.plan import Cycle
from app.services.cycle import measurement
from app.services.cycle import operations as cycle_service
from app.services.cycle import report as cycle_report
from tests.cycle.helpers import errors_of, open_cycle_tasks, post_task, sign_in, start_cycle
from tests.engine.helpers import open_task
from tests.helpers import BOARD, MANAGER, SG, SUPPORT, csrf_token


def test_sent_back_plan_shows_the_reason_and_the_board_attaches_its_act(
        client, master_only, no_children, demo_plan):
    cycle, master = start_cycle(demo_plan)
    draft = open_task(master.id, "draft_plan")
    assert draft.role == "SupportUnit" and draft.due_at.date().isoformat() == "2022-12-31"

    sign_in(client, SUPPORT)
    assert post_task(client, draft.id, {"note": "Pronto"}, claim=True).status_code == 302
    review = open_task(master.id, "sg_review")

    sign_in(client, MANAGER)  # not the Secretary General
    assert client.get(f"/tasks/{review.id}").status_code == 403
    assert post_task(client, review.id, {"approved": "True"}).status_code == 403

    sign_in(client, SG)
    refused = post_task(client, review.id, {"approved": "False", "reason": ""}, claim=True)
    assert refused.status_code == 422 and "reason" in errors_of(refused)
    assert post_task(client, review.id, {"approved": "False",
                                         "reason": "Pesi di OS1.2 da rivedere"}).status_code == 302
    assert post_task(client, review.id, {"approved": "True"}).status_code in (403, 409)

    sign_in(client, SUPPORT)
    again = open_task(master.id, "draft_plan")
    token = csrf_token(client, "/tasks")
    assert client.post(f"/tasks/{again.id}/claim", data={"csrf_token": token}).status_code == 302
    assert "Pesi di OS1.2 da rivedere" in client.get(f"/tasks/{again.id}").get_data(as_text=True)
    assert post_task(client, again.id, {"note": ""}).status_code == 302
    sign_in(client, SG)
    assert post_task(client, open_task(master.id, "sg_review").id, {"approved": "True"},
                     claim=True).status_code == 302

    sign_in(client, BOARD)
    adopt = open_task(master.id, "board_plan")
    act = {"number": "12/2023", "date": "2023-01-26", "approved": "True"}
    missing = post_task(client, adopt.id, act, claim=True)
    assert missing.status_code == 422 and "PDF" in errors_of(missing)
    pdf = demo_cycle.PDF
    assert post_task(client, adopt.id, {**act, "attachment": ("delibera.pdf", pdf)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).plan.status == "approved"
    row = db.session.execute(select(BoardDeliberation)).scalar_one()
    assert (row.subject, row.number, row.outcome) == ("plan", "12/2023", "approved")
    assert row.attachment == pdf and row.attachment_sha256 == hashlib.sha256(pdf).hexdigest()
    assert open_task(master.id, "launch_assignments").role == "SupportUnit"


def test_year_end_cannot_close_with_indicators_unmeasured(master_only, demo_plan):
    from tests.helpers import user_by_email

    cycle, _master = start_cycle(demo_plan)
    with pytest.raises(cycle_service.CycleError, match="neither measured nor neutralised"):
        measurement.close_measurement(user_by_email(SUPPORT), cycle)


def test_whole_master_with_no_children_closes_the_cycle(client, master_only, no_children, demo_plan):
    cycle, master = start_cycle(demo_plan)
    assert not [t for t in open_cycle_tasks(cycle.id) if t.form_key == "cycle_rewards_compute"]
    steps = []
    done = demo_cycle.drive(cycle, master, Random(1), demo_cycle.Scenario(), echo=steps.append)
    assert done == 28
    # the fund comes before each draft of the Report (the refused one included)
    fund, draft, validate, rewards = ("Inserisci il fondo", "Predisponi la Relazione",
                                      "Valida la Relazione", "Calcola i premi")
    report_part = [s.strip() for s in steps if s.strip() in (fund, draft, validate, rewards)]
    assert report_part == [fund, draft, validate, fund, draft, validate, rewards]
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.status == "closed"

    first, second = db.session.execute(select(ReportVersion).order_by(ReportVersion.number)).scalars()
    assert first.status == ReportStatus.REFUSED.value and first.refusal_reasons
    assert second.status == ReportStatus.VALIDATED.value and second.statement
    assert second.validated_pdf.startswith(second.pdf)  # the approved bytes, not a new rendering
    assert second.validated_sha256 == hashlib.sha256(second.validated_pdf).hexdigest()
    stated = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(second.pdf)).pages)
    funds = demo_cycle.funds()
    assert funds["staff_fund"] in stated and funds["managers_fund"] in stated  # each pool's fund
    reasons = db.session.execute(select(CycleRemark.text).where(CycleRemark.concerns == "report")).scalars()
    assert list(reasons) == [first.refusal_reasons]
    subjects = sorted(db.session.execute(select(BoardDeliberation.subject)).scalars())
    assert subjects == ["fund", "plan", "report", "report", "sg_evaluation"]
    assert audit.verify().ok
    page = client.get("/trasparenza/").get_data(as_text=True)
    assert "2023" in page


def test_the_report_is_not_drafted_before_the_fund_is_entered(master_only, demo_plan):
    from tests.helpers import user_by_email

    cycle, _master = start_cycle(demo_plan)
    with pytest.raises(cycle_service.CycleError, match="Enter the fund first"):
        cycle_report.draft_report(user_by_email(SUPPORT), cycle, None)


def test_a_stale_form_is_answered_409_and_nothing_is_lost(client, master_only, no_children,
                                                          demo_plan, monkeypatch):
    from sqlalchemy import update

    from app.models.engine import ProcessInstance
    from app.services.tasks import steps
    from tests.engine.helpers import actions

    _cycle, master = start_cycle(demo_plan)
    draft = open_task(master.id, "draft_plan")
    sign_in(client, SUPPORT)
    token = csrf_token(client, "/tasks")
    client.post(f"/tasks/{draft.id}/claim", data={"csrf_token": token})
    token = csrf_token(client, f"/tasks/{draft.id}")
    original = steps.decisions

    def lose_the_race(actor, task, form_data):
        assert task.instance.version  # this request has read the instance
        with db.engine.begin() as connection:  # another request saves it meanwhile
            connection.execute(update(ProcessInstance).where(ProcessInstance.id == task.instance_id)
                               .values(version=ProcessInstance.version + 1))
        return original(actor, task, form_data)

    monkeypatch.setattr(steps, "decisions", lose_the_race)
    answer = client.post(f"/tasks/{draft.id}", data={"csrf_token": token, "note": "x"})
    monkeypatch.undo()
    assert answer.status_code == 409
    assert open_task(master.id, "draft_plan").id == draft.id
    assert "task.complete" not in actions(master.id)
