"""Bulletins: defaults for every product, CSV reading and its errors."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from yuefang.pattern.products import PRODUCT_MODULES
from yuefang.plan import (
    DEFAULT_PRODUCTS,
    Bulletin,
    MachineType,
    Operation,
    bulletin_to_csv,
    default_bulletin,
    read_bulletin_csv,
)


def test_every_pattern_product_has_a_default_bulletin() -> None:
    assert set(DEFAULT_PRODUCTS) == set(PRODUCT_MODULES)
    for pid in PRODUCT_MODULES:
        b = default_bulletin(pid)
        assert b.product_id == pid
        assert 3 <= b.total_smv_min <= 40  # plausible minutes per piece
        assert all(op.smv_min > 0 for op in b.operations)
        # a bulletin has at least two machine types and one final press/inspection operation
        assert len({op.machine_type for op in b.operations}) >= 2


def test_shirt_is_heavier_than_a_fitted_sheet() -> None:
    assert default_bulletin("shirt").total_smv_min > 2 * default_bulletin("fitted_sheet").total_smv_min


def test_csv_round_trip() -> None:
    b = default_bulletin("trousers")
    again = read_bulletin_csv(bulletin_to_csv(b), product_id="trousers", name=b.name)
    assert again == b


def test_unknown_product_names_allowed_values() -> None:
    with pytest.raises(ValueError, match="product_id: 'coat'; allowed: shirt"):
        default_bulletin("coat")


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("op_id,name,smv_min\na,x,1\n", "missing \\['machine_type'\\]"),
        ("op_id,name,machine_type,smv_min\na,x,laser,1\n", "row 2: machine_type 'laser'; allowed: lockstitch"),
        ("op_id,name,machine_type,smv_min\na,x,iron,abc\n", "row 2: smv_min 'abc'"),
        ("op_id,name,machine_type,smv_min\na,x,iron,-1\n", "row 2: smv_min"),
        ("op_id,name,machine_type,smv_min,skill_grade\na,x,iron,1,9\n", "row 2: skill_grade"),
        ("op_id,name,machine_type,smv_min,skill_grade,predecessors\na,x,iron,1,1,b\n", "'b' is not an operation"),
        ("op_id,name,machine_type,smv_min,skill_grade,predecessors\na,x,iron,1,1,b\nb,y,iron,1,1,a\n", "cycle"),
        ("op_id,name,machine_type,smv_min\na,x,iron,1\na,y,iron,1\n", "'a' appears twice"),
    ],
)
def test_bad_csv_is_rejected_with_the_field(csv_text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_bulletin_csv(csv_text)


def test_operation_rejects_zero_smv() -> None:
    with pytest.raises(ValidationError):
        Operation(op_id="a", name="x", machine_type=MachineType.IRON, smv_min=0)


def test_bulletin_lookup() -> None:
    b = Bulletin(product_id="p", operations=(Operation(op_id="a", name="x", machine_type="iron", smv_min=1.5),))
    assert b.operation("a").smv_s == 90.0
    with pytest.raises(KeyError, match="'z'"):
        b.operation("z")
