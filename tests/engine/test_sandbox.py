"""The restricted script environment: what legitimate scripts can do, and every escape
refused at deployment (compile) or at run time with a clear error."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import engine
from app.engine import sandbox
from app.engine.errors import EngineError, ScriptPolicyError
from app.extensions import db
from app.models.engine import ProcessInstance
from tests.engine.helpers import WORKFLOWS, open_task, start_review


@pytest.fixture
def env():
    return sandbox.RestrictedEnvironment()


def test_legitimate_scripts_run(env):
    data = {"scores": [3, 5, 4], "weights": {"a": 40, "b": 60}}
    env.execute(
        "total = 0\n"
        "for s in scores:\n"
        "    total += s\n"
        "best = max(scores)\n"
        "shares = {k: v / 100 for k, v in weights.items()}\n"
        "exact = decimal('0.1') + decimal('0.2')\n"
        "ranked = sorted(enumerate(scores), key=lambda p: -p[1])\n",
        data,
    )
    assert data["total"] == 12 and data["best"] == 5
    assert data["shares"] == {"a": 0.4, "b": 0.6}
    assert data["exact"] == Decimal("0.3") and data["ranked"][0] == (1, 5)
    assert not any(k.startswith("_") or callable(v) for k, v in data.items())
    assert env.evaluate("len(scores) == 3 and all(s > 0 for s in scores)", data) is True


ESCAPES = [
    "__import__('os').system('true')",
    "().__class__.__base__.__subclasses__()",
    "decimal.__globals__['Decimal']",
    "(lambda: 0).__code__",
    "[c for c in ().__class__.__mro__]",
    "open('/etc/passwd').read()",
    "getattr((), '__cl' + 'ass__')",
    "type(())",
    "eval('1')",
    "globals()",
]


@pytest.mark.parametrize("code", ESCAPES)
def test_escapes_are_refused_when_compiled(env, code):
    with pytest.raises(ScriptPolicyError):
        env.evaluate(code, {})
    with pytest.raises(ScriptPolicyError):
        sandbox.compile_checked(f"x = {code}", "exec")


def test_import_statements_are_refused(env):
    with pytest.raises(ScriptPolicyError, match="import"):
        env.execute("import os\nx = os.getcwd()", {})
    with pytest.raises(ScriptPolicyError, match="import"):
        env.execute("from os import path", {})


def test_str_format_attribute_walk_is_refused_at_run_time(env):
    with pytest.raises(Exception, match="format"):
        env.evaluate("'{0.__class__}'.format(x)", {"x": 1})


def test_module_attributes_are_refused(env):
    with pytest.raises(ScriptPolicyError, match="only functions"):
        sandbox.register_function("uuid", uuid)
    # Even a module slipped into the globals by mistake yields nothing.
    env.globals["uuid"] = uuid
    with pytest.raises(ScriptPolicyError, match="module attributes"):
        env.evaluate("uuid.os.getcwd()", {})


def test_unknown_names_fail_at_run_time(env):
    with pytest.raises(NameError):
        env.evaluate("os.getcwd()", {})


def test_runtime_script_error_names_the_task_and_saves_nothing(deployed, people):
    broken = (WORKFLOWS / "engine_review.bpmn").read_text().replace(
        "expired = True", "expired = os.getcwd()")
    engine.deploy({"engine_review.bpmn": broken.encode()})
    db.session.commit()
    instance = start_review(people.employee, review_timeout="PT0S")
    submit = open_task(instance.id, "submit")
    with pytest.raises(EngineError, match="Mark as expired.*NameError.*'os'"):
        engine.complete_task(submit, {"days": 3}, people.employee)
    db.session.rollback()
    assert open_task(instance.id, "submit").id == submit.id


def test_every_load_gets_the_restricted_engine(deployed, people):
    instance = start_review(people.employee)
    workflow = engine.load(instance)
    assert isinstance(workflow.script_engine.environment, sandbox.RestrictedEnvironment)
    assert db.session.scalar(select(func.count(ProcessInstance.id))) == 1
