"""The templates' `url_for` keeps the links it built (app/web/links.py) and always gives
the link Flask's own `url_for` gives: for every route of the application, under another
script root, with values equal as keys but written differently, relative to the
request's blueprint, and with what it does not keep."""
import pytest
from flask import render_template_string, url_for
from werkzeug.routing import BuildError

from app.web.links import _built, kept_url_for


def _sample_values(rule) -> dict:
    """Values for every argument of a rule: a number where the converter wants one."""
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        values[name] = 7 if converter in ("IntegerConverter", "NumberConverter") else "x-7"
    return values


def test_the_templates_build_links_with_the_kept_url_for(app):
    assert app.jinja_env.globals["url_for"] is kept_url_for
    with app.test_request_context("/"):
        assert render_template_string("{{ url_for('tasks.inbox_page', page=2) }}") == \
            "/tasks?page=2"


def test_every_route_gives_flasks_own_link_twice(app):
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    assert len(rules) > 100
    with app.test_request_context("/"):
        for rule in rules:
            values = _sample_values(rule)
            expected = url_for(rule.endpoint, **values)
            assert kept_url_for(rule.endpoint, **values) == expected
            assert kept_url_for(rule.endpoint, **values) == expected  # from the cache
            with_query = url_for(rule.endpoint, **values, q="a b&c", page=3)
            assert kept_url_for(rule.endpoint, **values, q="a b&c", page=3) == with_query


def test_a_link_built_under_one_script_root_is_not_given_under_another(app):
    with app.test_request_context("/"):
        at_root = kept_url_for("tasks.inbox_page")
    with app.test_request_context("/", base_url="http://localhost/performance/"):
        mounted = kept_url_for("tasks.inbox_page")
        assert mounted == url_for("tasks.inbox_page") == "/performance/tasks"
    assert at_root == "/tasks"


def test_values_equal_as_keys_but_written_differently_give_their_own_links(app):
    with app.test_request_context("/"):
        for value in (1, True, 1.0, "1"):
            assert kept_url_for("tasks.inbox_page", page=value) == \
                url_for("tasks.inbox_page", page=value)
        assert kept_url_for("tasks.inbox_page", page=True) == "/tasks?page=True"
        assert kept_url_for("tasks.inbox_page", page=1) == "/tasks?page=1"


def test_a_relative_endpoint_follows_the_requests_blueprint(app):
    with app.test_request_context("/tasks"):
        assert kept_url_for(".inbox_page") == "/tasks"
    with app.test_request_context("/login"), pytest.raises(BuildError):
        kept_url_for(".inbox_page")  # the sign-in blueprint has no such view


def test_what_is_not_kept_takes_flasks_own_url_for(app):
    with app.test_request_context("/"):
        assert kept_url_for("tasks.inbox_page", status=["a", "b"]) == \
            url_for("tasks.inbox_page", status=["a", "b"]) == "/tasks?status=a&status=b"
        assert kept_url_for("tasks.inbox_page", _anchor="x y") == "/tasks#x%20y"
        assert kept_url_for("tasks.inbox_page", _external=True) == "http://localhost/tasks"
        with pytest.raises(BuildError):
            kept_url_for("no.such_view")
        kept = _built.cache_info().currsize
        typed = "=cmd|calc " * 500
        assert kept_url_for("tasks.inbox_page", q=typed) == url_for("tasks.inbox_page", q=typed)
        assert _built.cache_info().currsize == kept  # a long text typed is not kept
    with app.app_context():  # no request: Flask's own rules (external, or an error)
        try:
            expected = url_for("tasks.inbox_page")
        except RuntimeError:
            with pytest.raises(RuntimeError):
                kept_url_for("tasks.inbox_page")
        else:
            assert kept_url_for("tasks.inbox_page") == expected
