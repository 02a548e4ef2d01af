"""The name of a task, a step or a process as people read it, in pages and in e-mails
alike.

Every place that shows a task to a person calls display_name, never HumanTask.title
directly: the title is the diagram's own name (Italian in the shipped workflows), and a
reader of another language sees the diagram's text for that language where it gives one
(app/diagram_texts.py). The language is the one of the page or message being written
(flask_babel's locale, so `force_locale` for a recipient works too)."""
from __future__ import annotations

from flask import g, has_app_context
from flask_babel import get_locale

from app import diagram_texts


def language() -> str:
    locale = get_locale() if has_app_context() else None
    return locale.language if locale is not None else "it"


def step_name(bpmn_id: str, title: str) -> str:
    """A step's name in the reader's language, else as the diagram gives it (the names are
    read once per request or application context and language)."""
    current = language()
    cache = g.setdefault("_diagram_names", {})
    if current not in cache:
        cache[current] = diagram_texts.names(current)
    return cache[current].get((bpmn_id, title), title)


def display_name(task) -> str:
    """An inbox row's name (or of anything with `bpmn_id` and `title`, such as a step of
    the cycle's timeline)."""
    bpmn_id = getattr(task, "bpmn_id", None)
    return step_name(bpmn_id, task.title) if bpmn_id else task.title


def process_name(definition) -> str:
    return diagram_texts.translated(definition, definition.process_id, "name", language(),
                                    definition.name)
