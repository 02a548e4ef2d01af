"""The shipped diagrams pass bpmnlint's recommended rules (.bpmnlintrc, warnings included),
the bpmn.io linter that the designer also runs beside the product's own checks."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BPMNLINT = ROOT / "node_modules" / ".bin" / "bpmnlint"

FAKE_JOIN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" name="Inizio"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="work" name="Lavora">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="gw" name="Serve altro?">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="end" name="Fine"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="gw" />
    <bpmn:sequenceFlow id="f3" name="sì" sourceRef="gw" targetRef="work">
      <bpmn:conditionExpression>again</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" name="no" sourceRef="gw" targetRef="end">
      <bpmn:conditionExpression>not again</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="p">
    <bpmndi:BPMNShape id="s1" bpmnElement="start"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s2" bpmnElement="work"><dc:Bounds x="100" y="0" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s3" bpmnElement="gw"><dc:Bounds x="250" y="0" width="50" height="50" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s4" bpmnElement="end"><dc:Bounds x="350" y="0" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="e1" bpmnElement="f1"><di:waypoint x="36" y="18" /><di:waypoint x="100" y="18" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="e2" bpmnElement="f2"><di:waypoint x="200" y="25" /><di:waypoint x="250" y="25" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="e3" bpmnElement="f3"><di:waypoint x="275" y="50" /><di:waypoint x="275" y="120" /><di:waypoint x="150" y="120" /><di:waypoint x="150" y="80" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="e4" bpmnElement="f4"><di:waypoint x="300" y="25" /><di:waypoint x="350" y="18" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def lint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BPMNLINT), "--max-warnings=0", *map(str, paths)], check=False,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_every_shipped_workflow_passes_bpmnlint():
    diagrams = sorted((ROOT / "workflows").glob("*.bpmn"))
    assert diagrams
    result = lint(*diagrams)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bpmnlint_refuses_a_loop_merged_without_a_gateway(tmp_path):
    diagram = tmp_path / "fake_join.bpmn"
    diagram.write_text(FAKE_JOIN, encoding="utf-8")
    result = lint(diagram)
    assert result.returncode != 0
    assert "fake-join" in result.stdout
