"""The catalogue is found once per request and language (app/i18n.py), and every way of
changing the language on the way still translates with the right one: a forced language
for a recipient's e-mail, the language chosen in the middle of a request, Python strings,
lazy form labels and the templates' `_()` and `ngettext` alike."""
from flask import render_template_string, session
from flask_babel import force_locale, gettext, lazy_gettext, ngettext, refresh

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
