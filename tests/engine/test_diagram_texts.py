"""A diagram speaks one language and may carry another (app/diagram_texts.py): the shipped
diagrams are Italian with their English texts as `name:en` / `documentation:en`
properties; a lane is named for people ("Giunta") and says its role in a `role`
property. Italian readers see the diagram's text, English readers the English one,
everywhere a task or process is named; a diagram without translations reads the same in
every language."""
from pathlib import Path

import pytest
from flask_babel import force_locale
from lxml import etree
from sqlalchemy import select

from app import diagram_texts as texts
from app import engine
from app.engine import DeploymentError
from app.extensions import db
from app.models.engine import HumanTask, ProcessDefinition
from app.task_names import display_name as task_title
from app.task_names import process_name
from tests.helpers import BOARD, login

ROOT = Path(__file__).resolve().parents[2]
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="x">
  <bpmn:process id="texts_demo" name="Delibera di prova" isExecutable="true">
    <bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="name:en" value="Test deliberation" />
    </spiffworkflow:properties></bpmn:extensionElements>
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lane_board" name="{lane}">
        <bpmn:extensionElements><spiffworkflow:properties>
          <spiffworkflow:property name="role" value="{role}" />
        </spiffworkflow:properties></bpmn:extensionElements>
        <bpmn:flowNodeRef>record</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="record" name="Registra la delibera">
      <bpmn:documentation>Indica numero e data.</bpmn:documentation>
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="engine_test_request" />
        <spiffworkflow:property name="name:en" value="Record the deliberation" />
        <spiffworkflow:property name="documentation:en" value="Give its number and date." />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="record" />
    <bpmn:sequenceFlow id="f2" sourceRef="record" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def board_task(deployed):
    engine.deploy({"texts_demo.bpmn": DIAGRAM.format(lane="Giunta", role="Board").encode()})
    instance = engine.start("texts_demo", business_key="texts:1")
    db.session.commit()
    return db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance.id)).scalar_one()


def test_a_lane_named_in_italian_assigns_its_role(board_task):
    assert board_task.role == "Board"
    assert board_task.title == "Registra la delibera"  # the diagram's own text


def test_a_lane_whose_role_is_unknown_is_refused(deployed):
    with pytest.raises(DeploymentError) as refused:
        engine.deploy({"texts_demo.bpmn": DIAGRAM.format(lane="Giunta", role="Giunta").encode()})
    assert any("lane 'Giunta' is not a known role" in p.message for p in refused.value.problems)


def test_each_reader_sees_the_names_of_their_language(app, board_task):
    definition = board_task.instance.definition
    for locale, title, process, doc in (
            ("it", "Registra la delibera", "Delibera di prova", "Indica numero e data."),
            ("en", "Record the deliberation", "Test deliberation", "Give its number and date.")):
        with app.test_request_context(), force_locale(locale):
            assert task_title(board_task) == title
            assert process_name(definition) == process
        assert engine.instructions(definition, "record", locale) == doc
    with app.test_request_context(), force_locale("fr"):
        assert task_title(board_task) == "Registra la delibera"  # no French: the diagram's text


def test_the_inbox_and_the_task_page_name_the_task_in_the_readers_language(client, board_task):
    login(client, BOARD)
    italian = client.get("/tasks?view=pool").get_data(as_text=True)
    assert "Registra la delibera" in italian and "Record the deliberation" not in italian
    with client.session_transaction() as session:
        session["locale"] = "en"
    english = client.get("/tasks?view=pool").get_data(as_text=True)
    assert "Record the deliberation" in english and "Registra la delibera" not in english
    page = client.get(f"/tasks/{board_task.id}").get_data(as_text=True)
    assert "Record the deliberation" in page and "Test deliberation" in page
    assert "Give its number and date." in page


def test_the_drawn_diagram_takes_the_readers_names(board_task):
    definition = board_task.instance.definition
    drawn = etree.fromstring(texts.localized_xml(definition, "en").encode())
    assert drawn.find(f".//{{{BPMN}}}userTask").get("name") == "Record the deliberation"
    assert texts.localized_xml(definition, "it") == db.session.scalar(
        select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition.id))


@pytest.mark.parametrize("diagram", sorted((ROOT / "workflows").glob("*.bpmn")),
                         ids=lambda p: p.name)
def test_every_shipped_diagram_speaks_italian_and_carries_english(diagram):
    """Every named element and every documentation has its English text, and lanes say
    their role; the Italian text differs from the English one (nothing left untranslated)."""
    root = etree.parse(str(diagram)).getroot()
    missing = []
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN:
            continue
        kind = etree.QName(element).localname
        if kind in {"message", "signal", "error", "escalation", "property", "inputDataItem",
                    "participant", "definitions"}:
            continue
        props = texts.element_properties(element)
        name = element.get("name")
        if kind == "lane" and not props.get("role"):
            missing.append(f"lane {element.get('id')}: no role")
        if name and not props.get("name:en"):
            missing.append(f"{kind} {element.get('id')}: no name:en")
        doc = element.find(f"{{{BPMN}}}documentation")
        if doc is not None and doc.text and not props.get("documentation:en"):
            missing.append(f"{kind} {element.get('id')}: no documentation:en")
        if kind == "userTask" and name == props.get("name:en") and name != "OIV":
            missing.append(f"{kind} {element.get('id')}: name not translated")
    assert missing == []
