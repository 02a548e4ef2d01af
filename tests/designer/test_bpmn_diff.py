"""The semantic diff between two versions of a diagram ignores layout and reports the
elements added, removed and changed."""
from app.services.designer.bpmn_diff import diff_bpmn

BASE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lane_su" name="SupportUnit"><bpmn:flowNodeRef>draft</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="lane_board" name="Board"><bpmn:flowNodeRef>approve</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="draft" name="Draft the plan">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="approval"/>
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="approve" name="Approve"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="draft"/>
    <bpmn:sequenceFlow id="f2" sourceRef="draft" targetRef="approve"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
    <bpmndi:BPMNShape id="s1" bpmnElement="draft"><dc:Bounds x="{x}" y="10" width="100" height="80"/></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def _xml(**replacements) -> bytes:
    text = BASE.replace("{x}", replacements.pop("x", "10"))
    for old, new in replacements.items():
        text = text.replace(old.replace("_", " "), new)
    return text.encode()


def test_layout_only_is_no_change():
    assert diff_bpmn(_xml(x="10"), _xml(x="300")).empty


def test_added_removed_changed():
    old = _xml()
    new = BASE.replace("{x}", "10").replace(
        '<bpmn:userTask id="approve" name="Approve"/>',
        '<bpmn:userTask id="approve" name="Approve the plan"/><bpmn:endEvent id="end"/>',
    ).replace('value="approval"', 'value="plan_review"').replace(
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="draft"/>', ""
    ).encode()
    result = diff_bpmn(old, new)
    assert [c.element_id for c in result.added] == ["end"]
    assert [c.element_id for c in result.removed] == ["f1"]
    changed = {c.element_id: c.changes for c in result.changed}
    assert changed["approve"] == {"name": ("Approve", "Approve the plan")}
    assert changed["draft"] == {"property:formKey": ("approval", "plan_review")}


def test_lane_move_is_a_change():
    new = BASE.replace("{x}", "10").replace(
        '<bpmn:lane id="lane_su" name="SupportUnit"><bpmn:flowNodeRef>draft</bpmn:flowNodeRef></bpmn:lane>',
        '<bpmn:lane id="lane_su" name="SupportUnit"/>',
    ).replace(
        '<bpmn:flowNodeRef>approve</bpmn:flowNodeRef>',
        '<bpmn:flowNodeRef>approve</bpmn:flowNodeRef><bpmn:flowNodeRef>draft</bpmn:flowNodeRef>',
    ).encode()
    changed = {c.element_id: c.changes for c in diff_bpmn(_xml(), new).changed}
    assert changed == {"draft": {"lane": ("SupportUnit", "Board")}}
