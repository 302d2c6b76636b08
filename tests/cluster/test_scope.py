"""Tests of yuefang.cluster.scope: plan scope and targets as data."""

from __future__ import annotations

import pytest

from yuefang.cluster.model import Enterprise, Indicator
from yuefang.cluster.scope import Scope, get_plan, load_industry_classes, load_plans, plan_from_dict


def test_shipped_class_list_has_the_provinces_counts_and_says_it_is_unconfirmed():
    classes = load_industry_classes()
    assert len(classes) == 174
    assert len({c.middle for c in classes}) == 57
    assert len({c.major for c in classes}) == 17
    assert all(not c.confirmed for c in classes)
    majors = {c.major for c in classes}
    assert {"17", "18", "19", "21", "22", "24", "28"} <= majors
    assert {c.code for c in classes if c.middle == "245"} >= {"2451", "2452", "2459"}  # toys


def test_membership_is_by_small_class_not_by_major_class():
    plan = get_plan("gd-light-textile-2023-2025")
    def ent(code: str) -> Enterprise:
        return Enterprise("x", "x", "4401", industry_code=code, above_designated_size=True)

    assert plan.scope.counts(ent("1811"))
    assert plan.scope.counts(ent("2682"))  # cosmetics: 268 is in
    assert not plan.scope.counts(ent("2611"))  # other classes of major class 26 are not
    assert not plan.scope.counts(ent("3311"))  # nor of 33
    below = Enterprise("x", "x", "4401", industry_code="1811", above_designated_size=False)
    assert not plan.scope.counts(below)


def test_shipped_plan_targets():
    plan = load_plans()["gd-light-textile-2023-2025"]
    assert (plan.start_year, plan.end_year) == (2023, 2025)
    va = plan.target(Indicator.INDUSTRIAL_ADDED_VALUE_YUAN)
    inc = plan.target("main_business_income_yuan")
    assert (va.year, va.min_value) == (2025, 720e9)
    assert (inc.year, inc.min_value) == (2025, 3e12)
    assert plan.target(Indicator.EMPLOYEES) is None
    assert plan.core_cities == ("4401", "4403")


def test_unknown_plan_lists_allowed():
    with pytest.raises(ValueError, match="gd-light-textile-2023-2025"):
        get_plan("nope")


def test_plan_with_city_scope_from_dict():
    plan = plan_from_dict(
        {"id": "p", "name": "p", "start_year": 2024, "end_year": 2026,
         "targets": [{"indicator": "main_business_income_yuan", "year": 2026, "min_value": 1e9}],
         "scope": {"industry_classes": ["1811", "1819"], "city_codes": ["4405"], "above_designated_size_only": False}}
    )
    assert plan.scope.summary() == {"small_classes": 2, "middle_classes": 1, "major_classes": 1}
    assert plan.scope.counts(Enterprise("x", "x", "4405", industry_code="1811"))
    assert not plan.scope.counts(Enterprise("x", "x", "4401", industry_code="1811"))


def test_scope_rejects_bad_codes():
    with pytest.raises(ValueError, match="city_code='9999'"):
        Scope(frozenset({"1811"}), frozenset({"9999"}))
    with pytest.raises(ValueError, match="4-digit"):
        Scope(frozenset({"18"}))
