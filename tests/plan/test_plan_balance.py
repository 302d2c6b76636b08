"""Sewing-line balancing of bulletins."""

from __future__ import annotations

import math

import pytest

from yuefang.plan import (
    DEFAULT_PRODUCTS,
    Bulletin,
    LineBalance,
    Operation,
    OperationShare,
    OperatorLoad,
    balance_line,
    bulletin_to_salbp,
    check_balance,
    default_bulletin,
    solve_salbp1,
    takt_from_output,
)


@pytest.mark.parametrize("product", DEFAULT_PRODUCTS)
def test_default_bulletins_balance_and_check(product: str) -> None:
    b = default_bulletin(product)
    lb = balance_line(b, takt_s=60, time_limit_s=0.5)
    assert check_balance(lb, b) == []
    assert all(o.load_s <= 60 + 1e-9 for o in lb.operators)
    # never fewer operators than the work content allows
    assert lb.n_operators >= math.ceil(b.total_smv_min * 60 / 60)
    assert 0 < lb.line_efficiency <= 1
    assert lb.balance_loss == pytest.approx(1 - lb.line_efficiency)


def test_long_operation_gets_parallel_operators() -> None:
    b = Bulletin(product_id="p", operations=(
        Operation(op_id="long", name="long seam", machine_type="lockstitch", smv_min=2.5),
        Operation(op_id="short", name="tack", machine_type="lockstitch", smv_min=0.5, predecessors=("long",)),
    ))
    lb = balance_line(b, takt_s=60, time_limit_s=1)
    on_long = [o for o in lb.operators if "long" in o.op_ids]
    assert len(on_long) == 3  # 150 s at a 60 s takt
    assert sum(s.share for o in on_long for s in o.operations if s.op_id == "long") == pytest.approx(1.0)
    assert lb.n_operators == 3 and lb.optimal  # the 30 s remainder shares with the 30 s tack
    assert check_balance(lb, b) == []


def test_non_adjacent_operations_share_a_machine_but_not_across_types() -> None:
    b = Bulletin(product_id="p", operations=(
        Operation(op_id="a", name="a", machine_type="lockstitch", smv_min=0.3),
        Operation(op_id="b", name="b", machine_type="overlock", smv_min=0.3, predecessors=("a",)),
        Operation(op_id="c", name="c", machine_type="lockstitch", smv_min=0.3, predecessors=("b",)),
    ))
    lb = balance_line(b, takt_s=60, time_limit_s=1)
    assert lb.n_operators == 2
    assert any(set(o.op_ids) == {"a", "c"} for o in lb.operators)
    assert all(len({b.operation(i).machine_type for i in o.op_ids}) == 1 for o in lb.operators)


def test_skill_spread_is_respected() -> None:
    b = Bulletin(product_id="p", operations=(
        Operation(op_id="x", name="expert", machine_type="lockstitch", smv_min=0.2, skill_grade=4),
        Operation(op_id="y", name="basic", machine_type="lockstitch", smv_min=0.2, skill_grade=1),
    ))
    assert balance_line(b, takt_s=60, time_limit_s=1).n_operators == 2
    assert balance_line(b, takt_s=60, time_limit_s=1, max_skill_spread=3).n_operators == 1


def test_operators_mode_finds_a_short_takt() -> None:
    b = default_bulletin("skirt")
    lb = balance_line(b, operators=12, time_limit_s=2)
    assert lb.n_operators <= 12
    assert check_balance(lb, b) == []
    assert lb.takt_s >= b.total_smv_min * 60 / 12 - 1e-9  # cannot beat the work content
    assert lb.lower_bound <= lb.takt_s


def test_bad_arguments_name_the_field() -> None:
    b = default_bulletin("skirt")
    with pytest.raises(ValueError, match="exactly one of takt_s"):
        balance_line(b, time_limit_s=1)
    with pytest.raises(ValueError, match="takt_s: -5"):
        balance_line(b, takt_s=-5, time_limit_s=1)
    with pytest.raises(ValueError, match="operators: 2; allowed: >= "):
        balance_line(b, operators=2, time_limit_s=1)
    with pytest.raises(ValueError, match="pieces_per_shift"):
        takt_from_output(0)


def test_checker_flags_wrong_machine_and_missing_share() -> None:
    b = default_bulletin("fitted_sheet")
    good = balance_line(b, takt_s=60, time_limit_s=1)
    first = good.operators[0]
    wrong = OperatorLoad(first.operator_no, "iron" if first.machine_type.value != "iron" else "manual",
                         first.skill_grade, first.operations, first.load_s)
    bad = LineBalance(good.product_id, good.takt_s, (wrong,) + good.operators[1:], good.cycle_time_s,
                      good.total_smv_s, False, 0)
    assert any("workstation has" in e for e in check_balance(bad, b))
    dropped = LineBalance(good.product_id, good.takt_s, good.operators[1:], good.cycle_time_s, good.total_smv_s,
                          False, 0)
    assert any("shares sum to" in e for e in check_balance(dropped, b))
    over = OperatorLoad(99, "manual", 1, (OperationShare("T05", 1.0, 36.0), OperationShare("T06", 1.0, 48.0)), 84.0)
    assert any("above takt" in e for e in check_balance(
        LineBalance(good.product_id, 60, (over,), 84, good.total_smv_s, False, 0), b))


def test_bulletin_as_salbp_instance() -> None:
    b = default_bulletin("shirt")
    inst = bulletin_to_salbp(b)
    assert inst.n_tasks == len(b.operations)
    r = solve_salbp1(inst, 90, 1.0)
    assert check_balance(r, inst) == []
