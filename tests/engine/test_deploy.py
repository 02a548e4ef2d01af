"""Deployment: versions, unchanged files, and every refused case naming its element."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import engine
from app.extensions import db
from app.models.engine import ProcessDefinition
from tests.engine.helpers import WORKFLOWS, open_task, start_review

REVIEW = (WORKFLOWS / "engine_review.bpmn").read_text()


def _versions(process_id: str) -> list[int]:
    return list(db.session.execute(
        select(ProcessDefinition.version).where(ProcessDefinition.process_id == process_id)
        .order_by(ProcessDefinition.version)).scalars())


def test_deploy_creates_one_version_per_process(deployed):
    assert sorted((r.definition.process_id, r.created) for r in deployed) == [
        ("engine_child", True), ("engine_master", True), ("engine_review", True)]
    definition = next(r.definition for r in deployed if r.definition.process_id == "engine_review")
    assert definition.version == 1 and len(definition.sha256) == 64
    assert definition.source_name == "engine_review.bpmn"
    assert "review_deadline" in definition.bpmn_xml and '"spec"' in definition.spec_json


def test_unchanged_files_create_no_version(deployed):
    again = engine.deploy_directory(WORKFLOWS)
    assert not any(r.created for r in again)
    assert _versions("engine_review") == [1]


def test_changed_file_is_a_new_version_and_running_instances_stay(deployed, people):
    old = start_review(people.employee)
    changed = REVIEW.replace("Submit the request", "Submit your request")
    (result,) = [r for r in engine.deploy({"engine_review.bpmn": changed.encode()})
                 if r.definition.process_id == "engine_review"]
    db.session.commit()
    assert result.created and result.definition.version == 2
    new = start_review(people.other_employee)
    assert open_task(old.id, "submit").title == "Submit the request"
    assert open_task(new.id, "submit").title == "Submit your request"
    assert old.definition.version == 1 and new.definition.version == 2


def test_cli_deploy_prints_what_it_did(app, demo):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["engine", "deploy", "--directory", str(WORKFLOWS)])
    assert first.exit_code == 0, first.output
    assert "engine_review v1 deployed" in first.output
    second = runner.invoke(args=["engine", "deploy", "--directory", str(WORKFLOWS)])
    assert "engine_review v1 unchanged" in second.output
    assert db.session.scalar(select(func.count(ProcessDefinition.id))) == 3


def _refused(xml: str, name: str = "case.bpmn"):
    with pytest.raises(engine.DeploymentError) as caught:
        engine.deploy({name: xml.encode()})
    return caught.value.problems


REFUSED = {
    "broken XML": (REVIEW.replace("</bpmn:process>", "", 1), None, "does not parse"),
    "unknown lane": (REVIEW.replace('name="Manager"', 'name="Janitor"'), "lane_manager",
                     "not a known role"),
    "task without formKey": (REVIEW.replace(
        '<spiffworkflow:property name="formKey" value="approval" />', ""), "review", "no formKey"),
    "unregistered formKey": (REVIEW.replace('value="approval"', 'value="no_such_form"'), "review",
                             "not in the forms registry"),
    "task outside any lane": (REVIEW.replace("<bpmn:flowNodeRef>review</bpmn:flowNodeRef>", ""),
                              "review", "in no lane"),
    "__import__ in a script": (REVIEW.replace("expired = True", "expired = __import__('os')"),
                               "mark_expired", "starts with \"_\""),
    "import statement": (REVIEW.replace("expired = True", "import os"), "mark_expired",
                         "import statements are not allowed"),
    "__subclasses__ walk in a condition": (REVIEW.replace(
        "approved == True", "().__class__.__base__.__subclasses__()"), "f_ok", "__class__"),
    "__globals__ walk in a timer": (REVIEW.replace(
        ">review_timeout<", ">decimal.__globals__['Decimal']<"), "review_deadline", "__globals__"),
    "open() in a timer": (REVIEW.replace(">review_timeout<", ">open('/etc/passwd').read()<"),
                          "review_deadline", "'open' is not available"),
    "getattr escape in a due date": (REVIEW.replace(
        'value="ack_within"', "value=\"getattr(ack_within, 'upper')\""), "acknowledge",
        "'getattr' is not available"),
    "unquoted ISO timer": (REVIEW.replace(">review_timeout<", ">P5D<"), "review_deadline",
                           "in quotes"),
    "unquoted ISO due date": (REVIEW.replace('value="ack_within"', 'value="P10D"'),
                              "acknowledge", "write 'P10D' in quotes"),
    "reminderDays not a number": (REVIEW.replace('name="reminderDays" value="2"',
                                                 'name="reminderDays" value="two"'),
                                  "acknowledge", "whole number"),
    "service task": (REVIEW.replace('<bpmn:scriptTask id="mark_expired" name="Mark as expired">',
                                    '<bpmn:serviceTask id="mark_expired" name="Mark as expired">')
                     .replace("</bpmn:scriptTask>", "</bpmn:serviceTask>"),
                     "mark_expired", "service tasks are not supported"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_deployments_name_the_element(demo, case):
    xml, element, message = REFUSED[case]
    problems = _refused(xml)
    assert any(p.element_id == element and message in p.message for p in problems), problems
    assert all(p.source == "case.bpmn" for p in problems)
    assert db.session.scalar(select(func.count(ProcessDefinition.id))) == 0


def test_structural_errors_from_the_parser_are_reported(demo):
    xml = REVIEW.replace('sourceRef="acknowledge" targetRef="end_ok"',
                         'sourceRef="acknowledge" targetRef="nowhere"')
    (problem,) = _refused(xml)
    assert problem.source == "case.bpmn" and problem.element_id == "acknowledge"


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">
  <decision id="band" name="Band">
    <decisionTable id="table">
      <input id="in1" label="Score"><inputExpression id="ie1" typeRef="number"><text>score</text></inputExpression></input>
      <output id="out1" name="band" typeRef="string" />
      <rule id="rule_high"><inputEntry id="r1i"><text>&gt;= 5</text></inputEntry><outputEntry id="r1o"><text>"high"</text></outputEntry></rule>
      <rule id="rule_bad"><inputEntry id="r2i"><text>?.__class__</text></inputEntry><outputEntry id="r2o"><text>"low"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


def test_dmn_cells_are_checked_too(demo):
    with pytest.raises(engine.DeploymentError) as caught:
        engine.deploy({"band.dmn": DMN.encode()})
    (problem,) = caught.value.problems
    assert problem.element_id == "r2i" and "__class__" in problem.message


def test_parse_reports_every_problem_at_once(demo):
    xml = REVIEW.replace('name="Manager"', 'name="Janitor"').replace(
        'value="approval"', 'value="nope"')
    problems = _refused(xml)
    assert {p.element_id for p in problems} >= {"lane_manager", "review"}
