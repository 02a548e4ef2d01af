"""Loading an instance puts back the spec objects restored once per definition version:
instances share the (read-only) spec and nothing else, a load gives back exactly the state
that was saved, and a state of another serializer version still goes through
SpiffWorkflow's migration with its own spec."""
from __future__ import annotations

import json
from pathlib import Path

from app.engine import definitions, serializer

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def _spec_json(process_id: str) -> str:
    name = f"{process_id}.bpmn"
    parsed = definitions.parse({name: (WORKFLOWS / name).read_bytes()})
    return next(p.spec_json for p in parsed if p.process_id == process_id)


DATA = {"cycle_id": 1, "unit_id": 3, "evaluator_id": 4, "evaluation_due": "2099-06-30",
        "self_assessment_within": "P14D", "reminders": 0}


def _started(spec_json: str, employee: int) -> str:
    workflow = serializer.new_workflow(spec_json)
    workflow.get_next_task(spec_name="Start").data.update({**DATA, "employee_id": employee})
    workflow.do_engine_steps()
    return serializer.dump(workflow)


def test_loaded_instances_share_the_spec_and_nothing_else():
    spec_json = _spec_json("individual_evaluation")
    first, second = (serializer.load(_started(spec_json, n), spec_json) for n in (1, 2))

    assert first.spec is second.spec
    assert first.tasks.keys().isdisjoint(second.tasks.keys())
    first.data["changed"] = True
    assert "changed" not in second.data
    assert {t.data.get("employee_id") for t in first.get_tasks()} - {None} == {1}
    assert {t.data.get("employee_id") for t in second.get_tasks()} - {None} == {2}


def test_a_load_gives_back_the_state_that_was_saved():
    spec_json = _spec_json("individual_evaluation")
    state = _started(spec_json, 7)

    assert json.loads(serializer.dump(serializer.load(state, spec_json))) == json.loads(state)


def test_a_state_of_another_serializer_version_is_migrated_with_its_own_spec(monkeypatch):
    spec_json = _spec_json("individual_evaluation")
    state = json.loads(_started(spec_json, 3))
    state["serializer_version"] = "1.4"
    migrated = []
    monkeypatch.setattr(serializer.SERIALIZER, "migrate",
                        lambda dct: migrated.append(dct.pop("serializer_version")))

    workflow = serializer.load(json.dumps(state), spec_json)

    assert migrated == ["1.4"]
    assert workflow.spec is not serializer.load(_started(spec_json, 4), spec_json).spec
