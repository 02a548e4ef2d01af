"""The default evaluation chain, overrides, the demo administration and the audit chain."""
import pytest
from sqlalchemy import func, select, text

from app import audit
from app.demo import org as demo_org
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.org import OrgUnit, User
from app.services.org.errors import OrgError
from app.services.org.operations import evaluator_of, set_evaluator, superior_of
from tests.helpers import (
    ADMIN,
    EMPLOYEE_A1,
    MANAGER,
    OTHER_MANAGER,
    SG,
    SUPERVISOR_A1,
    SUPPORT,
    user_by_email,
)


def test_default_chain(demo):
    employee, supervisor = user_by_email(EMPLOYEE_A1), user_by_email(SUPERVISOR_A1)
    manager, sg = user_by_email(MANAGER), user_by_email(SG)
    assert evaluator_of(employee).user_id == supervisor.id  # the sector head
    assert evaluator_of(supervisor).user_id == manager.id  # the area head above
    assert evaluator_of(manager).user_id == sg.id  # area heads: the SG
    assert evaluator_of(sg).board  # the SG: the Board
    assert superior_of(employee).user_id == manager.id
    # a sector without a head: its staff are evaluated by the area head
    a12 = db.session.execute(select(OrgUnit).where(OrgUnit.code == "A1.2")).scalar_one()
    assert a12.head_id is None
    assert evaluator_of(a12.members[0]).user_id == manager.id


def test_override_and_restore(demo):
    actor, employee = user_by_email(SUPPORT), user_by_email(EMPLOYEE_A1)
    manager = user_by_email(MANAGER)
    set_evaluator(actor, employee, manager, reason="delega revocata")
    db.session.commit()
    assert evaluator_of(employee).user_id == manager.id
    set_evaluator(actor, employee, None)
    db.session.commit()
    assert evaluator_of(employee).user_id == user_by_email(SUPERVISOR_A1).id


def test_override_loop_refused(demo):
    actor = user_by_email(SUPPORT)
    manager, supervisor = user_by_email(MANAGER), user_by_email(SUPERVISOR_A1)
    with pytest.raises(OrgError):
        set_evaluator(actor, manager, supervisor)  # supervisor is evaluated by the manager
    with pytest.raises(OrgError):
        set_evaluator(actor, manager, manager)


def test_override_refused_to_other_roles(demo):
    from werkzeug.exceptions import Forbidden

    with pytest.raises(Forbidden):
        set_evaluator(user_by_email(MANAGER), user_by_email(EMPLOYEE_A1), user_by_email(OTHER_MANAGER))


def test_demo_shape(demo):
    people = db.session.execute(select(User)).scalars().all()
    staff = [u for u in people if "Employee" in u.roles]
    assert 55 <= len(staff) <= 70
    areas = db.session.execute(select(OrgUnit).where(OrgUnit.kind == "area")).scalars().all()
    sectors = db.session.execute(select(OrgUnit).where(OrgUnit.kind == "sector")).scalars().all()
    assert len(areas) == 4 and 8 <= len(sectors) <= 10
    assert all(a.head is not None and "Manager" in a.head.roles for a in areas)
    roles = demo_org.logins_by_role()
    assert len(roles["OIV"]) == 3 and len(roles["SecretaryGeneral"]) == 1
    assert roles["Board"] and roles["SupportUnit"] and roles["Admin"]
    assert len({u.category for u in staff}) >= 4
    assert any(u.part_time_percent < 100 for u in staff)


def test_demo_is_deterministic(app, demo):
    first = sorted(db.session.execute(select(User.email, User.category, User.part_time_percent)).all())
    db.session.execute(text("DELETE FROM evaluator_link"))
    db.session.commit()
    from tests.snapshots import wipe

    wipe()
    demo_org.load("demo")
    db.session.commit()
    second = sorted(db.session.execute(select(User.email, User.category, User.part_time_percent)).all())
    assert first == second


def test_demo_load_refused_with_real_users(app):
    db.session.add(User(email="vero@ente.it", first_name="Vero", last_name="Utente", category="C"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "refused" in result.output
    assert not demo_org.is_loaded()


def test_demo_cli_users(app, demo):
    result = app.test_cli_runner().invoke(args=["demo", "users"])
    assert result.exit_code == 0
    assert ADMIN in result.output and "password: demo" in result.output


def test_audit_verify_detects_tampering(app, demo):
    actor = user_by_email(SUPPORT)
    set_evaluator(actor, user_by_email(EMPLOYEE_A1), user_by_email(MANAGER), reason="prova")
    db.session.commit()
    runner = app.test_cli_runner()
    assert "intact" in runner.invoke(args=["audit", "verify"]).output
    target = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
    db.session.execute(
        text("UPDATE audit_event SET after = :a WHERE id = :i"), {"a": '{"forged": true}', "i": target}
    )
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0
    assert f"broken at event {target}" in result.output


def test_audit_rows_cannot_be_changed_through_the_orm(demo):
    event = db.session.execute(select(AuditEvent)).scalars().first()
    event.action = "forged"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    assert audit.verify().ok


def test_a_head_who_left_evaluates_nobody_the_chain_goes_up(demo):
    employee, supervisor = user_by_email(EMPLOYEE_A1), user_by_email(SUPERVISOR_A1)
    manager = user_by_email(MANAGER)
    supervisor.active = False
    db.session.flush()
    assert evaluator_of(employee).user_id == manager.id
    assert superior_of(employee).user_id == user_by_email(SG).id


def test_an_override_naming_someone_who_left_is_refused_and_not_in_force(demo):
    actor, employee = user_by_email(SUPPORT), user_by_email(EMPLOYEE_A1)
    manager, other = user_by_email(MANAGER), user_by_email(OTHER_MANAGER)
    other.active = False
    db.session.flush()
    with pytest.raises(OrgError, match="non è più in servizio"):
        set_evaluator(actor, employee, other, reason="delega")
    set_evaluator(actor, employee, manager, reason="delega")
    manager.active = False
    db.session.flush()
    assert evaluator_of(employee).user_id != manager.id
