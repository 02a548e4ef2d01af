"""Translations found once per request instead of once per string.

Flask-Babel looks the current translations up anew for every string: the request's
locale, its domain and the catalogue, through half a dozen context proxies each time.
A page translates 100-250 strings (its labels, the navigation, the task names), and under
the load bench that lookup was about 7% of the app servers' time. Here the catalogue
found for a locale is kept beside Flask-Babel's own state for the request (or the
application context of a CLI command), with the locale it was found for, and used again
while that locale stays the same object: `force_locale` and `refresh` replace or drop
the locale, so a string translated inside them, or after them, finds its catalogue again.
Anything unexpected (no context, Flask-Babel's state not there yet) takes Flask-Babel's
own path, which stays the reference.

The templates' date filters are kept too: an inbox page shows 25 due dates, nearly all the
same instant (every evaluation of a cycle falls due together), and Babel took about 65
microseconds to format each. A date is formatted once per value, pattern, language and
time zone, and the text found then is used again."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import flask_babel
from flask import g
from flask_babel import Babel, Domain, get_timezone, get_translations
from flask_babel import get_locale as babel_locale
from jinja2 import pass_eval_context
from markupsafe import Markup

_KEPT = "app_translations"  # (locale, catalogue) on Flask-Babel's state of the context


def _kept_or(find):
    """The catalogue kept for the context's current locale, else `find()` kept."""
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # no context, or nothing translated yet
        return find()
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, _KEPT, None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    translations = find()
    locale = babel_locale()  # found with the catalogue, when it was missing
    if locale is not None:
        setattr(state, _KEPT, (locale, translations))
    return translations


def translations():
    """The current context's catalogue (what `flask_babel.get_translations` returns)."""
    return _kept_or(get_translations)


def N_(message: str) -> str:
    """Marks `message` for the catalogue (a keyword the extraction knows) and returns it
    as it is: for a table of labels translated where they are shown, by kept_gettext."""
    return message


def kept_gettext(message: str) -> str:
    """`message` in the context's language, from the kept catalogue: a list page shows a
    label per row, and a lazy string finds its catalogue through Flask-Babel's own path
    at every use (about 15 microseconds; this, about 3)."""
    return translations().ugettext(message)


def kept_format(format_value: Callable[..., str]) -> Callable[..., str]:
    """Flask-Babel's `format_value(value, format, rebase)`, formatting each value once per
    pattern, language and time zone. The value's own time zone is part of the key: the
    same instant in two zones reads differently without rebasing. No value means now,
    which is never kept."""

    @lru_cache(maxsize=4096)
    def formatted(value, zone_of_value, format, rebase, locale, zone) -> str:
        return format_value(value, format, rebase)

    def format_kept(value=None, format=None, rebase=True) -> str:
        if value is None:
            return format_value(value, format, rebase)
        return formatted(value, getattr(value, "tzinfo", None), format, rebase,
                         str(babel_locale()), str(get_timezone()))

    return format_kept


KEPT_FILTERS = {"datetimeformat": kept_format(flask_babel.format_datetime),
                "dateformat": kept_format(flask_babel.format_date)}


class KeptDomain(Domain):
    """The default domain, finding its catalogue once per context and locale."""

    def get_translations(self):
        return _kept_or(super().get_translations)


@pass_eval_context
def template_gettext(eval_context, message: str, /, **variables) -> str:
    """The templates' `_()` and `gettext`: what Jinja's new-style gettext does (the text
    escaped where the template escapes, then formatted with the variables, so a
    translation's `%%` reads `%`), called directly. Jinja's own reaches it through two
    more calls (`_` resolves `gettext`, which calls the catalogue through the template
    context), and a page has 50 to 250 strings."""
    text = kept_gettext(message)
    if eval_context.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


class KeptBabel(Babel):
    """Flask-Babel with the default domain above, and the templates' `_()`, `ngettext`
    and `pgettext` reading the kept catalogue directly."""

    @property
    def domain_instance(self) -> Domain:
        try:
            return self._kept_domain
        except AttributeError:
            self._kept_domain = KeptDomain(domain=self.domain)
            return self._kept_domain

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        if self._configure_jinja:
            app.jinja_env.install_gettext_callables(
                gettext=kept_gettext,
                ngettext=lambda s, p, n: translations().ungettext(s, p, n),
                newstyle=True,
                pgettext=lambda c, s: translations().upgettext(c, s),
                npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
            )
            app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
            app.jinja_env.filters.update(KEPT_FILTERS)
