"""Fixtures of the background-job tests: the children's fixtures (the demo with its 2022
plan, the child diagrams and a test master waiting for their end messages)."""
from tests.cycle_children.conftest import (  # noqa: F401  (fixtures)
    clock,
    cycle,
    deployed,
    english,
    english_interface,
    master,
    people,
)
