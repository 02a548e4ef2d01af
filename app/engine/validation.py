"""Deployment checks on the XML of BPMN and DMN files, before SpiffWorkflow parses them.

Each refusal names the file and the element, so the designer can mark it. Checked: the
XML parses; lanes are known roles; every task waiting for a person sits in a lane and has
a registered `formKey`; the task properties of TASK_PROPERTIES are well formed; service
tasks are absent; every expression and script compiles under the restricted policy."""
from __future__ import annotations

import re

from lxml import etree

from app.diagram_texts import lane_role
from app.engine.errors import Problem, ScriptPolicyError
from app.engine.sandbox import compile_checked
from app.models.org import LANE_NAMES

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"

# The spiffworkflow:property names the engine reads on user tasks (the designer lists them).
TASK_PROPERTIES = {
    "formKey": "Key of the form in the forms registry (required).",
    "dueDate": "Expression giving the due date: an ISO date or date-time, or an ISO "
               "duration from when the task opens (\"P10D\"). Without it, the due time of "
               "a timer attached to the task, if any.",
    "reminderDays": "Days before the due date when a reminder is sent (whole number).",
    "escalationDays": "Days after the due date when an open task is escalated (whole number).",
}
HUMAN_TASKS = ("userTask", "manualTask", "task")

# (namespace, local name) -> compile mode
_EXPRESSIONS = {
    (BPMN_NS, "script"): "exec",
    (BPMN_NS, "conditionExpression"): "eval",
    (BPMN_NS, "timeDate"): "eval",
    (BPMN_NS, "timeDuration"): "eval",
    (BPMN_NS, "timeCycle"): "eval",
    (BPMN_NS, "loopCardinality"): "eval",
    (BPMN_NS, "completionCondition"): "eval",
    (BPMN_NS, "formalExpression"): "eval",
    (SPIFF_NS, "preScript"): "exec",
    (SPIFF_NS, "postScript"): "exec",
    (SPIFF_NS, "messagePayload"): "eval",
    (SPIFF_NS, "payloadExpression"): "eval",
    (SPIFF_NS, "expression"): "eval",
}
_TIMERS = {"timeDate", "timeDuration", "timeCycle"}
_ISO_LITERAL = re.compile(r"^(R\d*/)?P[\dTWYMDHS.,]+$|^\d{4}-\d{2}-\d{2}")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def parse_xml(source: str, content: bytes) -> tuple[etree._Element | None, list[Problem]]:
    try:
        return etree.fromstring(content, parser=_SAFE_PARSER), []
    except etree.XMLSyntaxError as exc:
        return None, [Problem(source, None, f"the XML does not parse: {exc}")]


def _element_id(node) -> str | None:
    """The id of the diagram element holding the node (an event, not its definition)."""
    while node is not None:
        local = _local(node) if isinstance(node.tag, str) else ""
        if node.get("id") and not local.endswith(("EventDefinition", "LoopCharacteristics")):
            return node.get("id")
        node = node.getparent()
    return None


def _local(node) -> str:
    return etree.QName(node).localname


def _check_code(source, node, code, mode, what) -> list[Problem]:
    try:
        compile_checked(code, mode)
    except ScriptPolicyError as exc:
        return [Problem(source, _element_id(node), f"{what} refused: {exc}")]
    return []


def _properties(task) -> dict[str, str]:
    return {
        p.get("name"): p.get("value")
        for p in task.iterfind(f"{{{BPMN_NS}}}extensionElements/{{{SPIFF_NS}}}properties/"
                               f"{{{SPIFF_NS}}}property")
    }


def _lanes(root, source) -> tuple[dict[str, str], list[Problem]]:
    known = ", ".join(sorted(LANE_NAMES))
    lane_of, problems = {}, []
    for lane in root.iter(f"{{{BPMN_NS}}}lane"):
        role = lane_role(lane)
        if role not in LANE_NAMES:
            problems.append(Problem(source, lane.get("id"),
                                    f"lane '{role}' is not a known role (use one of {known})"))
        for ref in lane.iterfind(f"{{{BPMN_NS}}}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = role
    return lane_of, problems


def _check_task(source, task, lane_of, form_registered) -> list[Problem]:
    task_id, problems = task.get("id"), []
    if task_id not in lane_of:
        problems.append(Problem(source, task_id, "this task waits for a person but is in no lane"))
    props = _properties(task)
    form_key = (props.get("formKey") or "").strip()
    if not form_key:
        problems.append(Problem(source, task_id, "the task has no formKey property"))
    elif not form_registered(form_key):
        problems.append(Problem(source, task_id, f"formKey '{form_key}' is not in the forms registry"))
    for name in ("reminderDays", "escalationDays"):
        value = props.get(name)
        if value is not None and not value.strip().isdigit():
            problems.append(Problem(source, task_id, f"{name} must be a whole number of days"))
    due = (props.get("dueDate") or "").strip()
    if due and _ISO_LITERAL.match(due):
        problems.append(Problem(source, task_id,
                                f"the dueDate expression is Python: write '{due}' in quotes"))
    elif due:
        problems += _check_code(source, task, due, "eval", "dueDate expression")
    return problems


def _check_expressions(source, root) -> list[Problem]:
    problems = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        qname = etree.QName(node)
        mode = _EXPRESSIONS.get((qname.namespace, qname.localname))
        code = (node.text or "").strip()
        if mode is None or not code:
            continue
        if qname.localname in _TIMERS and _ISO_LITERAL.match(code):
            problems.append(Problem(source, _element_id(node),
                                    f'timer expressions are Python: write "{code}" in quotes'))
            continue
        problems += _check_code(source, node, code, mode, f"{qname.localname}")
    return problems


def check_bpmn(source: str, root, form_registered) -> list[Problem]:
    lane_of, problems = _lanes(root, source)
    for local in HUMAN_TASKS:
        for task in root.iter(f"{{{BPMN_NS}}}{local}"):
            problems += _check_task(source, task, lane_of, form_registered)
    for task in root.iter(f"{{{BPMN_NS}}}serviceTask"):
        problems.append(Problem(source, task.get("id"),
                                "service tasks are not supported: use a script task, or a user "
                                "task whose step handler does the work"))
    return problems + _check_expressions(source, root)


def _unary_test(text: str) -> str:
    """A DMN input cell as SpiffWorkflow's DMN engine evaluates it (see DMNEngine.evaluate)."""
    test = re.sub(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)", "dmninputexpr", text)
    if "dmninputexpr" in test:
        return test
    try:
        compile(test, "<dmn>", "eval")
        return f"(dmninputexpr) == ({test})"
    except SyntaxError:
        return f"dmninputexpr {test}"


def check_dmn(source: str, root) -> list[Problem]:
    problems = []
    for node in root.iter():
        if not isinstance(node.tag, str) or _local(node) != "text":
            continue
        code, parent = (node.text or "").strip(), node.getparent()
        if not code or code == "-" or parent is None:
            continue
        kind = _local(parent)
        if kind in ("inputExpression", "outputEntry"):
            problems += _check_code(source, parent, code, "eval", kind)
        elif kind == "inputEntry":
            problems += _check_code(source, parent, _unary_test(code), "eval", kind)
    return problems
