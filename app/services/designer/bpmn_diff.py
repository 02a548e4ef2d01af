"""Semantic difference between two BPMN documents: which elements were added, removed or
changed (name, lane, form, properties, conditions, scripts, timers), ignoring layout."""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_SKIP = {"definitions", "extensionElements", "incoming", "outgoing", "flowNodeRef", "laneSet",
         "documentation", "conditionExpression", "script", "timeDuration", "timeDate",
         "timeCycle", "text"}


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    kind: str
    name: str
    changes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class BpmnDiff:
    added: list[ElementChange]
    removed: list[ElementChange]
    changed: list[ElementChange]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text_of(element, local_name: str) -> str | None:
    found = element.find(f".//{{{BPMN}}}{local_name}")
    return None if found is None or found.text is None else found.text.strip()


def _describe(xml: bytes) -> dict[str, dict[str, str | None]]:
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    lanes = {}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.iter(f"{{{BPMN}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane.get("name")
    elements = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{BPMN}}}"):
            continue
        kind, element_id = _local(element.tag), element.get("id")
        if not element_id or kind in _SKIP:
            continue
        facts = {"kind": kind, "name": element.get("name")}
        for attr in ("sourceRef", "targetRef", "attachedToRef", "default", "cancelActivity",
                     "processRef", "calledElement", "isExecutable"):
            if element.get(attr) is not None:
                facts[attr] = element.get(attr)
        if element_id in lanes:
            facts["lane"] = lanes[element_id]
        for local_name in ("conditionExpression", "script", "timeDuration", "timeDate", "timeCycle",
                           "documentation"):
            value = _text_of(element, local_name) if kind != "process" else None
            if value is not None:
                facts[local_name] = value
        for prop in element.iterfind(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}properties/{{{SPIFF}}}property"):
            facts[f"property:{prop.get('name')}"] = prop.get("value")
        elements[element_id] = facts
    return elements


def diff_bpmn(old_xml: bytes, new_xml: bytes) -> BpmnDiff:
    old, new = _describe(old_xml), _describe(new_xml)

    def entry(element_id, facts, changes=None):
        return ElementChange(element_id, facts["kind"], facts.get("name") or "", changes or {})

    added = [entry(i, new[i]) for i in sorted(new.keys() - old.keys())]
    removed = [entry(i, old[i]) for i in sorted(old.keys() - new.keys())]
    changed = []
    for element_id in sorted(old.keys() & new.keys()):
        before, after = old[element_id], new[element_id]
        delta = {
            key: (before.get(key), after.get(key))
            for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)
        }
        if delta:
            changed.append(entry(element_id, after, delta))
    return BpmnDiff(added, removed, changed)
