"""Every garment: drafted for every size of a GB/T 1335 range, doll and giant bodies; the contract."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon
from tests.pattern.garments.conftest import gbt_bodies, proportional_body, scaled

from yuefang.pattern.errors import InputError, OptionError
from yuefang.pattern.model import Pattern
from yuefang.pattern.products import get_product

GARMENTS = {"shirt": "male", "trousers": "male", "bodice": "female", "skirt": "female"}


def _available() -> list[str]:
    out = []
    for pid in GARMENTS:
        try:
            get_product(pid)
        except ImportError:
            continue
        out.append(pid)
    return out


AVAILABLE = _available()


def _assert_good(pattern: Pattern) -> None:
    failed = [c for c in pattern.report["checks"] if not c["ok"]]  # type: ignore[union-attr]
    assert not failed, failed
    for piece in pattern.pieces:
        for ring in (piece.cut, piece.sew):
            poly = Polygon(ring)
            assert poly.is_valid and poly.exterior.is_simple, (piece.name, "not a simple polygon")
            assert poly.exterior.is_ccw, (piece.name, "outline must be counter-clockwise")
        assert Polygon(piece.cut).buffer(1e-6).contains(Polygon(piece.sew)), (piece.name, "sew line outside the cut")


@pytest.mark.parametrize("pid", AVAILABLE)
def test_every_size_of_a_gbt1335_range(pid: str) -> None:
    product = get_product(pid)
    part = "bottom" if pid in ("trousers", "skirt") else "top"
    labels = []
    for label, body in gbt_bodies(GARMENTS[pid], part):
        labels.append(label)
        pattern = product.draft(body, size=label)
        assert pattern.size == label and pattern.product == pid
        _assert_good(pattern)
    assert len(labels) >= 8


@pytest.mark.parametrize("pid", AVAILABLE)
@pytest.mark.parametrize("factor", [0.1, 3.0], ids=["doll", "giant"])
def test_doll_and_giant_bodies(pid: str, factor: float) -> None:
    sex = GARMENTS[pid]
    body = proportional_body(sex, 1700.0 if sex == "male" else 1600.0, 880.0 if sex == "male" else 840.0,
                             740.0 if sex == "male" else 680.0)
    _assert_good(get_product(pid).draft(scaled(body, factor)))


@pytest.mark.parametrize("pid", AVAILABLE)
def test_product_contract(pid: str) -> None:
    product = get_product(pid)
    assert product.id == pid and product.kind == "garment" and product.name_zh
    assert all(isinstance(m, str) for m in product.measurements)
    body = proportional_body(GARMENTS[pid], 1700.0, 880.0, 740.0)
    pattern = product.draft(body, order_line="SO-1/1")
    assert pattern.order_line == "SO-1/1"
    assert Pattern.from_json(pattern.to_json()) == pattern
    for piece in pattern.pieces:
        assert piece.grain[0] != piece.grain[1]
        if piece.mirrored_pair:
            assert piece.quantity % 2 == 0
        if piece.cut_on_fold:
            assert piece.fold_line is not None
    # the inputs model accepts the body and refuses a negative girth
    product.inputs_model.model_validate(body)
    # every option's default is accepted by the options model
    product.options_model()


@pytest.mark.parametrize("pid", AVAILABLE)
def test_missing_measurement_is_refused(pid: str) -> None:
    product = get_product(pid)
    body = proportional_body(GARMENTS[pid], 1700.0, 880.0, 740.0)
    name = product.measurements[1]
    del body[name]
    with pytest.raises(InputError) as exc:
        product.draft(body)
    assert exc.value.field == name and name in str(exc.value)


@pytest.mark.parametrize("pid", AVAILABLE)
def test_bad_options_are_refused(pid: str) -> None:
    product = get_product(pid)
    body = proportional_body(GARMENTS[pid], 1700.0, 880.0, 740.0)
    with pytest.raises(OptionError) as exc:
        product.draft(body, {"fit": "baggy"})
    assert exc.value.field == "fit" and "slim" in exc.value.allowed and "baggy" in str(exc.value)
    with pytest.raises(OptionError) as exc:
        product.draft(body, {"sa_mm": 99})
    assert exc.value.field == "sa_mm" and "40" in exc.value.allowed
    with pytest.raises(OptionError) as exc:
        product.draft(body, {"no_such_option": 1})
    assert exc.value.field == "no_such_option"


@pytest.mark.parametrize("pid", AVAILABLE)
@pytest.mark.parametrize("fit", ["slim", "regular", "loose"])
def test_fits(pid: str, fit: str) -> None:
    body = proportional_body(GARMENTS[pid], 1700.0, 880.0, 740.0)
    _assert_good(get_product(pid).draft(body, {"fit": fit}))


@pytest.mark.parametrize("pid", AVAILABLE)
def test_bodies_sampled_from_the_measure_package(pid: str) -> None:
    """Property: bodies completed by ``yuefang.measure`` from random stature, weight and age draft cleanly."""
    import numpy as np

    measure = pytest.importorskip("yuefang.measure", reason="the measure package is not installed")
    complete_many = getattr(measure, "complete_many", None)
    if complete_many is None:
        pytest.skip("yuefang.measure.complete_many is not available yet")
    sex = GARMENTS[pid]
    rng = np.random.default_rng(8559)
    n = 12
    stature = rng.uniform(1450.0, 1950.0, n) if sex == "male" else rng.uniform(1400.0, 1850.0, n)
    weight = rng.uniform(17.0, 35.0, n) * (stature / 1000.0) ** 2
    rows = [{"sex": sex, "stature": float(s), "weight_kg": float(w), "age_years": float(a)}
            for s, w, a in zip(stature, weight, rng.uniform(18, 70, n), strict=True)]
    bodies = [b.values for b in complete_many(rows).bodies if b is not None]
    assert len(bodies) >= n // 2
    product = get_product(pid)
    for body in bodies:
        _assert_good(product.draft({**body, "sex": sex}))
