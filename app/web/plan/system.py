"""The evaluation system (SMVP) of a cycle and the cycle's calendar.

The SMVP form is built from the stored rules themselves: one input per setting (method,
bands, shares, each cell of the f(score) table and of the matrix, each category's
parameter), grouped by section, so it follows the schema of app.scoring.system without a
hand-written form per field. Adding or removing entries (a new category) goes through
the JSON box below it. Either way the whole is validated by the schema before saving."""
from __future__ import annotations

import json
from typing import Literal, get_args, get_origin

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.formats.tables import format_decimal, parse_decimal
from app.models.org import Role
from app.models.plan import CALENDAR_DEFAULTS
from app.scoring.system import EvaluationSystem
from app.services.org import unit_search
from app.services.plan import rules, unit_systems
from app.services.plan import system as smvp
from app.services.plan.access import ensure_plan_editor, is_plan_editor
from app.services.plan.cycles import set_calendar
from app.services.plan.errors import PlanError
from app.services.plan.presets import presets
from app.web.plan.forms import CALENDAR_LABELS, CalendarForm, ConfirmForm
from app.web.plan.views import cycle_or_404, flash_errors

bp = Blueprint("plan_system", __name__, url_prefix="/plan")


@bp.before_request
@login_required
def _signed_in():
    """The rules are published: every signed-in user may read them; Admin edits."""


def _leaves(value, path=()):
    """(path, value) for every scalar inside the JSON form of the rules."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _field_name(path) -> str:
    return "s-" + ".".join(str(p) for p in path)


SECTION_LABELS = {
    "default_method": _l("Default scoring method of indicators"),
    "ratio_cap": _l("Maximum achievement of the ratio method (%)"),
    "deadline_credit_per_day": _l("Points lost per day late on a deadline"),
    "matrix": _l("WHAT x HOW matrix"), "bands": _l("Bands of the individual score"),
    "rounding": _l("Rounding of reported figures"), "rollup": _l("Roll-up of achievements"),
    "organisational_shares": _l("Organisational parts of the reward (%)"),
    "score_factors": _l("Share of the individual part paid per score, f(score)"),
    "score_factor_rule": _l("Share paid for a score between two integers"),
    "top_rated_bonus": _l("Bonus for the highest-rated"), "categories": _l("Staff categories"),
    "review_window_days": _l("Days to ask for a review"),
    "weight_tolerance": _l("Tolerance on weights adding up to 100 (points)"),
    "outcomes": _l("Outcome labels: lower limit of each (achievement %)"),
    "reward_base": _l("Base share of each person: everyone (the pool over everyone), "
                      "eligible (the pool over those paid), category_amount (fixed per "
                      "category)"),
}
KEY_LABELS = {
    "low": _l("Low band"), "medium": _l("Medium band"), "high": _l("High band"),
    "rounding": _l("Rounding of non-integer scores"), "mode": _l("Rounding mode"),
    "decimals": _l("Decimals"), "organisation": _l("Organisation's achievement"),
    "strategic_kpi_share": _l("Share of a strategic objective's own indicators (%)"),
    "staff_org": _l("Staff: organisation"), "staff_area": _l("Staff: area"),
    "manager_org": _l("Managers: organisation"), "manager_area": _l("Managers: area"),
    "enabled": _l("Enabled"), "min_percent_of_average": _l("Minimum percentage of the average award"),
    "max_share_of_staff": _l("Maximum percentage of the staff"), "parameter": _l("parameter"),
    "manager": _l("managers' pool"),
    "achieved": _l("Achieved"), "partly": _l("Partly achieved"),
    "strategic_weights": _l("Weights of the strategic objectives add up to 100"),
    "base_amount": _l("amount fixed for a full year, full time (EUR)"),
}


def _label(path) -> str:
    """A readable, translated name for one setting."""
    head, rest = str(path[0]), path[1:]
    field = EvaluationSystem.model_fields.get(head)
    title = str(SECTION_LABELS.get(head) or (field.title if field else None) or head)
    if not rest:
        return title
    if head == "matrix":
        return str(_l("How %(how)s, what %(what)s", how=rest[0], what=rest[1]))
    if head == "score_factors":
        return str(_l("Score %(score)s", score=rest[0]))
    if head == "bands" and len(rest) == 2:
        edge = _l("from") if rest[1] == 0 else _l("to")
        return f"{KEY_LABELS[rest[0]]}: {edge}"
    if head == "categories":
        return str(_l("Category %(name)s: %(what)s", name=rest[0], what=KEY_LABELS.get(
            rest[1], rest[1])))
    return " › ".join(str(KEY_LABELS.get(str(part), part)) for part in rest)


# The allowed values of the settings with a list of them, as people read them; the
# reward base's codes stay, since its label explains each.
CHOICE_LABELS = {
    "ROUND_HALF_UP": _l("half up (2.5 to 3)"), "ROUND_HALF_EVEN": _l("half to even (2.5 to 2)"),
    "ROUND_HALF_DOWN": _l("half down (2.5 to 2, 2.6 to 3)"), "ROUND_UP": _l("away from zero"),
    "ROUND_DOWN": _l("towards zero"), "ROUND_CEILING": _l("always up"),
    "ROUND_FLOOR": _l("always down"),
    "simple": _l("mean of the objectives"), "weighted": _l("weighted mean of the objectives"),
    "areas": _l("weighted mean of the strategic areas"),
    "plan": _l("over the whole plan"), "area": _l("within each strategic area"),
    "interpolate": _l("in proportion between the two"), "round": _l("that of the nearest integer"),
    "floor": _l("that of the integer below"),
}


def _choice_label(value) -> str:
    return str(CHOICE_LABELS.get(value) or rules.METHOD_LABELS.get(value) or value)


def _choices(path) -> list | None:
    """The allowed values of a setting whose schema lists them (a Literal), with labels."""
    model, annotation = EvaluationSystem, None
    for part in path:
        fields = getattr(model, "model_fields", None)
        if not fields or str(part) not in fields:
            return None
        annotation = fields[str(part)].annotation
        model = annotation
    if get_origin(annotation) is not Literal:
        return None
    return [(value, _choice_label(value)) for value in get_args(annotation)]


def _is_number_text(value) -> bool:
    try:
        parse_decimal(value)
    except (ValueError, TypeError):
        return False
    return isinstance(value, str)


def _shown(value) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    if isinstance(value, (int, float)) or _is_number_text(value):
        return format_decimal(parse_decimal(str(value)))
    return value


def _sections(data: dict) -> list[tuple[str, list[dict]]]:
    """Single settings together under 'General', each structured one on its own."""
    general = str(_l("General"))
    sections: dict[str, list[dict]] = {general: []}
    for path, value in _leaves(data):
        title = general if len(path) == 1 else _label(path[:1])
        sections.setdefault(title, []).append({
            "name": _field_name(path), "label": _label(path), "value": _shown(value),
            "bool": isinstance(value, bool), "choices": _choices(path)})
    return [(title, fields) for title, fields in sections.items() if fields]


def _read_leaf(raw: str | None, original):
    """The submitted text as the kind of value the setting held."""
    if isinstance(original, bool):
        return raw is not None
    text = (raw or "").strip()
    if original is None and not text:
        return None
    if isinstance(original, int):
        return int(parse_decimal(text))
    if isinstance(original, float) or _is_number_text(original):
        return str(parse_decimal(text))
    return text


def _set(data, path, value) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _from_fields(current: dict, form) -> tuple[dict, list[str]]:
    data, errors = json.loads(json.dumps(current)), []
    for path, original in _leaves(current):
        try:
            _set(data, path, _read_leaf(form.get(_field_name(path)), original))
        except ValueError as exc:
            errors.append(f"{_label(path)}: {exc}")
    return data, errors


@bp.route("/<int:year>/system", methods=["GET", "POST"])
def system(year: int):
    cycle = cycle_or_404(year)
    current = smvp.system_for(cycle).model_dump(mode="json")
    can_edit = current_user.has_role(Role.ADMIN)
    json_text = json.dumps(current, indent=2, ensure_ascii=False)
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        action, note = request.form.get("action"), request.form.get("note")
        if action == "json":
            json_text = request.form.get("json", "")
            data, errors = _parse_json(json_text)
        elif action == "preset":
            chosen = presets().get(request.form.get("preset", ""))
            if chosen is None:
                abort(400)
            data, errors = chosen.system.model_dump(mode="json"), []
            note = note or _("Preset: %(name)s", name=chosen.name)
        else:
            data, errors = _from_fields(current, request.form)
        if not errors:
            try:
                smvp.save_system(current_user, cycle, data, note)
                db.session.commit()
            except PlanError as exc:
                db.session.rollback()
                errors = exc.messages
            else:
                flash(_("Evaluation system saved."), "success")
                return redirect(url_for("plan_system.system", year=year))
        for message in errors:
            flash(message, "danger")
    return render_template("plan/system.html", cycle=cycle, sections=_sections(current),
                           history=smvp.history(cycle), can_edit=can_edit, form=ConfirmForm(),
                           json_text=json_text, presets=presets().values(),
                           **_unit_systems(cycle)), 422 if request.method == "POST" else 200


def _unit_systems(cycle) -> dict:
    """The systems bound to unit subtrees, and what adding one needs."""
    can_bind = current_user.has_role(*unit_systems.EDITORS)
    # (id, code, name) rows, or None: too many to list, the unit is named by its code.
    units = unit_search.choices() if can_bind else []
    return {"unit_systems": unit_systems.bindings(cycle), "can_bind": can_bind, "units": units}


def _parse_json(text: str) -> tuple[dict, list[str]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return {}, [_("The JSON text is not valid: %(error)s", error=str(exc))]
    if not isinstance(data, dict):
        return {}, [_("The JSON text must be an object.")]
    return data, []


@bp.route("/<int:year>/calendar", methods=["GET", "POST"])
def calendar(year: int):
    cycle = cycle_or_404(year)
    can_edit = is_plan_editor(current_user)
    form = CalendarForm(obj=cycle)
    if request.method == "POST":
        ensure_plan_editor(current_user)
        if form.validate_on_submit():
            dates = {name: getattr(form, name).data for name in CALENDAR_DEFAULTS}
            try:
                set_calendar(current_user, cycle, dates)
                db.session.commit()
            except PlanError as exc:
                db.session.rollback()
                flash_errors(exc)
            else:
                flash(_("Calendar saved."), "success")
                return redirect(url_for("plan_system.calendar", year=year))
    return render_template("plan/calendar.html", cycle=cycle, form=form, can_edit=can_edit,
                           labels=CALENDAR_LABELS)
