"""The scoring package stays pure (ARCHITECTURE.md: everything calls it, it calls
nothing): its modules import only the standard library, pydantic and each other."""
import ast
import sys
from pathlib import Path

import app.scoring

PACKAGE = Path(app.scoring.__file__).parent
ALLOWED = {"__future__", "pydantic", "app"}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module


def test_only_the_standard_library_pydantic_and_itself():
    for path in PACKAGE.glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top in ALLOWED, (path.name, name)
            if top == "app":
                assert name.startswith("app.scoring"), (path.name, name)


def test_the_public_names():
    assert sorted(app.scoring.__all__) == sorted([
        "DIRECTIONS", "METHODS", "Allocation", "AllocationLine", "Differentiation",
        "EvaluationSystem", "Person", "ScoringError", "Share", "area_score", "band",
        "differentiation", "distribute_rewards", "indicator_score", "individual_score",
        "matrix_value", "objective_score", "organisation_score", "quantize2",
        "strategic_score"])
    assert all(hasattr(app.scoring, name) for name in app.scoring.__all__)
