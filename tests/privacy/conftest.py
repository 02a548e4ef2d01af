"""The evaluated cycle 2022 of the report tests: evaluations with ratings, comments and
computed reward pools."""
import pytest

from tests.reports.conftest import build_report_cycle


@pytest.fixture
def report_cycle(demo):
    return build_report_cycle(demo)
