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
        "counted_differentiation", "differentiation", "distribute_rewards", "indicator_score", "individual_score",
        "matrix_value", "objective_score", "organisation_score", "pays", "quantize2",
        "strategic_score"])
    assert all(hasattr(app.scoring, name) for name in app.scoring.__all__)


def test_a_score_pays_only_from_the_start_of_the_medium_band():
    from decimal import Decimal

    from app.scoring import pays
    from app.scoring.system import Bands

    assert pays(2) and pays(Decimal("6.00"))
    assert not pays(Decimal("1.99")) and not pays(Decimal("1.50")) and not pays(None)
    assert not pays(2, Bands(low=(0, 2), medium=(3, 4), high=(5, 6)))


def test_outcome_labels_follow_the_configured_limits():
    from decimal import Decimal

    import pytest
    from pydantic import ValidationError

    from app.scoring.system import EvaluationSystem, Outcomes

    default = EvaluationSystem().outcomes
    assert [default.of(v) for v in (Decimal(100), Decimal(75), Decimal("49.99"), None)] == [
        "achieved", "partly", "not_achieved", None]
    strict = Outcomes(achieved=Decimal(95), partly=Decimal(80))
    assert [strict.of(Decimal(v)) for v in (95, 94, 80, 79)] == [
        "achieved", "partly", "partly", "not_achieved"]
    with pytest.raises(ValidationError):
        Outcomes(achieved=Decimal(60), partly=Decimal(70))
