"""DXF-AAMA: read back with ezdxf and with an independent group-code reader written here."""

from __future__ import annotations

import io
import re

import ezdxf
import pytest
from ezdxf import recover
from shapely.geometry import Polygon

from yuefang.pattern.export.dxf_aama import AAMA_LAYERS, to_dxf_aama
from yuefang.pattern.home.curtain import PRODUCT as CURTAIN


def read_groups(data: bytes) -> list[tuple[int, str]]:
    """An independent DXF reader: (group code, value) pairs, text decoded by $DWGCODEPAGE."""
    head = data[:4000].decode("latin-1")
    m = re.search(r"\$DWGCODEPAGE\s*\n\s*3\s*\n([^\n]+)", head)
    codepage = m.group(1).strip() if m else "ANSI_1252"
    encoding = {"ANSI_936": "gbk", "ANSI_1252": "cp1252"}[codepage]
    lines = data.decode(encoding).split("\n")
    pairs = []
    for i in range(0, len(lines) - 1, 2):
        value = re.sub(r"\\U\+([0-9A-Fa-f]{4})", lambda g: chr(int(g.group(1), 16)), lines[i + 1])
        pairs.append((int(lines[i]), value))
    return pairs


def parse_blocks(pairs: list[tuple[int, str]]) -> dict[str, list[dict]]:
    """BLOCKS section -> block name -> entities as dicts (type, layer, points, text, flags)."""
    blocks: dict[str, list[dict]] = {}
    section = None
    current: list[dict] | None = None
    ent: dict | None = None
    for code, value in pairs:
        if code == 0:
            if ent is not None and current is not None and ent["type"] not in ("VERTEX", "SEQEND"):
                current.append(ent)
            if ent is not None and ent["type"] == "VERTEX" and current:
                current[-1]["points"].append(ent["points"][0])
            ent = None
            if value == "SECTION":
                section = "?"
            elif value in ("ENDSEC", "EOF"):
                section = None
            elif section == "BLOCKS" and value == "BLOCK":
                current = None
                ent = {"type": "BLOCK", "points": [], "layer": ""}
            elif section == "BLOCKS" and value == "ENDBLK":
                current = None
            elif section == "BLOCKS" and current is not None:
                ent = {"type": value, "points": [], "layer": "", "flags": 0, "text": ""}
            continue
        if section == "?" and code == 2:
            section = value
            continue
        if ent is None:
            continue
        if ent["type"] == "BLOCK" and code == 2:
            current = blocks.setdefault(value, [])
            ent = None
        elif code == 8:
            ent["layer"] = value
        elif code in (10, 11):
            ent["points"].append([float(value), None])
        elif code in (20, 21):
            ent["points"][-1][1] = float(value)
        elif code == 70:
            ent["flags"] = int(value)
        elif code == 1:
            ent["text"] = value
    return blocks


@pytest.fixture
def curtain_dxf() -> tuple:
    pat = CURTAIN.draft({"window_width_mm": 2000, "drop_mm": 2300}, {"heading": "eyelet"}, size=None, order_line="SO-7")
    return pat, to_dxf_aama(pat)


def test_file_is_r12_with_gbk_codepage(curvy) -> None:
    data = to_dxf_aama(curvy)
    assert isinstance(data, bytes)
    pairs = read_groups(data)
    header = dict(zip([v for c, v in pairs if c == 9], [v for c, v in pairs if c in (1, 3)][:2], strict=False))
    assert header["$ACADVER"] == "AC1009"
    assert "ANSI_936" in data[:2000].decode("latin-1")
    assert "LWPOLYLINE" not in {v for c, v in pairs if c == 0}
    assert "前片".encode("gbk") in data  # Chinese written in the code page, not lost


def test_ezdxf_reads_it_back_cleanly(curvy) -> None:
    data = to_dxf_aama(curvy)
    doc = ezdxf.read(io.StringIO(data.decode("gbk")))
    assert doc.dxfversion == "AC1009"
    doc2, auditor = recover.read(io.BytesIO(data))
    assert not auditor.has_errors
    blocks = [b for b in doc2.blocks if not b.name.startswith("*")]
    assert sorted(b.name for b in blocks) == sorted(p.name for p in curvy.pieces)
    inserts = [e.dxf.name for e in doc2.modelspace() if e.dxftype() == "INSERT"]
    assert sorted(inserts) == sorted(p.name for p in curvy.pieces)
    front = doc2.blocks["front"]
    texts = {e.dxf.text for e in front if e.dxftype() == "TEXT"}
    assert {"Piece Name: front", "Size: 170/88A", "Quantity: 2", "Units: METRIC", "Annotation: Front 前片"} <= texts
    boundary = [e for e in front if e.dxftype() == "POLYLINE" and e.dxf.layer == "1"]
    assert len(boundary) == 1 and boundary[0].is_closed
    pts = [tuple(v.dxf.location)[:2] for v in boundary[0].vertices]
    src = curvy.pieces[0].cut
    assert len(pts) == len(src) and all(abs(a[0] - b[0]) < 1e-5 and abs(a[1] - b[1]) < 1e-5 for a, b in zip(pts, src, strict=True))
    style = {e.dxf.text for e in doc2.modelspace() if e.dxftype() == "TEXT"}
    assert {"Style Name: test_shirt", "Sample Size: 170/88A", "Units: METRIC"} <= style


def test_independent_reader_finds_every_aama_layer(curvy) -> None:
    blocks = parse_blocks(read_groups(to_dxf_aama(curvy)))
    assert set(blocks) == {"front", "sleeve", "collar"}
    front = blocks["front"]
    layers = {e["layer"] for e in front}
    assert {"1", "2", "3", "4", "7", "8", "13", "14", "15"} <= layers <= set(AAMA_LAYERS)
    piece = curvy.pieces[0]
    cut = next(e for e in front if e["layer"] == "1" and e["type"] == "POLYLINE")
    assert cut["flags"] & 1 and Polygon(cut["points"]).area == pytest.approx(Polygon(piece.cut).area, rel=1e-9)
    turns = [e for e in front if e["layer"] == "2" and e["type"] == "POINT"]
    curves = [e for e in front if e["layer"] == "3" and e["type"] == "POINT"]
    assert len(turns) == len(piece.turn_points) and len(turns) + len(curves) == len(piece.cut)
    assert len([e for e in front if e["layer"] == "4"]) == len(piece.notches)
    assert len([e for e in front if e["layer"] == "13"]) == len(piece.drill_holes)
    assert any(e["text"] == "Annotation: Front 前片" for e in front if e["layer"] == "15")
    collar = blocks["collar"]
    assert [e["type"] for e in collar if e["layer"] == "6"] == ["LINE"]  # the fold (mirror) line


def test_chinese_outside_gbk_survives_as_unicode_escape(curvy) -> None:
    piece = curvy.pieces[2].model_copy(update={"label": "Collar 翻领 ☃"})
    pat = curvy.model_copy(update={"pieces": (curvy.pieces[0], curvy.pieces[1], piece)})
    data = to_dxf_aama(pat)
    assert b"\\U+2603" in data
    texts = [e["text"] for e in parse_blocks(read_groups(data))["collar"] if e["layer"] == "15"]
    assert "Annotation: Collar 翻领 ☃" in texts


def test_home_textile_with_order_line(curtain_dxf) -> None:
    pat, data = curtain_dxf
    blocks = parse_blocks(read_groups(data))
    panel = blocks["panel"]
    assert any(e["text"] == "Size: SO-7" for e in panel)
    assert len([e for e in panel if e["layer"] == "13"]) == len(pat.pieces[0].drill_holes) > 0
