"""Every PDF is accessible (PDF/UA-1: tagged structure, language, title shown) and the
Report is also archival (PDF/A-3a); read back with pikepdf, and the text extracted with
pypdf gives the headings in reading order."""
from __future__ import annotations

import io
from itertools import pairwise

import pikepdf
import pypdf
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.services.reports import pdf as report_pdf


def report_headings() -> list[str]:
    """The Report's h1 and h2 as the Italian reader sees them."""
    with force_locale("it"):
        return [f"{_('Performance report')} 2022"] + [
            f"{n}. {_(title)}" for n, title in enumerate(
                ("Context", "The organisation's results", "Objectives and indicators",
                 "Evaluation of the Secretary General", "Differentiation of individual scores",
                 "Reward fund"), start=1)]


def structure_tags(pdf: pikepdf.Pdf) -> list[str]:
    """The structure element types (H1, H2, Table, Figure ...) in document order."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(str(node.S))
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def assert_accessible(data: bytes, title: str) -> pikepdf.Pdf:
    """PDF/UA-1: marked, structure tree, Italian, title in the XMP and shown by viewers,
    headings tagged from H1 down, figures with alternative text."""
    pdf = pikepdf.open(io.BytesIO(data))
    assert pdf.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "it"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    meta = pdf.open_metadata()
    assert meta["dc:title"] == title
    assert meta["pdfuaid:part"] == "1"
    tags = structure_tags(pdf)
    headings = [t for t in tags if t in ("/H1", "/H2", "/H3")]
    assert headings and headings[0] == "/H1"
    assert all(int(b[2]) <= int(a[2]) + 1 for a, b in pairwise(headings)), headings
    return pdf


def in_reading_order(data: bytes, headings: list[str]) -> None:
    text = " ".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
                    .split())
    positions = [text.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions) if p == -1]
    assert positions == sorted(positions)


@pytest.mark.parametrize("public", [False, True])
def test_the_report_is_pdf_ua_and_pdf_a(report_cycle, public):
    data = report_pdf.render(report_cycle, public=public)
    pdf = assert_accessible(data, "Relazione sulla performance 2022")
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "A"
    assert "/OutputIntents" in pdf.Root
    assert "/Figure" in structure_tags(pdf)
    for figure in _figures(pdf):
        assert str(figure.get("/Alt", "")).strip()
    in_reading_order(data, report_headings())


def _figures(pdf: pikepdf.Pdf):
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                yield node
            if "/K" in node:
                stack.append(node.K)
