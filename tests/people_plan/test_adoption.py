"""The adoption of the staffing plan over HTTP (workflows/people_plan_adoption.bpmn):
the support unit submits, only the Board records the deliberation (403 for anyone
else), a plan sent back is a draft again with the Board's reason on the support unit's
resubmit task, and the adopted plan is read by everyone with its deliberation."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.cycle import BoardDeliberation
from app.models.engine import HumanTask
from app.models.staffing import StaffingPlan
from tests.cycle.helpers import post_task, sign_in
from tests.helpers import BOARD, EMPLOYEE_A1, SUPPORT, csrf_token

PDF = ("delibera.pdf", b"%PDF-1.4\n% delibera\n")


def _open(form_key: str) -> HumanTask | None:
    db.session.expire_all()
    return db.session.execute(select(HumanTask).where(
        HumanTask.form_key == form_key, HumanTask.status == "open")).scalar_one_or_none()


def _status() -> str:
    db.session.expire_all()
    return db.session.execute(select(StaffingPlan.status)).scalar_one()


def test_the_board_adopts_the_staffing_plan_after_sending_it_back_once(
        client, turin, adoption_deployed):
    sign_in(client, SUPPORT)
    token = csrf_token(client, "/people/2022/staffing/")
    assert client.post("/people/2022/staffing/submit",
                       data={"csrf_token": token, "version": turin.version}).status_code == 302
    assert _status() == "submitted"
    board_task = _open("people_plan_deliberation")
    assert board_task is not None and board_task.role == "Board"

    for someone in (EMPLOYEE_A1, SUPPORT):
        sign_in(client, someone)
        assert post_task(client, board_task.id, {"approved": "False", "reason": "x",
                                                 "number": "1", "date": "2022-01-20"}
                         ).status_code == 403

    sign_in(client, BOARD)
    answer = post_task(client, board_task.id, {
        "approved": "False", "reason": "Manca la programmazione del 2024.", "number": "7",
        "date": "2022-01-20"}, claim=True)
    assert answer.status_code == 302
    assert _status() == "draft"
    assert post_task(client, board_task.id, {"approved": "True", "number": "8",
                                             "date": "2022-01-27", "attachment": PDF}
                     ).status_code in (403, 409)  # the task is closed

    resubmit = _open("people_plan_resubmit")
    sign_in(client, SUPPORT)
    client.post(f"/tasks/{resubmit.id}/claim", data={"csrf_token": csrf_token(client, "/tasks")})
    page = client.get(f"/tasks/{resubmit.id}").get_data(as_text=True)
    assert "Manca la programmazione del 2024." in page
    assert post_task(client, resubmit.id, {"confirm": "y"}).status_code == 302
    assert _status() == "submitted"

    sign_in(client, BOARD)
    adopt = _open("people_plan_deliberation")
    assert post_task(client, adopt.id, {"approved": "True", "number": "12", "date": "2022-01-27",
                                        "attachment": PDF}, claim=True).status_code == 302
    assert _status() == "adopted"
    acts = db.session.execute(select(BoardDeliberation.number, BoardDeliberation.outcome,
                                     BoardDeliberation.subject, BoardDeliberation.date)).all()
    assert sorted(acts) == [("12", "approved", "staffing_plan", date(2022, 1, 27)),
                            ("7", "sent_back", "staffing_plan", date(2022, 1, 20))]

    sign_in(client, EMPLOYEE_A1)
    page = client.get("/people/2022/staffing/").get_data(as_text=True)
    assert "9.499.919,94" in page and "n. 12 del 27/01/2022" in page
    assert client.get("/people/2022/staffing/staffing.pdf").status_code == 200


def test_an_adopted_plan_is_no_longer_edited(client, turin, adoption_deployed):
    from app.services.people_plan import adoption, staffing
    from app.services.people_plan.common import PeoplePlanError
    from tests.helpers import user_by_email

    support = user_by_email(SUPPORT)
    adoption.submit(support, turin, turin.version, [])
    db.session.commit()
    with pytest.raises(PeoplePlanError, match="bozza"):
        staffing.remove_hire(support, turin, turin.version, turin.hires[0].id)
