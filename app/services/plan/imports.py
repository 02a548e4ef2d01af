"""Import of the plan from CSV or XLSX: one row per indicator, its objectives and area
repeated on every row (the shape plan_export writes, and published tables like the
Pistoia-Prato indicator plan, whose "project" is an operational objective).

The whole file is checked before anything is written; any bad row rejects it with the
errors per row. A good file replaces the plan's content, matched by code: objectives
and indicators keep their identity (and the links to them) when their code stays."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.audit_values import values_of
from app.extensions import db
from app.formats.tables import (
    is_not_available,
    parse_decimal,
    parse_yes_no,
)
from app.formats.targets import parse_target, parse_year, parse_years
from app.formats.values import (
    parse_actual,
    parse_direction,
    parse_steps,
    parse_type,
    parse_unit,
    parse_value,
)
from app.models.org import OrgUnit, User
from app.models.plan import Cycle, Indicator, Objective, ObjectiveLevel, StrategicArea
from app.services.org.imports import ImportReport, RowError, read_rows
from app.services.plan import targets as yearly
from app.services.plan.access import ensure_plan_editor
from app.services.plan.columns import COLUMNS, OBJECTIVE_COLUMNS, REQUIRED
from app.services.plan.cycles import ensure_editable, ensure_plan
from app.services.plan.errors import PlanError
from app.services.plan.fields import (
    AreaData,
    IndicatorData,
    ObjectiveData,
    area_field_errors,
    indicator_field_errors,
    objective_field_errors,
    wrong_kind_message,
)
from app.services.plan.operations import remove_objective, yearly_targets
from app.services.plan.parts import Systems
from app.services.plan.rules import parse_source, steps_to_json
from app.services.plan.system import parse_method


@dataclass
class _Objective:
    data: ObjectiveData
    owner: OrgUnit | None
    parent_code: str | None
    area_code: str | None
    line: int


@dataclass
class _Indicator:
    data: IndicatorData
    objective_code: str
    measures: dict
    line: int


@dataclass
class _Plan:
    """The plan the file describes, keyed by code, in file order, and the systems its
    indicators are checked against (each by its objective's owner unit)."""

    systems: Systems
    cycle: Cycle
    areas: dict[str, AreaData] = field(default_factory=dict)
    objectives: dict[str, _Objective] = field(default_factory=dict)
    indicators: dict[str, _Indicator] = field(default_factory=dict)
    generated: dict[tuple, str] = field(default_factory=dict)


def _canonical(row: dict[str, str]) -> dict[str, str]:
    return {key: next((row[a] for a in aliases if a in row), "") for key, aliases in COLUMNS.items()}


def import_plan(actor: User, cycle: Cycle, filename: str, content: bytes) -> ImportReport:
    """Validate the whole file; only if every row is good, write it in the current
    transaction. The caller commits on success and rolls back otherwise."""
    ensure_plan_editor(actor)
    report = ImportReport()
    plan = ensure_plan(cycle)
    try:
        ensure_editable(plan)
    except PlanError as exc:
        report.errors.append(RowError(0, str(exc)))
        return report
    raw_rows = read_rows(filename, content, report, COLUMNS, REQUIRED, _objective_missing)
    if raw_rows is None:
        return report
    parsed = _Plan(Systems.of_cycle(cycle), cycle)
    units = _unit_index(cycle)
    for number, raw in enumerate(raw_rows, start=2):
        for message in _read_row(number, _canonical(raw), cycle, units, parsed):
            report.errors.append(RowError(number, message))
    if report.ok:
        _apply(actor, plan, parsed, report)
    return report


def _objective_missing(header: dict) -> list[str]:
    """A row must name its objective by some column."""
    if any(a in header for k in OBJECTIVE_COLUMNS for a in COLUMNS[k]):
        return []
    return ["operational_title"]


def _unit_index(cycle: Cycle) -> dict[str, OrgUnit]:
    """The administration's units by code, by name and by path (lower case)."""
    index = {}
    units = db.session.execute(
        select(OrgUnit).where(OrgUnit.administration_id == cycle.administration_id)
    ).scalars()
    for unit in units:
        for key in (unit.code, unit.name, unit.path):
            index.setdefault(key.strip().lower(), unit)
    return index


class _RowErrors(list):
    def parse(self, parser, text, *args, default=None):
        """parser(text) or default for an empty cell; a failure is recorded, not raised."""
        if is_not_available(text):
            return default
        try:
            return parser(text, *args)
        except ValueError as exc:
            self.append(str(exc))
            return default


def _read_row(number: int, row: dict, cycle: Cycle, units: dict, plan: _Plan) -> list[str]:
    errors = _RowErrors()
    if row["cycle"] and row["cycle"].strip() != str(cycle.year):
        errors.append(str(_l("The row is for cycle %(row)s, not %(year)d.", row=row["cycle"],
                             year=cycle.year)))
    area_code = _read_area(row, plan, errors)
    strategic = _read_objective(number, row, "strategic", None, area_code, units, plan, errors)
    operational = _read_objective(number, row, "operational", strategic, None, units, plan,
                                  errors)
    owner_code = operational or strategic
    if owner_code is None:
        errors.append(str(_l("The row names no objective.")))
    if row["indicator_name"] or row["indicator_code"]:
        _read_indicator(number, row, owner_code, plan, errors)
    return list(errors)


def _read_area(row: dict, plan: _Plan, errors: _RowErrors) -> str | None:
    code = row["area_code"].strip() or row["area_title"].strip()
    if not code:
        return None
    data = AreaData(code=code, title=row["area_title"].strip() or code,
                    description=row["area_description"].strip() or None,
                    weight=errors.parse(parse_decimal, row["area_weight"]))
    errors.extend(area_field_errors(data))
    _merge(plan.areas, code, data, errors, _l("Strategic area %(code)s", code=code))
    return code


_PREFIX = {"strategic": "strategic_", "operational": ""}


def _read_objective(number, row, level, parent_code, area_code, units, plan, errors):
    """The strategic or operational objective named on the row, or None."""
    code_key, title_key = f"{level}_code", f"{level}_title"
    code, title = row[code_key].strip(), row[title_key].strip()
    if not code and not title:
        return None
    if not code:
        code = _generated_code(plan, level, title)
    prefix = _PREFIX[level]
    owner_text = row[f"{prefix}owner_unit" if prefix else "owner_unit"].strip()
    owner = units.get(owner_text.lower()) if owner_text else None
    if owner_text and owner is None:
        errors.append(str(_l("Unknown unit '%(unit)s'.", unit=owner_text)))
    data = ObjectiveData(
        level=ObjectiveLevel(level).value, code=code, title=title or code,
        description=row[f"{level}_description"].strip() or None,
        owner_unit_id=owner.id if owner else None,
        weight=errors.parse(parse_decimal, row[f"{level}_weight"]),
        mission_code=row[f"{prefix}mission"].strip() or None,
        programme_code=row[f"{prefix}programme"].strip() or None,
        budget=errors.parse(parse_decimal, row[f"{prefix}budget"]),
    )
    errors.extend(objective_field_errors(data))
    entry = _Objective(data, owner, parent_code, area_code, number)
    existing = plan.objectives.get(code)
    if existing is not None and existing.data.level != data.level:
        errors.append(str(_l("Code %(code)s is used for a strategic and an operational objective.",
                             code=code)))
        return code
    _merge(plan.objectives, code, entry, errors, _l("Objective %(code)s", code=code),
           compare=lambda e: (e.data, e.parent_code, e.area_code))
    return code


def _generated_code(plan: _Plan, level: str, title: str) -> str:
    """Files without codes (published tables) name objectives by title only."""
    key = (level, title.lower())
    if key not in plan.generated:
        prefix = "OS" if level == "strategic" else "OP"
        count = sum(1 for k in plan.generated if k[0] == level) + 1
        plan.generated[key] = f"{prefix}{count:02d}"
    return plan.generated[key]


def _merge(items: dict, code: str, entry, errors: _RowErrors, label, compare=lambda e: e):
    """Rows repeat their parents: a repeat must say the same as the first mention."""
    first = items.setdefault(code, entry)
    if first is not entry and compare(first) != compare(entry):
        line = getattr(first, "line", None)
        errors.append(str(_l("%(what)s is described differently on an earlier row%(row)s.",
                             what=label, row=f" ({line})" if line else "")))


def _read_indicator(number, row, objective_code, plan: _Plan, errors: _RowErrors) -> None:
    unit = errors.parse(parse_unit, row["unit"])
    if unit is None:
        if not row["unit"].strip():
            errors.append(str(_l("The unit is required.")))
        return
    code = row["indicator_code"].strip() or f"{objective_code}.{_count(plan, objective_code) + 1}"
    label = row["indicator_code"].strip() or _short(row["indicator_name"])
    values = {}
    for name in ("baseline", "threshold", "monitoring_value", "monitoring_forecast", "actual"):
        values[name] = _value(row[name], unit, name, label, errors)
    target = _target(row["target"], unit, label, errors)
    later = errors.parse(parse_years, row["later_targets"], unit, default={})
    if plan.cycle.year in later:
        errors.append(str(_l("%(what)s: the target of %(year)d goes in the target column.",
                             what=label, year=plan.cycle.year)))
    steps = errors.parse(parse_steps, row["steps"], unit)
    data = IndicatorData(
        code=code, name=row["indicator_name"].strip(), unit=unit,
        direction=errors.parse(parse_direction, row["direction"], default=""),
        target=target.value if target else None, target_rule=target.rule if target else None,
        later_targets=later, baseline_year=errors.parse(parse_year, row["baseline_year"]),
        weight=errors.parse(parse_decimal, row["weight"]),
        type=errors.parse(parse_type, row["type"], default="other"),
        algorithm=row["algorithm"].strip() or None, data_source=row["data_source"].strip() or None,
        baseline=values["baseline"], threshold=values["threshold"],
        method=errors.parse(parse_method, row["method"]),
        notes=row["notes"].strip() or None,
        ratio_cap=errors.parse(parse_decimal, row["ratio_cap"]),
        credit_per_day_late=errors.parse(parse_decimal, row["credit_per_day_late"]),
        steps=steps_to_json(steps), source=errors.parse(parse_source, row["source"]),
    )
    if not errors:
        errors.extend(yearly.target_errors(label, unit, plan.cycle,
                                           yearly_targets(data, plan.cycle, None)))
    if not errors and data.target_rule is not None and objective_code is not None:
        data.target = yearly.resolved_now(data.target_rule, code, objective_code, plan.cycle,
                                          data.baseline, data.baseline_year)
    if not errors:
        errors.extend(indicator_field_errors(data, _system_of(plan, objective_code)))
    if data.source and (values["actual"] is not None or
                        plan.objectives[objective_code].data.level != "strategic"):
        errors.append(str(_l("%(what)s: the mean of the operational objectives belongs to a "
                             "strategic objective and has no actual to enter.", what=label)))
    neutralised = errors.parse(parse_yes_no, row["neutralised"], default=False)
    reason = row["neutralised_reason"].strip() or None
    if neutralised and not reason:
        errors.append(str(_l("%(what)s: neutralising needs a written reason.", what=label)))
    if neutralised and values["actual"] is not None:
        errors.append(str(_l("%(what)s: a neutralised indicator has no actual.", what=label)))
    measures = {
        "monitoring_value": values["monitoring_value"],
        "monitoring_forecast": values["monitoring_forecast"],
        "at_risk": errors.parse(parse_yes_no, row["at_risk"], default=False),
        "monitoring_note": row["monitoring_note"].strip() or None,
        "actual": values["actual"], "neutralised": bool(neutralised),
        "neutralised_reason": reason if neutralised else None,
    }
    if code in plan.indicators:
        errors.append(str(_l("Indicator %(code)s repeats row %(row)d.", code=code,
                             row=plan.indicators[code].line)))
    elif objective_code is not None:
        plan.indicators[code] = _Indicator(data, objective_code, measures, number)


def _system_of(plan: _Plan, objective_code: str):
    """The system of the objective's owner unit, else of its parent's (parts)."""
    entry = plan.objectives[objective_code]
    parent = plan.objectives.get(entry.parent_code) if entry.parent_code else None
    owner = entry.owner or (parent.owner if parent else None)
    return plan.systems.of_unit(owner.id if owner else None)


def _short(name: str) -> str:
    name = name.strip()
    return name if len(name) <= 40 else name[:39] + "…"


def _count(plan: _Plan, objective_code: str | None) -> int:
    return sum(1 for i in plan.indicators.values() if i.objective_code == objective_code)


def _target(text: str, unit: str, label, errors: _RowErrors):
    """The cycle's year's target: a value or a relative rule ('+10% sul 2022')."""
    try:
        return parse_target(text, unit)
    except ValueError as exc:
        errors.append(f"{label}: {exc}")
        return None


def _value(text: str, unit: str, name: str, label, errors: _RowErrors):
    parse = parse_actual if name in ("actual", "monitoring_value", "monitoring_forecast") \
        else parse_value
    try:
        return parse(text, unit)
    except ValueError:
        errors.append(wrong_kind_message(label, name, unit, text.strip()))
        return None


# --- writing -----------------------------------------------------------------------------

def _added(row):
    db.session.add(row)
    return row


def _apply(actor: User, plan, parsed: _Plan, report: ImportReport) -> None:
    """Upsert by code first (so moved objectives and indicators keep their rows), then
    remove what the file no longer names: indicators, operational, strategic, areas."""
    areas = {a.code: a for a in plan.areas}
    for code, data in parsed.areas.items():
        area = areas.get(code) or _added(StrategicArea(plan=plan, code=code))
        area.title, area.description, area.weight = data.title, data.description, data.weight
        areas[code] = area
    objectives = {o.code: o for o in plan.objectives}
    old_objectives = set(objectives)
    for level in (ObjectiveLevel.STRATEGIC.value, ObjectiveLevel.OPERATIONAL.value):
        for code, entry in parsed.objectives.items():
            if entry.data.level != level:
                continue
            objective = objectives.get(code) or _added(Objective(plan=plan))
            for name, value in vars(entry.data).items():
                if name not in ("parent_id", "area_id"):  # set by relationship below
                    setattr(objective, name, value)
            objective.parent = objectives.get(entry.parent_code) if entry.parent_code else None
            objective.area = areas.get(entry.area_code) if entry.area_code else None
            objectives[code] = objective
    db.session.flush()
    # With their yearly targets, which set_targets replaces: read one indicator at a
    # time, 900 indicators took a second on PostgreSQL.
    indicators = {i.code: i for i in db.session.execute(
        select(Indicator).where(Indicator.plan_id == plan.id)
        .options(selectinload(Indicator.targets))).scalars()}
    report.updated = len(set(indicators) & set(parsed.indicators))
    report.created = len(parsed.indicators) - report.updated
    imported = []
    for code, entry in parsed.indicators.items():
        indicator = indicators.get(code) or _added(Indicator(plan_id=plan.id))
        imported.append(indicator)
        for name, value in {**vars(entry.data), **entry.measures}.items():
            if name not in ("target_rule", "later_targets"):
                setattr(indicator, name, value)
        indicator.objective = objectives[entry.objective_code]
        yearly.set_targets(indicator, plan.cycle,
                           yearly_targets(entry.data, plan.cycle, None))
    for code in set(indicators) - set(parsed.indicators):
        indicators[code].objective.indicators.remove(indicators[code])
    gone = [objectives[c] for c in old_objectives - set(parsed.objectives)]
    for objective in sorted(gone, key=lambda o: o.is_strategic):
        remove_objective(objective)
    for code in set(areas) - set(parsed.areas):
        plan.areas.remove(areas[code])
    db.session.flush()
    audit.record("plan.import", actor=actor, obj=plan,
                 after={"areas": len(parsed.areas), "objectives": len(parsed.objectives),
                        "indicators": len(parsed.indicators), "removed_objectives": len(gone),
                        "values": {**values_of([areas[c] for c in parsed.areas], ("weight",)),
                                   **values_of([objectives[c] for c in parsed.objectives],
                                               ("weight",)),
                                   **values_of(imported, ("weight", "actual"))}})
