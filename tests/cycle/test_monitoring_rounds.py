"""Several monitoring rounds per cycle: the calendar's rounds run in order through the
master's loop, each followed by the optional revision (Rev. 1, then Rev. 2); extra
rounds are opened by the support unit or the OIV (never by a manager) with their own
process; each round keeps its own results."""
from __future__ import annotations

from datetime import date
from random import Random

from sqlalchemy import select

from app.demo import cycle as demo_cycle
from app.extensions import db
from app.models.cycle import OivMonitoringReport
from app.models.engine import ProcessInstance
from app.models.monitoring import MonitoringRound
from app.models.plan import Cycle, PlanRevision
from app.services.cycle import rounds
from tests.cycle.helpers import sign_in, start_cycle
from tests.helpers import BOARD, MANAGER, OIV, SUPPORT, csrf_token, run_jobs, user_by_email


def test_calendar_rounds_run_in_order_and_the_second_revision_is_rev_2(
        master_only, no_children, demo_plan):
    cycle, master = start_cycle(demo_plan)
    support = user_by_email(SUPPORT)
    rounds.add_calendar_round(support, cycle, "30 settembre", date(2023, 9, 30), date(2023, 10, 15))
    risky = next(i for o in cycle.plan.objectives for i in o.indicators if demo_cycle._revisable(i))
    risky.at_risk, risky.monitoring_note = True, "Domanda in calo"
    db.session.commit()

    demo_cycle.drive(cycle, master, Random(1), demo_cycle.Scenario(), echo=lambda _m: None)
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.status == "closed"
    done = [(r.number, r.label, r.status) for r in rounds.rounds(cycle)]
    assert done == [(1, "Intermediate monitoring", "closed"), (2, "30 settembre", "closed")]
    revisions = db.session.execute(select(PlanRevision.number, PlanRevision.status).where(
        PlanRevision.plan_id == cycle.plan.id).order_by(PlanRevision.number)).all()
    assert [tuple(r) for r in revisions] == [(0, "approved"), (1, "approved"), (2, "approved")]
    reports = db.session.execute(select(OivMonitoringReport.round).where(
        OivMonitoringReport.cycle_id == cycle.id).order_by(OivMonitoringReport.round)).scalars()
    assert list(reports) == [1, 2]


def _adopted(demo_plan):
    cycle, _master = start_cycle(demo_plan)
    cycle.plan.status = "approved"
    db.session.commit()
    return cycle


def _open(client, cycle, label):
    token = csrf_token(client, f"/monitoraggi/{cycle.year}")
    return client.post(f"/monitoraggi/{cycle.year}/rounds",
                       data={"csrf_token": token, "label": label, "due": "31/10/2023"})


def test_extra_rounds_are_opened_by_the_oiv_and_the_support_unit_not_by_a_manager(
        client, all_workflows, demo_plan):
    cycle = _adopted(demo_plan)
    sign_in(client, MANAGER)
    assert _open(client, cycle, "Straordinario").status_code == 403
    sign_in(client, OIV)
    assert _open(client, cycle, "Straordinario OIV").status_code == 302
    sign_in(client, SUPPORT)
    assert _open(client, cycle, "Straordinario STS").status_code == 302
    run_jobs()
    db.session.expire_all()
    extra = [r for r in rounds.rounds(db.session.get(Cycle, cycle.id)) if r.kind == "extra"]
    assert [(r.number, r.label, r.status) for r in extra] == [
        (1, "Straordinario OIV", "open"), (2, "Straordinario STS", "open")]
    for row in extra:
        parent = db.session.execute(select(ProcessInstance).where(
            ProcessInstance.business_key == f"monitoring_round:{row.id}")).scalar_one()
        children = db.session.execute(select(ProcessInstance.process_id).where(
            ProcessInstance.parent_id == parent.id)).scalars().all()
        assert "monitoring" in children
    page = client.get(f"/monitoraggi/{cycle.year}").get_data(as_text=True)
    assert "Straordinario OIV" in page and "Straordinario STS" in page


def test_the_oiv_and_the_board_see_the_rounds_an_employee_does_not(client, master_only, demo_plan):
    from tests.helpers import EMPLOYEE_A1

    cycle, _master = start_cycle(demo_plan)
    sign_in(client, EMPLOYEE_A1)
    assert client.get(f"/monitoraggi/{cycle.year}").status_code == 403
    for reader in (OIV, BOARD):
        sign_in(client, reader)
        page = client.get(f"/monitoraggi/{cycle.year}")
        assert page.status_code == 200 and "Intermediate monitoring" in page.get_data(as_text=True)


def test_a_round_needs_the_adopted_plan(master_only, demo_plan):
    import pytest

    cycle, _master = start_cycle(demo_plan)
    with pytest.raises(rounds.RoundError):
        rounds.open_extra_round(user_by_email(OIV), cycle, "Troppo presto", date(2023, 3, 1))
    assert db.session.execute(select(MonitoringRound).where(
        MonitoringRound.kind == "extra")).first() is None


def test_the_support_unit_adds_a_calendar_round_others_are_refused(client, master_only, demo_plan):
    cycle, _master = start_cycle(demo_plan)

    def add(label, opens_on, due):
        token = csrf_token(client, f"/monitoraggi/{cycle.year}")
        return client.post(f"/monitoraggi/{cycle.year}/calendar", data={
            "csrf_token": token, "label": label, "opens_on": opens_on, "due": due})

    for refused in (OIV, MANAGER):
        sign_in(client, refused)
        assert add("30 settembre", "30/09/2023", "15/10/2023").status_code == 403
    sign_in(client, SUPPORT)
    assert add("Rovesciato", "15/10/2023", "30/09/2023").status_code == 303
    assert add("30 settembre", "30/09/2023", "15/10/2023").status_code == 302
    db.session.expire_all()
    planned = [(r.label, r.opens_on, r.status) for r in rounds.rounds(db.session.get(Cycle, cycle.id))]
    assert planned == [("Intermediate monitoring", date(2023, 7, 1), "planned"),
                       ("30 settembre", date(2023, 9, 30), "planned")]


def test_an_extra_round_ends_with_the_support_units_consolidation(client, all_workflows, demo_plan):
    from app.demo.child_inputs import synthetic
    from app.models.engine import HumanTask

    cycle = _adopted(demo_plan)
    row = rounds.open_extra_round(user_by_email(OIV), cycle, "Straordinario", date(2023, 10, 31))
    db.session.commit()
    run_jobs()
    parent = db.session.execute(select(ProcessInstance).where(
        ProcessInstance.business_key == f"monitoring_round:{row.id}")).scalar_one()
    children = db.session.execute(select(ProcessInstance.id).where(
        ProcessInstance.parent_id == parent.id)).scalars().all()
    assert children
    for task in db.session.execute(select(HumanTask).where(
            HumanTask.instance_id.in_(children), HumanTask.status == "open")).scalars().all():
        demo_cycle.complete(task, synthetic(task, Random(3)))
    consolidation = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == parent.id, HumanTask.status == "open")).scalar_one()
    assert consolidation.role == "SupportUnit" and consolidation.form_key == "monitoring_round_consolidation"
    demo_cycle.complete(consolidation, {"note": "Nessuna criticità nuova."})
    db.session.expire_all()
    row = db.session.get(MonitoringRound, row.id)
    assert (row.status, row.consolidation_note) == ("closed", "Nessuna criticità nuova.")
    assert row.entries and {e.round_id for e in row.entries} == {row.id}
    assert db.session.get(ProcessInstance, parent.id).status == "completed"
    sign_in(client, SUPPORT)  # a revision can follow the extra round, through the plan's page
    page = client.get(f"/monitoraggi/{cycle.year}").get_data(as_text=True)
    assert "Nessuna criticità nuova." in page and f"/{cycle.year}/revisions" in page
