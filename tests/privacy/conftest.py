"""The evaluated cycle 2022 of the report tests: evaluations with ratings, comments and
computed reward pools."""
import pytest

from tests.reports.conftest import build_report_cycle
from tests.snapshots import cached


@pytest.fixture
def report_cycle(demo):
    return cached("report_cycle", lambda: build_report_cycle(demo))
