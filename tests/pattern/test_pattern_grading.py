"""Graded stacks: one garment over GB/T 1335 sizes, every size's cut line on one sheet."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from shapely.geometry import Polygon

from yuefang.pattern.grading import PALETTE, graded_patterns, graded_stack_svg, stack_svg

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["160/80A", "170/88A", "180/96A"]


@pytest.fixture(scope="module")
def shirts():
    return graded_patterns("shirt", LABELS, "male")


def test_each_size_is_drafted_from_its_body(shirts) -> None:
    assert [p.size for p in shirts] == LABELS
    assert all(p.report["ok"] for p in shirts)
    areas = [Polygon(next(pc for pc in p.pieces if pc.name == "back").cut).area for p in shirts]
    assert areas[0] < areas[1] < areas[2]  # the pieces grow with the size


def test_stack_draws_every_size_of_every_piece(shirts) -> None:
    svg = stack_svg(shirts)
    root = ET.fromstring(svg)
    assert root.get("width").endswith("mm")
    polys = list(root.iter(f"{SVG}polygon"))
    n_pieces = len(shirts[0].pieces)
    assert len(polys) == n_pieces * len(LABELS)
    colours = {e.get("stroke") for e in polys}
    assert colours == set(PALETTE[: len(LABELS)])
    for label in LABELS:
        assert label in svg  # the legend


def test_graded_stack_svg_drafts_and_stacks() -> None:
    svg = graded_stack_svg("shirt", LABELS[:2], "male", align="grain")
    assert len(re.findall(r"<polygon", svg)) > 2


def test_home_textiles_are_not_graded() -> None:
    with pytest.raises(ValueError, match="garment"):
        graded_patterns("curtain", LABELS, "male")


def test_empty_size_list_is_refused() -> None:
    with pytest.raises(ValueError, match="labels"):
        graded_patterns("shirt", [], "male")
