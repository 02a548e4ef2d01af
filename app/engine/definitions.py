"""Parse, validate and deploy BPMN/DMN files as versioned process definitions.

All files of one deployment go to one parser, so call activities and business rule tasks
resolve across files. A process whose content (its file and its parsed spec, which
includes called processes and DMN tables) was already deployed creates no new version
(see deploy()). The parsed spec is cached per definition: parsing happens once, at
deployment, and loading an instance only restores the cached JSON."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.version import __version__ as LIBRARY_VERSION
from sqlalchemy import func, select

from app import audit
from app.engine import serializer, validation
from app.engine.errors import DeploymentError, EngineError, Problem
from app.extensions import db
from app.models.engine import ProcessDefinition

SUFFIXES = (".bpmn", ".dmn")


@dataclass(frozen=True)
class ParsedProcess:
    process_id: str
    name: str
    source_name: str
    xml: str
    spec_json: str
    sha256: str


@dataclass(frozen=True)
class Deployed:
    definition: ProcessDefinition
    created: bool


def _form_registered(key: str) -> bool:
    from forms.registry import is_registered

    return is_registered(key)


def _spiff_problem(source: str, exc: Exception) -> Problem:
    element = getattr(exc, "id", None) or None
    line = getattr(exc, "line_number", "")
    detail = str(exc).strip() + (f" (line {line})" if line else "")
    return Problem(getattr(exc, "file_name", None) or source, element, detail)


def _checked_documents(sources: dict[str, bytes]):
    """Parse the XML of every source and run the deployment checks on it."""
    documents, problems = {}, []
    for name, content in sorted(sources.items()):
        if not name.endswith(SUFFIXES):
            problems.append(Problem(name, None, "only .bpmn and .dmn files can be deployed"))
            continue
        root, parse_problems = validation.parse_xml(name, content)
        problems += parse_problems
        if root is None:
            continue
        if name.endswith(".bpmn"):
            problems += validation.check_bpmn(name, root, _form_registered)
        else:
            problems += validation.check_dmn(name, root)
        documents[name] = root
    if problems:
        raise DeploymentError(problems)
    return documents


def parse(sources: dict[str, bytes]) -> list[ParsedProcess]:
    """Validate and parse; raise DeploymentError listing every problem found."""
    documents = _checked_documents(sources)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    current = None
    try:
        for name, root in documents.items():
            current = name
            if name.endswith(".dmn"):
                parser.add_dmn_xml(root, filename=name)
            else:
                parser.add_bpmn_xml(root, filename=name)
        parsed = []
        for process_id in sorted(parser.get_process_ids()):
            process_parser = parser.get_process_parser(process_id)
            current = process_parser.filename
            spec = parser.get_spec(process_id)
            spec_json = serializer.spec_to_json(spec, parser.get_subprocess_specs(process_id))
            xml = sources[process_parser.filename]
            parsed.append(ParsedProcess(
                process_id=process_id,
                name=process_parser.get_name() or process_id,
                source_name=process_parser.filename,
                xml=xml.decode("utf-8"),
                spec_json=spec_json,
                sha256=hashlib.sha256(xml + b"\0" + spec_json.encode()).hexdigest(),
            ))
    except (ValidationException, SpiffWorkflowException) as exc:
        raise DeploymentError([_spiff_problem(current or "?", exc)]) from exc
    if not parsed:
        raise DeploymentError([Problem(", ".join(sorted(sources)) or "?", None,
                                       "no executable process found")])
    return parsed


def _latest_or_none(process_id: str) -> ProcessDefinition | None:
    return db.session.execute(
        select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
        .order_by(ProcessDefinition.version.desc()).limit(1)
    ).scalar_one_or_none()


def undeployed(process_ids) -> list[str]:
    """The processes of the list that have no deployed version."""
    return [process_id for process_id in process_ids if _latest_or_none(process_id) is None]


def preload() -> int:
    """Read and restore the spec of every process's latest version now, as the first
    task of each would: an app server does this once before it forks its workers, which
    then share them. How many versions."""
    newest = (select(ProcessDefinition.process_id, func.max(ProcessDefinition.version).label("version"))
              .group_by(ProcessDefinition.process_id).subquery())
    rows = db.session.execute(select(ProcessDefinition.id, ProcessDefinition.sha256).join(
        newest, (newest.c.process_id == ProcessDefinition.process_id)
        & (newest.c.version == ProcessDefinition.version))).all()
    for definition_id, sha256 in rows:
        serializer.restore_specs(_spec_json(definition_id, sha256))
    return len(rows)


def latest(process_id: str) -> ProcessDefinition:
    """The version new instances start on."""
    definition = _latest_or_none(process_id)
    if definition is None:
        raise EngineError(f"process '{process_id}' is not deployed")
    return definition


def _same_content(process: ParsedProcess, latest_only: bool) -> ProcessDefinition | None:
    query = select(ProcessDefinition).where(ProcessDefinition.process_id == process.process_id,
                                            ProcessDefinition.sha256 == process.sha256)
    if latest_only:
        query = query.where(ProcessDefinition.version == select(
            func.max(ProcessDefinition.version)).where(
            ProcessDefinition.process_id == process.process_id).scalar_subquery())
    return db.session.execute(
        query.order_by(ProcessDefinition.version.desc()).limit(1)).scalar_one_or_none()


def deploy(sources: dict[str, bytes], actor=None, *, revert: bool = False) -> list[Deployed]:
    """Deploy every process found in the sources (file name -> content), in the current
    transaction. A process whose content was already deployed as any of its versions
    creates nothing, so re-deploying the files of workflows/ (at every start) never
    undoes a newer version an administrator deployed from the designer. With
    `revert=True` (the designer) only the latest version counts as already deployed, so
    an older diagram can deliberately come back as a new version."""
    results = []
    for process in parse(sources):
        known = _same_content(process, latest_only=revert)
        if known is not None:
            results.append(Deployed(known, created=False))
            continue
        current = _latest_or_none(process.process_id)
        version = current.version + 1 if current is not None else 1
        definition = ProcessDefinition(
            process_id=process.process_id, version=version, name=process.name,
            sha256=process.sha256, source_name=process.source_name,
            library_version=LIBRARY_VERSION, bpmn_xml=process.xml,
            spec_json=process.spec_json, deployed_by_id=getattr(actor, "id", actor),
        )
        db.session.add(definition)
        db.session.flush()
        audit.record(
            "definition.deploy", actor=actor, obj=definition,
            after={"process_id": process.process_id, "version": version,
                   "sha256": process.sha256, "source": process.source_name},
        )
        results.append(Deployed(definition, created=True))
    return results


def read_directory(path: str | Path) -> dict[str, bytes]:
    directory = Path(path)
    return {
        p.name: p.read_bytes()
        for p in sorted(directory.iterdir()) if p.is_file() and p.suffix in SUFFIXES
    }


@lru_cache(maxsize=256)
def _spec_json(definition_id: int, sha256: str) -> str:
    """Keyed by content hash too, so a reused id (a wiped test database) never serves
    another definition's spec."""
    return db.session.scalar(
        select(ProcessDefinition.spec_json).where(ProcessDefinition.id == definition_id)
    )


def spec_json(definition: ProcessDefinition) -> str:
    return _spec_json(definition.id, definition.sha256)


@lru_cache(maxsize=1024)
def _instructions(definition_id: int, sha256: str, bpmn_id: str,
                  locale: str | None) -> str:
    specs = json.loads(_spec_json(definition_id, sha256))
    for spec in (specs["spec"], *specs["subprocess_specs"].values()):
        for task in spec["task_specs"].values():
            if task.get("bpmn_id") == bpmn_id:
                extensions = task.get("extensions") or {}
                documentation = task.get("documentation")
                if locale:
                    documentation = (extensions.get("properties") or {}).get(
                        f"documentation:{locale}") or documentation
                parts = (documentation, extensions.get("instructionsForEndUser"))
                return "\n\n".join(p.strip() for p in parts if p and p.strip())
    return ""


def instructions(definition: ProcessDefinition, bpmn_id: str, locale: str | None = None) -> str:
    """The BPMN documentation (in `locale` where the diagram gives it, see app/diagram_texts.py) and
    spiffworkflow:instructionsForEndUser of a task, as plain text (never rendered as a
    template: the text comes from a diagram, not from us)."""
    return _instructions(definition.id, definition.sha256, bpmn_id, locale)
