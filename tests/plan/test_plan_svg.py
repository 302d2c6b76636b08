"""Inline SVG charts: well-formed XML, no script, one bar per order / operator."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from yuefang.plan import balance_line, default_bulletin, edd_schedule, gantt_svg, operator_load_svg

NS = "{http://www.w3.org/2000/svg}"


def test_gantt_has_a_bar_per_order_and_a_row_per_line(small_orders, small_lines, plan_start) -> None:
    s = edd_schedule(small_orders, small_lines, start=plan_start)
    svg = gantt_svg(s)
    root = ET.fromstring(svg)
    bars = root.findall(f"{NS}rect")
    assert len(bars) == len(s.planned)
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    for p in s.planned:
        assert p.order_id in svg
    assert gantt_svg(s) == svg  # deterministic


def test_operator_load_chart(tmp_path) -> None:
    lb = balance_line(default_bulletin("shirt"), takt_s=60, time_limit_s=1)
    svg = operator_load_svg(lb)
    root = ET.fromstring(svg)
    assert len(root.findall(f"{NS}rect")) == lb.n_operators
    assert "takt 60 s" in svg
