"""Codes the cluster office meets: the unified social credit code, Guangdong's cities, industry classes.

Sources
-------
* GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: character set, weights, check character.
* GB 11714-1997 《全国组织机构代码编制规则》: the check character of positions 9–17.
* GB/T 2260 administrative division codes: Guangdong's 21 prefecture-level cities.
* GB/T 4754-2017 《国民经济行业分类》: 4-digit small classes (format only here; the cluster's
  list of classes is in :mod:`yuefang.cluster.scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "ORG_CODE_WEIGHTS",
    "PROVINCE_DIVISION",
    "CITIES",
    "City",
    "UsccIssue",
    "UsccCheck",
    "uscc_check_char",
    "org_code_check_char",
    "check_uscc",
    "complete_uscc",
    "city_of_division",
    "city_name",
    "check_industry_class",
    "GUANGZHOU",
    "SHENZHEN",
]

#: GB 32100-2015 character set; a character's value is its index (no I, O, S, V, Z).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weights of positions 1–17: 3**(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: GB 11714 weights of the organisation code's first eight characters.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: The province's own division code: a registering authority at province level.
PROVINCE_DIVISION = "440000"


@dataclass(frozen=True)
class City:
    """A prefecture-level city of Guangdong: 4-digit division prefix, English and Chinese names."""

    code: str
    name_en: str
    name_zh: str
    has_counties: bool = True


#: Guangdong's 21 prefecture-level cities by the first four digits of their GB/T 2260 code.
CITIES: dict[str, City] = {
    c.code: c
    for c in (
        City("4401", "Guangzhou", "广州"),
        City("4402", "Shaoguan", "韶关"),
        City("4403", "Shenzhen", "深圳"),
        City("4404", "Zhuhai", "珠海"),
        City("4405", "Shantou", "汕头"),
        City("4406", "Foshan", "佛山"),
        City("4407", "Jiangmen", "江门"),
        City("4408", "Zhanjiang", "湛江"),
        City("4409", "Maoming", "茂名"),
        City("4412", "Zhaoqing", "肇庆"),
        City("4413", "Huizhou", "惠州"),
        City("4414", "Meizhou", "梅州"),
        City("4415", "Shanwei", "汕尾"),
        City("4416", "Heyuan", "河源"),
        City("4417", "Yangjiang", "阳江"),
        City("4418", "Qingyuan", "清远"),
        City("4419", "Dongguan", "东莞", has_counties=False),
        City("4420", "Zhongshan", "中山", has_counties=False),
        City("4451", "Chaozhou", "潮州"),
        City("4452", "Jieyang", "揭阳"),
        City("4453", "Yunfu", "云浮"),
    )
}
GUANGZHOU = "4401"
SHENZHEN = "4403"


class UsccIssue(StrEnum):
    """Why a unified social credit code is rejected (errors) or questioned (warnings)."""

    LENGTH = "length"
    CHARSET = "charset"
    CHECK_CHAR = "check_char"
    ORG_CHECK_CHAR = "org_check_char"
    DIVISION = "division"
    CITY_MISMATCH = "city_mismatch"


@dataclass(frozen=True)
class UsccCheck:
    """Result of :func:`check_uscc`.

    Attributes
    ----------
    code : str
        The code as checked (stripped, upper-cased).
    errors : tuple of (UsccIssue, str)
        Reasons to reject the code; empty when valid.
    warnings : tuple of (UsccIssue, str)
        Reasons to look again without rejecting (e.g. division code of another city).
    division : str
        Characters 3–8, the registering authority's division code.
    """

    code: str
    errors: tuple[tuple[UsccIssue, str], ...] = ()
    warnings: tuple[tuple[UsccIssue, str], ...] = field(default_factory=tuple)
    division: str = ""

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


def uscc_check_char(first17: str) -> str:
    """Check character (position 18) of a unified social credit code.

    Parameters
    ----------
    first17 : str
        The first 17 characters, from :data:`USCC_CHARSET`.

    Examples
    --------
    >>> uscc_check_char("91350100M000100Y4")
    '3'
    """
    if len(first17) != 17 or any(ch not in USCC_CHARSET for ch in first17):
        raise ValueError(f"first17={first17!r}: need 17 characters from {USCC_CHARSET}")
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    return ord(ch) - ord("A") + 10


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of an organisation code (USCC positions 9–17).

    Examples
    --------
    >>> org_code_check_char("M000100Y")
    '4'
    """
    if len(first8) != 8 or not all(ch.isdigit() or "A" <= ch <= "Z" for ch in first8):
        raise ValueError(f"first8={first8!r}: need 8 characters 0-9 or A-Z")
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def city_of_division(division: str) -> str | None:
    """The 4-digit city prefix of a 6-digit Guangdong division code, or None.

    None for the province itself (``440000``) and for codes outside Guangdong or unknown.

    >>> city_of_division("440106"), city_of_division("440000"), city_of_division("110000")
    ('4401', None, None)
    """
    prefix = division[:4]
    return prefix if prefix in CITIES else None


def city_name(code: str, lang: str = "zh") -> str:
    """Name of a city by its 4- or 6-digit code (``4401`` or ``440100``)."""
    city = CITIES.get(code[:4])
    if city is None:
        raise ValueError(f"city_code={code!r}: not one of Guangdong's 21 cities ({', '.join(CITIES)})")
    return city.name_zh if lang == "zh" else city.name_en


def check_uscc(code: str, *, city_code: str | None = None, check_org_code: bool = False) -> UsccCheck:
    """Validate a unified social credit code (GB 32100-2015).

    Parameters
    ----------
    code : str
        The code; surrounding spaces are ignored and lower case is accepted.
    city_code : str, optional
        The enterprise's city (4 or 6 digits); a division code of another Guangdong city gives a
        warning, not an error (the province, ``440000``, registers enterprises of every city).
    check_org_code : bool
        Also check the GB 11714 check character of positions 9–17. Off by default: codes issued
        to bodies without an earlier organisation code do not always satisfy it.

    Examples
    --------
    >>> check_uscc("91350100M000100Y43").valid
    True
    >>> check_uscc("91350100M000100Y44").errors[0][0].value
    'check_char'
    >>> [w[0].value for w in check_uscc("91440300MA5D0000XU", city_code="4401").warnings]
    ['city_mismatch']
    """
    raw = code
    code = code.strip().upper()
    errors: list[tuple[UsccIssue, str]] = []
    warnings: list[tuple[UsccIssue, str]] = []
    if len(code) != 18:
        errors.append((UsccIssue.LENGTH, f"uscc={raw!r}: has {len(code)} characters, needs 18"))
        return UsccCheck(code, tuple(errors), (), "")
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if bad:
        errors.append(
            (UsccIssue.CHARSET, f"uscc={raw!r}: characters {''.join(bad)!r} not allowed; allowed: {USCC_CHARSET}")
        )
        return UsccCheck(code, tuple(errors), (), code[2:8])
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        errors.append((UsccIssue.CHECK_CHAR, f"uscc={raw!r}: check character is {code[17]!r}, expected {expected!r}"))
    division = code[2:8]
    if not division.isdigit():
        errors.append((UsccIssue.DIVISION, f"uscc={raw!r}: characters 3-8 {division!r} must be a 6-digit division code"))
    if check_org_code:
        org = code[8:17]
        try:
            org_expected = org_code_check_char(org[:8])
        except ValueError:
            org_expected = "?"
        if org[8] != org_expected:
            errors.append(
                (UsccIssue.ORG_CHECK_CHAR, f"uscc={raw!r}: organisation code check is {org[8]!r}, expected {org_expected!r}")
            )
    if city_code and division.isdigit() and division != PROVINCE_DIVISION:
        registered = city_of_division(division)
        if registered != city_code[:4]:
            where = CITIES[registered].name_en if registered else f"outside Guangdong's cities ({division})"
            warnings.append(
                (
                    UsccIssue.CITY_MISMATCH,
                    f"uscc={raw!r}: registered in {where}, enterprise's city is {city_code}",
                )
            )
    return UsccCheck(code, tuple(errors), tuple(warnings), division)


def complete_uscc(first17: str) -> str:
    """The full 18-character code: ``first17`` plus its check character.

    >>> complete_uscc("91440101MA59XXXX0")[-1] in USCC_CHARSET
    True
    """
    first17 = first17.upper()
    return first17 + uscc_check_char(first17)


def check_industry_class(code: str) -> str:
    """Return a GB/T 4754-2017 small class as 4 digits, or raise ValueError naming what is allowed.

    >>> check_industry_class(" 1811 ")
    '1811'
    """
    c = str(code).strip()
    if len(c) != 4 or not c.isdigit():
        raise ValueError(f"industry_code={code!r}: needs a 4-digit GB/T 4754-2017 small class, e.g. 1811")
    if not ("01" <= c[:2] <= "97"):
        raise ValueError(f"industry_code={code!r}: major class {c[:2]} is outside GB/T 4754-2017 (01-97)")
    return c
