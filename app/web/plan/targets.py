"""The targets of the horizon on the plan pages: the editor's fields for them (the
cycle's year's target and one per later year, relative rules written in Italian, "+10%
sul 2022") and the lines the pages print, each relative target with its source:
"Target 2023: >= 85,03 (valore 2022 +10%: 77,3)"."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.formats.targets import format_change, format_rule, format_target, parse_target
from app.formats.values import display_value, format_value
from app.models.plan import Cycle, Indicator
from app.services.plan import targets as yearly
from app.web.plan.forms import IndicatorForm


def indicator_form(cycle: Cycle) -> type[IndicatorForm]:
    """The indicator form with one target field per year of the horizon after the
    cycle's."""
    fields = {f"target_{year}": StringField(
        _l("Target %(year)d", year=year), validators=[Optional(), Length(max=40)],
        description=_l("A value, '+10%% sul %(before)d' or '= valore %(before)d'", before=year - 1))
        for year in yearly.horizon(cycle)[1:]}
    return type("HorizonIndicatorForm", (IndicatorForm,), fields)


def later_fields(form, cycle: Cycle) -> list:
    return [form[f"target_{year}"] for year in yearly.horizon(cycle)[1:]]


def fill(form, indicator: Indicator, cycle: Cycle) -> None:
    """The saved targets into the form, rules as rules."""
    texts = yearly.target_texts(indicator)
    own = texts.get(cycle.year)
    form.target.data = format_target(own) if own else format_value(indicator.target)
    for year in yearly.horizon(cycle)[1:]:
        form[f"target_{year}"].data = format_target(texts[year]) if year in texts else ""


def read(form, unit: str, cycle: Cycle):
    """(cycle's year's target, later targets by year), or None after marking the fields
    in error."""
    ok, own, later = True, None, {}
    for year, field in [(cycle.year, form.target)] + [
            (y, form[f"target_{y}"]) for y in yearly.horizon(cycle)[1:]]:
        try:
            text = parse_target(field.data or "", unit)
        except ValueError as exc:
            field.errors = [*field.errors, str(exc)]
            ok = False
            continue
        if year == cycle.year:
            own = text
        elif text is not None:
            later[year] = text
    return (own, later) if ok else None


def lines(indicator: Indicator) -> list[str]:
    """The baseline with its year and every yearly target, relative ones with their
    source or why they are not computed yet."""
    result = []
    if indicator.baseline is not None and indicator.baseline_year is not None:
        result.append(_("Value %(year)d: %(value)s", year=indicator.baseline_year,
                        value=display_value(indicator.baseline, indicator.unit)))
    for entry in indicator.targets:
        target = f"{indicator.direction} {display_value(entry.value, indicator.unit)}"
        if not entry.relative:
            result.append(_("Target %(year)d: %(target)s", year=entry.year, target=target))
        elif entry.value is None:
            result.append(_("Target %(year)d: %(rule)s (not computed yet: no value recorded "
                            "for %(reference)d)", year=entry.year, rule=format_rule(entry.rule),
                            reference=entry.reference_year))
        else:
            result.append(_("Target %(year)d: %(target)s (%(source)s)", year=entry.year,
                            target=target, source=_source(entry, indicator.unit)))
    return result


def _source(entry, unit: str) -> str:
    change = format_change(entry.rule)
    base = display_value(entry.base, unit)
    if entry.source == yearly.BASELINE:
        return _("baseline %(year)d%(change)s: %(base)s", year=entry.reference_year,
                 change=f" {change}" if change else "", base=base)
    return _("value %(year)d%(change)s: %(base)s", year=entry.reference_year,
             change=f" {change}" if change else "", base=base)
