"""A diagram's texts in other languages, and the role behind each lane.

The shipped diagrams speak Italian, since administrators read and edit them in the
designer. An element may also carry its name and documentation in another language as
spiffworkflow properties `name:<lang>` and `documentation:<lang>` (for example
`name:en`); the interface shows that text to a reader of that language and the diagram's
own text to everyone else. A lane shows a name people read ("Giunta") and says the role
it stands for in its `role` property; a lane without one is named after its role.

Read from the stored XML of a definition version, once per version (versions never
change: the cache is keyed by the content hash too)."""
from __future__ import annotations

from functools import lru_cache

from lxml import etree
from sqlalchemy import func, select

from app.extensions import db
from app.models.engine import ProcessDefinition

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
_TRANSLATED = ("name:", "documentation:")


def element_properties(element) -> dict[str, str]:
    """The spiffworkflow:property values of one BPMN element."""
    return {
        p.get("name"): p.get("value") or ""
        for p in element.iterfind(f"{{{BPMN_NS}}}extensionElements/{{{SPIFF_NS}}}properties/"
                                  f"{{{SPIFF_NS}}}property")
    }


def lane_role(lane) -> str:
    """The role a lane element stands for: its `role` property, else its name."""
    return (element_properties(lane).get("role") or lane.get("name") or "").strip()


@lru_cache(maxsize=256)
def _read(definition_id: int, sha256: str) -> tuple[dict, dict]:
    xml = db.session.scalar(
        select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition_id))
    root = etree.fromstring(xml.encode("utf-8"), parser=_PARSER)
    texts, roles = {}, {}
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.get("id"):
            continue
        translated = {k: v for k, v in element_properties(element).items()
                      if k.startswith(_TRANSLATED) and v}
        if translated:
            texts[element.get("id")] = {**translated, "name": element.get("name") or ""}
        if element.tag == f"{{{BPMN_NS}}}lane":
            roles[(element.get("name") or "").strip()] = lane_role(element)
    return texts, roles


def translated(definition: ProcessDefinition, element_id: str, field: str, locale: str,
               default: str) -> str:
    """`field` ("name" or "documentation") of an element for a reader of `locale`."""
    texts, _roles = _read(definition.id, definition.sha256)
    return texts.get(element_id, {}).get(f"{field}:{locale}") or default


def role_of_lane(definition: ProcessDefinition, lane_name: str | None) -> str | None:
    if lane_name is None:
        return None
    _texts, roles = _read(definition.id, definition.sha256)
    return roles.get(lane_name, lane_name)


@lru_cache(maxsize=8)
def _names(latest_definition_id: int, locale: str) -> dict[tuple[str, str], str]:
    names = {}
    rows = db.session.execute(select(ProcessDefinition.id, ProcessDefinition.sha256)
                              .order_by(ProcessDefinition.id)).all()
    for definition_id, sha256 in rows:  # later versions win
        texts, _roles = _read(definition_id, sha256)
        for element_id, entry in texts.items():
            if entry.get(f"name:{locale}"):
                names[(element_id, entry["name"])] = entry[f"name:{locale}"]
    return names


def names(locale: str) -> dict[tuple[str, str], str]:
    """(BPMN id, the diagram's own name) -> the name for a reader of `locale`, over every
    deployed version: an inbox row keeps the task's id and the name it opened with, so a
    page of rows from many instances is translated with one query."""
    latest = db.session.scalar(select(func.max(ProcessDefinition.id))) or 0
    return _names(latest, locale)


@lru_cache(maxsize=64)
def _localized_xml(definition_id: int, sha256: str, locale: str) -> str:
    xml = db.session.scalar(
        select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == definition_id))
    texts, _roles = _read(definition_id, sha256)
    if not any(f"name:{locale}" in entry for entry in texts.values()):
        return xml
    root = etree.fromstring(xml.encode("utf-8"), parser=_PARSER)
    for element in root.iter():
        name = texts.get(element.get("id") or "", {}).get(f"name:{locale}") \
            if isinstance(element.tag, str) else None
        if name:
            element.set("name", name)
    return etree.tostring(root, encoding="unicode")


def localized_xml(definition: ProcessDefinition, locale: str) -> str:
    """The diagram as a reader of `locale` sees it drawn: names in that language where the
    diagram gives them (the stored XML, which the modeler edits, is never changed)."""
    return _localized_xml(definition.id, definition.sha256, locale)
