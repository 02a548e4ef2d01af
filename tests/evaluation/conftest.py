"""Fixtures of the evaluation tests."""
import pytest


@pytest.fixture(autouse=True)
def english_interface(app):
    """These tests read the English interface (the catalogue's source language)."""
    previous = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = previous
