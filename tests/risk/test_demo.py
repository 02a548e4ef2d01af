"""The demo's risk section is a year in progress: the RPCT (the Secretary General, listed
by `flask demo users`), the managers and the OIV each have tasks; the register has about
30 risks over the seven areas and 20 measures."""
from sqlalchemy import select

from app.extensions import db
from app.models.engine import HumanTask
from app.models.risk_register import RiskYear
from tests.helpers import SG


def test_the_demo_year_gives_the_rpct_the_managers_and_the_oiv_tasks(app, risk_demo):
    open_roles = set(db.session.execute(select(HumanTask.role).where(
        HumanTask.status == "open")).scalars())
    assert {"RPCT", "Manager", "OIV"} <= open_roles
    year = db.session.execute(select(RiskYear)).scalar_one()
    assert len(year.items) == 30 and len(year.measures) == 20
    assert {i.process.area.code for i in year.items} == set("ABCDEGH")
    assert [c.measure_code for c in year.checks][:2] == ["MGU33", "MO4"]
    users = app.test_cli_runner().invoke(args=["demo", "users"]).output
    assert "RPCT" in users and SG in users
