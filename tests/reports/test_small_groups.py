"""Public pages publish no cell counting fewer than PUBLIC_MIN_GROUP people: score
classes and reward pools under the minimum are merged with their neighbours (or shown as
"< N" without share or amount), with a note saying so; on the page and in its PDF."""
from __future__ import annotations

import re
import subprocess

import pytest

from app.formats import italian as formatting
from app.scoring.statistics import merge_small
from app.services.reports import figures as reports


def _people_cells(html: str) -> list[str]:
    return re.findall(r'data-figure="people">([^<]*)<', html)


@pytest.fixture
def minimum(app):
    previous = app.config["PUBLIC_MIN_GROUP"]
    yield lambda value: app.config.update(PUBLIC_MIN_GROUP=value)
    app.config["PUBLIC_MIN_GROUP"] = previous


def test_merging_leaves_no_class_of_one_or_two():
    assert merge_small([0, 0, 1, 2, 5, 4, 1], 3) == [(0, 0), (1, 1), (2, 3), (4, 4), (5, 6)]
    assert merge_small([1, 1], 3) == [(0, 1)]  # too few people: one class, hidden
    assert merge_small([0, 3, 0], 3) == [(0, 0), (1, 1), (2, 2)]


def test_no_published_count_is_one_or_two(closed_cycle, client):
    table = reports.score_distribution(closed_cycle)
    assert {s.count for s in table.by_score.values()} & {1, 2}  # the demo has small classes
    html = client.get("/trasparenza/").get_data(as_text=True)
    cells = _people_cells(html)
    assert cells and not {"1", "2"} & set(cells)
    assert 'data-testid="small-groups-note"' in html


def test_amounts_of_a_pool_under_the_minimum_are_not_shown(closed_cycle, client, minimum):
    managers = next(p for p in reports.fund(closed_cycle).pools if p.group == "managers")
    assert 0 < len(managers.allocations) < 6
    minimum(6)
    html = client.get("/trasparenza/").get_data(as_text=True)
    assert formatting.money(managers.amount) not in html
    assert formatting.money(managers.distributed) not in html
    assert not [c for c in _people_cells(html) if c.isdigit() and 0 < int(c) < 6]


def test_public_pdf_has_no_small_cells(report_cycle, client, minimum, tmp_path):
    from tests.reports.conftest import close_cycle

    managers = next(p for p in reports.fund(report_cycle).pools if p.group == "managers")
    minimum(6)  # in force when the Report is drafted: the public page serves those bytes
    close_cycle(report_cycle)
    path = tmp_path / "public.pdf"
    path.write_bytes(client.get("/trasparenza/2022/relazione.pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert formatting.money(managers.distributed) not in text
    assert "no figure is published for fewer than 6 people" in text or "meno di 6" in text
