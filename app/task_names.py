"""The name of a task as people read it, in pages and in e-mails alike.

Every place that shows a task to a person calls display_name, never HumanTask.title
directly: the title is the diagram's own name (English in the shipped workflows), and
the translation of task names plugs in here once, for the inbox, the task page, the
home page and the messages."""
from __future__ import annotations


def display_name(task) -> str:
    return task.title
