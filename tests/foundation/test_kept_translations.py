"""The catalogue is found once per request and language (app/i18n.py), and every way of
changing the language on the way still translates with the right one: a forced language
for a recipient's e-mail, the language chosen in the middle of a request, Python strings,
lazy form labels and the templates' `_()` and `ngettext` alike. The templates' date
filters are kept per value, and read as Flask-Babel formats them."""
import time
from datetime import UTC, date, datetime, timedelta, timezone

from flask import render_template_string, session
from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    gettext,
    lazy_gettext,
    ngettext,
    refresh,
)

from app import i18n

PAGE = "{{ _('Cycle dashboard') }} / {{ ngettext('%(num)d change', '%(num)d changes', 2) }}"
ITALIAN = "Cruscotto del ciclo / 2 modifiche"
ENGLISH = "Cycle dashboard / 2 changes"


def _both_ways():
    return (render_template_string(PAGE),
            f"{gettext('Cycle dashboard')} / {ngettext('%(num)d change', '%(num)d changes', 2)}")


def test_a_request_translates_with_its_language_and_any_forced_one(app):
    label = lazy_gettext("Cycle dashboard")
    with app.test_request_context("/"):
        assert _both_ways() == (ITALIAN, ITALIAN)
        assert str(label) == "Cruscotto del ciclo"
        with force_locale("en"):
            assert _both_ways() == (ENGLISH, ENGLISH)
            assert str(label) == "Cycle dashboard"
        assert _both_ways() == (ITALIAN, ITALIAN)
        with force_locale("it"):
            assert _both_ways() == (ITALIAN, ITALIAN)


def test_a_language_chosen_during_the_request_applies_after_refresh(app):
    with app.test_request_context("/"):
        assert _both_ways() == (ITALIAN, ITALIAN)
        session["locale"] = "en"
        refresh()
        assert _both_ways() == (ENGLISH, ENGLISH)


def test_the_catalogue_is_found_once_per_request_and_language(app, monkeypatch):
    found = []
    original = i18n.get_translations

    def counted():
        found.append(1)
        return original()

    monkeypatch.setattr(i18n, "get_translations", counted)
    with app.test_request_context("/"):
        for _ in range(5):
            render_template_string(PAGE)
        assert len(found) == 1
        with force_locale("en"):
            render_template_string(PAGE)
            render_template_string(PAGE)
        assert len(found) == 2
        render_template_string(PAGE)
        assert len(found) == 3
    with app.app_context(), app.test_request_context("/"):  # a new request finds it again
        render_template_string(PAGE)
        assert len(found) == 4


def test_outside_any_request_the_application_context_translates_too(app):
    # The autouse fixture holds an application context, as a CLI command does.
    assert gettext("Cycle dashboard") == "Cruscotto del ciclo"
    with force_locale("en"):
        assert gettext("Cycle dashboard") == "Cycle dashboard"


DATES = ("{{ due|datetimeformat('short') }} · {{ due|datetimeformat }} · "
         "{{ due|datetimeformat('dd/MM/yyyy HH:mm', rebase=false) }} · {{ day|dateformat('EEEE d MMMM') }}")


def _dates_both_ways(due, day):
    """The kept filters' text, and Flask-Babel's own for the same values."""
    return (render_template_string(DATES, due=due, day=day),
            (f"{format_datetime(due, 'short')} · {format_datetime(due)} · "
            f"{format_datetime(due, 'dd/MM/yyyy HH:mm', rebase=False)} · "
            f"{format_date(day, 'EEEE d MMMM')}"))


def test_kept_dates_read_as_flask_babel_formats_them_in_each_language_and_zone(app):
    utc = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)
    same_instant_elsewhere = utc.astimezone(timezone(timedelta(hours=5)))
    with app.test_request_context("/"):
        seen = []
        for due in (utc, same_instant_elsewhere, utc.replace(tzinfo=None), utc):
            kept, babel = _dates_both_ways(due, date(2024, 4, 1))
            assert kept == babel
            seen.append(kept)
        assert seen[0] == seen[3]
        assert seen[0].split(" · ")[:2] == seen[1].split(" · ")[:2]  # rebased: the same
        assert seen[0].split(" · ")[2] != seen[1].split(" · ")[2]  # as written: not
        assert seen[0].startswith("01/04/24, 00:30")  # summer time in Rome
        with force_locale("en"):
            kept, babel = _dates_both_ways(utc, date(2024, 4, 1))
            assert kept == babel and "Monday 1 April" in kept and kept != seen[0]
    app.extensions["babel"].timezone_selector = lambda: "America/New_York"
    with app.test_request_context("/"):
        refresh()  # the zone found before is kept on the context otherwise
        kept, babel = _dates_both_ways(utc, date(2024, 4, 1))
        assert kept == babel and kept.startswith("31/03/24, 18:30")


def test_no_date_means_now_and_is_never_kept(app):
    with app.test_request_context("/"):
        first = render_template_string("{{ none|datetimeformat('HH:mm:ss.SSSSSS') }}")
        time.sleep(0.002)
        assert render_template_string("{{ none|datetimeformat('HH:mm:ss.SSSSSS') }}") != first


def test_a_table_of_labels_reads_in_each_language_from_the_kept_catalogue(app):
    from app.services.reports.figures import STEP_LABELS, step_label

    with app.test_request_context("/"):
        assert step_label("final") == "Valutazione definitiva" == gettext("Evaluation final")
        assert step_label("a step nobody named") == "a step nobody named"
        with force_locale("en"):
            assert step_label("final") == "Evaluation final"
        assert [step_label(s) for s in STEP_LABELS] == [gettext(m) for m in STEP_LABELS.values()]
    with app.app_context():  # an export in a jobs worker
        assert step_label("rated") == gettext("Rated, review window open")


def test_the_templates_gettext_escapes_and_formats_as_jinjas_new_style_gettext(app):
    """`_()` and `gettext` in a template give what Jinja's own new-style gettext gives:
    escaped where the template escapes (the text and the variables), formatted with the
    variables, and a literal %% read as %, with or without variables."""
    from jinja2 import Environment

    jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    jinja.install_gettext_callables(gettext=i18n.kept_gettext, ngettext=None, newstyle=True)
    plain = Environment(extensions=["jinja2.ext.i18n"], autoescape=False)
    plain.install_gettext_callables(gettext=i18n.kept_gettext, ngettext=None, newstyle=True)
    sources = ["{{ _('Cycle dashboard') }}", "{{ gettext('Cycle dashboard') }}",
               "{{ _('a %% share') }}", "{{ _('<b>%(name)s</b> 100%%', name='<i>&') }}",
               "{{ _('%(value)s', value=3) }}", "{{ _('Unknown unit %(value)s', value='<x>') }}",
               "{% trans %}Cycle dashboard{% endtrans %}",
               "{% trans who='<me>' %}Hello {{ who }}, 5%%{% endtrans %}"]
    with app.test_request_context("/"):
        for source in sources:
            assert render_template_string(source) == jinja.from_string(source).render(), source
        for source in sources:  # where the template does not escape (e-mails' text part)
            own = app.jinja_env.overlay(autoescape=False).from_string(source).render()
            assert own == plain.from_string(source).render(), source
        assert render_template_string("{{ _('Cycle dashboard') }}") == "Cruscotto del ciclo"
        assert app.jinja_env.globals["_"] is i18n.template_gettext
