"""The charts written as SVG by hand: a well-formed picture with one bar per value, each
value written in Italian at its bar, labels escaped, bars clipped to the axis, and the
same figures giving the same picture (pages, the Report and the backups compare them)."""
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from app.services.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg: str):
    root = ElementTree.fromstring(svg)
    return root.findall(f"{SVG}rect"), [t.text for t in root.iter(f"{SVG}text")]


def test_a_distribution_has_a_bar_per_score_in_its_band_colour_with_its_share():
    svg = charts.bars(["0", "1", "n.e."], [Decimal("12.5"), Decimal(0), Decimal("87.5")],
                      colours=["#a61919", "#995c00", "#a61919"])
    rects, texts = _parsed(svg)
    assert [r.get("fill") for r in rects] == ["#a61919", "#995c00", "#a61919"]
    assert {"12,50%", "0,00%", "87,50%", "0", "1", "n.e."} <= set(texts)
    heights = [float(r.get("height")) for r in rects]
    assert heights[1] == 0 and heights[2] == pytest.approx(7 * heights[0], abs=0.5)


def test_achievements_escape_their_labels_and_stop_at_the_end_of_the_axis():
    svg = charts.achievements([("R&S <1>", Decimal(150)), ("OS2", Decimal(55)),
                               ("OS3", None)])
    rects, texts = _parsed(svg)
    assert len(rects) == 2 and "R&S <1>" in texts and "150,00%" in texts
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] == pytest.approx(widths[1] * 110 / 55, abs=0.5)  # to the axis' end
    assert charts.achievements([("OS1", None)]) is None


def test_the_same_figures_give_the_same_picture():
    rows = [("OS1", Decimal("80.5")), ("OS2", Decimal(99))]
    assert charts.achievements_src(rows) == charts.achievements_src(list(rows))
    assert charts.achievements_src(rows).startswith("data:image/svg+xml;base64,")
