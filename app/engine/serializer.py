"""Workflow state as JSON, without the spec.

The spec (the parsed diagram) is the same for every instance of a definition version, so
it is stored once in process_definition.spec_json and put back on load; an instance row
holds only its task tree and data, about half the size."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import lru_cache
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from app.engine.sandbox import script_engine


class _StateConverter(BpmnWorkflowConverter):
    """BpmnWorkflowConverter minus the spec and subprocess specs: they are written once
    per definition version, and put back on load from the objects restored once per
    process (`_specs`) when the state carries them under SPECS."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        if SPECS not in dct:
            return super().from_dict(dct)
        spec, subprocess_specs = dct.pop(SPECS)
        workflow = self.target_class(spec, dict(subprocess_specs), deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


SPECS = "_restored_specs"


def _registry():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _StateConverter
    registry = BpmnWorkflowSerializer.configure(config)
    # Decisions may be exact numbers or dates (never floats for money or scores).
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    registry.register(date, lambda v: {"value": v.isoformat()},
                      lambda v: date.fromisoformat(v["value"]))
    return registry


SERIALIZER = BpmnWorkflowSerializer(_registry())
VERSION = SERIALIZER.VERSION


def spec_to_json(spec, subprocess_specs: dict) -> str:
    return json.dumps({
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: SERIALIZER.to_dict(s) for name, s in subprocess_specs.items()},
    }, sort_keys=True)


@lru_cache(maxsize=64)
def _specs(spec_json: str) -> tuple:
    """The spec objects of a definition, restored once per process: every new instance
    of that version shares them (SpiffWorkflow never changes a spec while running), so
    starting a thousand children restores the spec once, not a thousand times."""
    specs = json.loads(spec_json)
    spec = SERIALIZER.from_dict(specs["spec"])
    subprocess_specs = {
        name: SERIALIZER.from_dict(dct) for name, dct in specs["subprocess_specs"].items()
    }
    return spec, subprocess_specs


def new_workflow(spec_json: str) -> BpmnWorkflow:
    spec, subprocess_specs = _specs(spec_json)
    return BpmnWorkflow(spec, dict(subprocess_specs), script_engine=script_engine())


def dump(workflow: BpmnWorkflow) -> str:
    return SERIALIZER.serialize_json(workflow)


def restore_specs(spec_json: str) -> None:
    """Restore a definition's spec objects now rather than at its first instance."""
    _specs(spec_json)


def load(state: str, spec_json: str) -> BpmnWorkflow:
    """Rebuild a workflow and give it a fresh restricted script engine (the engine is not
    part of the serialized state)."""
    dct = json.loads(state)
    if dct.get(SERIALIZER.VERSION_KEY) == VERSION:
        del dct[SERIALIZER.VERSION_KEY]
        # The usual case: the spec objects restored once for the definition version
        # serve every instance, as they do for new ones (restoring the spec was about
        # half of a load).
        dct[SPECS] = _specs(spec_json)
    else:  # an older state: migrated with its spec, as SpiffWorkflow expects
        dct.update(json.loads(spec_json))
        SERIALIZER.migrate(dct)
    workflow = SERIALIZER.from_dict(dct)
    workflow.script_engine = script_engine()
    return workflow
