"""The names of tasks and processes in the reader's language (see app/engine/texts.py):
the shipped diagrams speak Italian and carry their English texts as properties."""
from __future__ import annotations

from flask import g
from flask_babel import get_locale

from app.engine import texts


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "it"


def step_title(bpmn_id: str, title: str) -> str:
    """A step's name as the reader's language gives it, else as the diagram gives it
    (the names are read once per request and language)."""
    language = _language()
    cache = g.setdefault("_diagram_names", {})
    if language not in cache:
        cache[language] = texts.names(language)
    return cache[language].get((bpmn_id, title), title)


def task_title(task) -> str:
    """An inbox row's (or any object with bpmn_id and title) name for the reader."""
    return step_title(task.bpmn_id, task.title)


def process_name(definition) -> str:
    return texts.translated(definition, definition.process_id, "name", _language(),
                            definition.name)


def language() -> str:
    return _language()
