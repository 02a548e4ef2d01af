"""The demo's smart working, after `flask engine deploy` and `flask demo load`: the head
of area A1 has a request to decide, an employee has last month's report due, another
has an agreement in force with its first report done, the front-desk clerk is refused;
the agenda `flask demo users` prints says so, and loading twice changes nothing."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app import engine, task_names
from app.demo import agenda
from app.extensions import db
from app.models.engine import HumanTask
from app.models.smart_working import SmartWorkingAgreement
from app.services.smart_working import remotability
from tests.helpers import user_by_email

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_leaves_a_decision_and_a_report_in_the_inboxes(app, demo):
    """The section's demo as the living demo loads it (after the risk section's, whose
    process map it scores when there is one; here it builds its own), twice."""
    from app.demo import smart_working as demo_smart_working

    sources = engine.read_directory(ROOT / "workflows")
    engine.deploy({"smart_working_agreement.bpmn": sources["smart_working_agreement.bpmn"]})
    db.session.commit()
    for _twice in range(2):
        demo_smart_working.load(demo)
        db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(SmartWorkingAgreement.id))) == 3
    open_tasks = {t.bpmn_id: t for t in db.session.execute(
        select(HumanTask).where(HumanTask.status == "open",
                                HumanTask.form_key.like("smart_working%"))).scalars()}
    assert set(open_tasks) == {"authorise", "monthly_report"}
    assert open_tasks["monthly_report"].assignee_id == user_by_email(
        "alessandro.russo@cciaa-demo.example").id
    statuses = sorted(db.session.execute(select(SmartWorkingAgreement.status)).scalars())
    assert statuses == ["in_force", "in_force", "requested"]
    assert remotability.refusal(user_by_email("giorgio.costa@cciaa-demo.example"))
    assert remotability.refusal(user_by_email("silvia.colombo@cciaa-demo.example")) is None
    employee = user_by_email("alessandro.russo@cciaa-demo.example")  # what `demo users` says of him
    found = agenda.summary(agenda.agenda(employee), employee)
    assert task_names.display_name(open_tasks["monthly_report"]) in found
