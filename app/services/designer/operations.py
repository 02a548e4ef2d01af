"""What the workflow designer does: list processes and versions, keep drafts, validate
and deploy diagrams edited in the browser or uploaded, move running instances to a new
version. Admin only (checked by the views and again here for state changes); every
deploy and migration is audited by the engine. The catalogue of task forms is
forms.catalogue."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit, engine
from app.engine import migration
from app.engine.errors import DeploymentError, EngineError, Problem
from app.extensions import db
from app.models.engine import InstanceStatus, ProcessDefinition, ProcessInstance, WorkflowDraft
from app.models.org import Role, User
from app.models.plan import Cycle
from app.models.types import utcnow
from app.services.org.permissions import require_role

_PROCESS_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
_RESERVED = {"new", "forms", "validate", "drafts", "deploy", "upload"}


class DesignerError(ValueError):
    """Refused input; the message is meant for the user interface."""


@dataclass(frozen=True)
class VersionRow:
    definition: ProcessDefinition
    running: int
    finished: int
    deployed_by: User | None


@dataclass(frozen=True)
class ProcessRow:
    process_id: str
    name: str
    active: VersionRow
    version_count: int
    has_draft: bool


def clean_process_id(text: str) -> str | None:
    text = (text or "").strip()
    return text if _PROCESS_ID.match(text) and text not in _RESERVED else None


def _counts() -> dict[tuple[int, str], int]:
    rows = db.session.execute(
        select(ProcessInstance.definition_id, ProcessInstance.status, func.count())
        .group_by(ProcessInstance.definition_id, ProcessInstance.status)
    )
    return {(definition_id, status): n for definition_id, status, n in rows}


def _version_rows(definitions: list[ProcessDefinition]) -> list[VersionRow]:
    counts = _counts()
    users = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_({d.deployed_by_id for d in definitions if d.deployed_by_id}))
    ).scalars()}
    return [VersionRow(d, counts.get((d.id, InstanceStatus.RUNNING.value), 0),
                       counts.get((d.id, InstanceStatus.COMPLETED.value), 0),
                       users.get(d.deployed_by_id)) for d in definitions]


def versions(process_id: str) -> list[VersionRow]:
    """Newest first; the first is the active version (new instances start on it)."""
    definitions = db.session.execute(
        select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
        .order_by(ProcessDefinition.version.desc())
    ).scalars().all()
    return _version_rows(list(definitions))


def catalogue() -> list[ProcessRow]:
    latest = select(ProcessDefinition.process_id, func.max(ProcessDefinition.version).label("v"),
                    func.count().label("n")).group_by(ProcessDefinition.process_id).subquery()
    rows = db.session.execute(
        select(ProcessDefinition, latest.c.n)
        .join(latest, (latest.c.process_id == ProcessDefinition.process_id)
              & (latest.c.v == ProcessDefinition.version))
        .order_by(ProcessDefinition.process_id)
    ).all()
    drafts = set(db.session.execute(select(WorkflowDraft.process_id)).scalars())
    version_rows = _version_rows([d for d, _n in rows])
    return [ProcessRow(d.process_id, d.name, v, n, d.process_id in drafts)
            for (d, n), v in zip(rows, version_rows)]


def definition(process_id: str, version: int | None) -> ProcessDefinition | None:
    if version is None:
        return None
    return db.session.execute(
        select(ProcessDefinition).where(ProcessDefinition.process_id == process_id,
                                        ProcessDefinition.version == version)
    ).scalar_one_or_none()


def draft_of(process_id: str) -> WorkflowDraft | None:
    return db.session.execute(
        select(WorkflowDraft).where(WorkflowDraft.process_id == process_id)
    ).scalar_one_or_none()


def editable_xml(process_id: str) -> str | None:
    """The draft if there is one, else the active version."""
    draft = draft_of(process_id)
    if draft is not None:
        return draft.bpmn_xml
    current = versions(process_id)
    return current[0].definition.bpmn_xml if current else None


def blank_diagram(process_id: str) -> str:
    """A new process: one SupportUnit lane with a start event."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Definitions_{process_id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="Collaboration_{process_id}">
    <bpmn:participant id="Participant_{process_id}" name="{process_id}" processRef="{process_id}"/>
  </bpmn:collaboration>
  <bpmn:process id="{process_id}" name="{process_id}" isExecutable="true">
    <bpmn:laneSet id="LaneSet_{process_id}">
      <bpmn:lane id="Lane_SupportUnit" name="SupportUnit">
        <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_{process_id}">
    <bpmndi:BPMNPlane id="Plane_{process_id}" bpmnElement="Collaboration_{process_id}">
      <bpmndi:BPMNShape id="Participant_{process_id}_di" bpmnElement="Participant_{process_id}" isHorizontal="true">
        <dc:Bounds x="120" y="60" width="800" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_SupportUnit_di" bpmnElement="Lane_SupportUnit" isHorizontal="true">
        <dc:Bounds x="150" y="60" width="770" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="200" y="142" width="36" height="36"/>
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def validate(xml: str, source_name: str = "diagram.bpmn") -> list[Problem]:
    """Every deployment check of the engine, without writing anything."""
    try:
        engine.parse({source_name: xml.encode("utf-8")})
    except DeploymentError as exc:
        return exc.problems
    return []


def save_draft(actor: User, process_id: str, xml: str) -> WorkflowDraft:
    require_role(actor, Role.ADMIN)
    if clean_process_id(process_id) is None:
        raise DesignerError(_l("Give the process an identifier: letters, digits and underscores."))
    draft = draft_of(process_id) or WorkflowDraft(process_id=process_id)
    draft.bpmn_xml, draft.updated_by_id, draft.updated_at = xml, actor.id, utcnow()
    db.session.add(draft)
    db.session.flush()
    audit.record("definition.draft", actor=actor, obj=draft, after={"process_id": process_id})
    return draft


def discard_draft(actor: User, process_id: str) -> bool:
    """Drop the draft; the modeler opens the active version again. False: no draft."""
    require_role(actor, Role.ADMIN)
    draft = draft_of(process_id)
    if draft is None:
        return False
    audit.record("definition.draft_discard", actor=actor, obj=draft,
                 before={"process_id": process_id})
    db.session.delete(draft)
    return True


def undeployed_drafts() -> list[WorkflowDraft]:
    """Drafts of new processes, never deployed (the catalogue lists them apart)."""
    deployed = select(ProcessDefinition.process_id)
    return list(db.session.execute(
        select(WorkflowDraft).where(WorkflowDraft.process_id.not_in(deployed))
        .order_by(WorkflowDraft.process_id)).scalars())


@dataclass(frozen=True)
class DeployResult:
    definition: ProcessDefinition | None = None
    created: bool = False
    problems: list[Problem] = field(default_factory=list)


def deploy_xml(actor: User, process_id: str | None, xml: str,
               source_name: str | None = None) -> DeployResult:
    """Validate and deploy one diagram as a new version (unchanged: the same version).
    With process_id given, the diagram must define that process."""
    require_role(actor, Role.ADMIN)
    name = source_name or f"{process_id or 'diagram'}.bpmn"
    try:
        results = engine.deploy({name: xml.encode("utf-8")}, actor, revert=True)
    except DeploymentError as exc:
        return DeployResult(problems=exc.problems)
    if process_id:
        mine = [r for r in results if r.definition.process_id == process_id]
        if not mine:
            return DeployResult(problems=[Problem(name, None, str(_l(
                "The diagram does not define the process '%(id)s'.", id=process_id)))])
        result = mine[0]
    else:
        result = results[0]
    draft = draft_of(result.definition.process_id)
    if draft is not None:
        db.session.delete(draft)
    return DeployResult(result.definition, result.created)


def cycles() -> list[Cycle]:
    """The cycles an administrator can attach a trial instance to, newest first."""
    return list(db.session.execute(select(Cycle).order_by(Cycle.year.desc(), Cycle.id)).scalars())


def start_instance(actor: User, process_id: str, business_key: str,
                   cycle_id: int | None) -> ProcessInstance:
    """Start the active version of a process, for an administrator trying a deployed
    diagram. The engine audits the start."""
    require_role(actor, Role.ADMIN)
    business_key = (business_key or "").strip()
    if not business_key:
        raise DesignerError(_l("Give the instance a business key."))
    if cycle_id is not None and db.session.get(Cycle, cycle_id) is None:
        raise DesignerError(_l("Choose one of the cycles."))
    data = {"cycle_id": cycle_id} if cycle_id is not None else {}
    try:
        return engine.start(process_id, business_key=business_key, data=data, actor=actor)
    except EngineError as exc:
        raise DesignerError(str(exc)) from exc


@dataclass
class MigrationOutcome:
    moved: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _older_running(target: ProcessDefinition) -> list[ProcessInstance]:
    return list(db.session.execute(
        select(ProcessInstance).join(ProcessDefinition,
                                     ProcessDefinition.id == ProcessInstance.definition_id)
        .where(ProcessInstance.process_id == target.process_id,
               ProcessInstance.status == InstanceStatus.RUNNING.value,
               ProcessDefinition.version < target.version)
        .order_by(ProcessInstance.id)
    ).scalars())


def migration_preview(target: ProcessDefinition) -> list[migration.MigrationCheck]:
    """Every running instance of an older version, with whether it can move and why not."""
    return [migration.check(instance, target) for instance in _older_running(target)]


def migrate_instances(actor: User, target: ProcessDefinition,
                      instance_ids: list[int]) -> MigrationOutcome:
    """Move the chosen instances in one action; the ones that cannot move are refused
    with their reason, the others move (each audited)."""
    require_role(actor, Role.ADMIN)
    outcome = MigrationOutcome()
    wanted = set(instance_ids)
    for instance in _older_running(target):
        if instance.id not in wanted:
            continue
        try:
            migration.migrate(instance, target, actor)
            outcome.moved.append(instance.id)
        except EngineError as exc:
            outcome.refused.append((instance.id, str(exc)))
    audit.record("definition.migrate", actor=actor, obj=target,
                 after={"version": target.version, "moved": outcome.moved,
                        "refused": [i for i, _r in outcome.refused]})
    return outcome
