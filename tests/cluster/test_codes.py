"""Tests of yuefang.cluster.codes: GB 32100-2015 codes, cities, industry classes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuefang.cluster.codes import (
    CITIES,
    USCC_CHARSET,
    UsccIssue,
    check_industry_class,
    check_uscc,
    city_name,
    city_of_division,
    complete_uscc,
    org_code_check_char,
    uscc_check_char,
)


def test_published_example_code_is_valid():
    # the example code printed in GB 32100-2015 materials
    res = check_uscc("91350100M000100Y43", check_org_code=True)
    assert res.valid and res.division == "350100"


def test_weights_follow_the_standard():
    from yuefang.cluster.codes import USCC_WEIGHTS

    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_charset_excludes_ambiguous_letters():
    assert len(USCC_CHARSET) == 31
    assert not set("IOSVZ") & set(USCC_CHARSET)


_head = st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2)
_division = st.text(alphabet="0123456789", min_size=6, max_size=6)
_org = st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9)


@given(_head, _division, _org, st.integers(0, 16), st.integers(1, 30))
def test_any_single_character_change_is_caught(head, division, org, pos, delta):
    code = complete_uscc(head + division + org)
    assert check_uscc(code).valid
    i = USCC_CHARSET.index(code[pos])
    changed = code[:pos] + USCC_CHARSET[(i + delta) % 31] + code[pos + 1 :]
    res = check_uscc(changed)
    assert any(e[0] is UsccIssue.CHECK_CHAR for e in res.errors)


def test_errors_name_field_value_and_allowed():
    short = check_uscc("9144")
    assert short.errors[0][0] is UsccIssue.LENGTH and "'9144'" in short.errors[0][1] and "18" in short.errors[0][1]
    bad = check_uscc("91440101MA5ZZZZZ0O")
    assert bad.errors[0][0] is UsccIssue.CHARSET and "allowed" in bad.errors[0][1]
    wrong = "91350100M000100Y44"
    res = check_uscc(wrong)
    assert res.errors[0][0] is UsccIssue.CHECK_CHAR and "expected '3'" in res.errors[0][1]


def test_lower_case_and_spaces_accepted():
    assert check_uscc("  91350100m000100y43 ").valid


def test_division_of_other_city_is_a_warning_not_an_error():
    code = complete_uscc("91440300MA5D0000X")  # registered in Shenzhen
    res = check_uscc(code, city_code="4401")
    assert res.valid
    assert [w[0] for w in res.warnings] == [UsccIssue.CITY_MISMATCH]
    assert "Shenzhen" in res.warnings[0][1]
    assert check_uscc(code, city_code="440300").warnings == ()


def test_province_registration_never_warns():
    code = complete_uscc("91440000MA5D0000X")
    for city in CITIES:
        assert check_uscc(code, city_code=city).warnings == ()


def test_org_code_check():
    assert org_code_check_char("M000100Y") == "4"
    bad = complete_uscc("91350100M000100Y5")
    res = check_uscc(bad, check_org_code=True)
    assert [e[0] for e in res.errors] == [UsccIssue.ORG_CHECK_CHAR]
    assert check_uscc(bad).valid  # off by default


def test_check_char_rejects_bad_input():
    with pytest.raises(ValueError, match="17 characters"):
        uscc_check_char("123")


def test_twenty_one_cities_with_their_codes():
    assert len(CITIES) == 21
    assert CITIES["4401"].name_en == "Guangzhou" and CITIES["4453"].name_zh == "云浮"
    assert not CITIES["4419"].has_counties and not CITIES["4420"].has_counties
    assert city_of_division("441900") == "4419"
    assert city_of_division("440000") is None
    assert city_name("440300", "en") == "Shenzhen"
    with pytest.raises(ValueError, match="4410"):
        city_name("4410")


def test_industry_class_format():
    assert check_industry_class(1811) == "1811"
    with pytest.raises(ValueError, match="4-digit"):
        check_industry_class("18")
    with pytest.raises(ValueError, match="outside"):
        check_industry_class("9911")
