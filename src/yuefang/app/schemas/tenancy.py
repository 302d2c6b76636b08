"""Schemas for enterprises, users and login."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from yuefang.app.models import Role
from yuefang.app.models.tenancy import DEFAULT_TIME_ZONE
from yuefang.app.schemas.common import ShortText, StrictModel
from yuefang.cluster.codes import USCC_CHARSET, check_uscc

__all__ = [
    "GUANGDONG_CITIES",
    "EnterpriseCreate",
    "EnterpriseUpdate",
    "EnterprisePublic",
    "EnterpriseList",
    "UserCreate",
    "UserPublic",
    "UserList",
    "LoginRequest",
    "TokenPublic",
]

# GB/T 2260 codes of Guangdong's prefecture-level cities.
GUANGDONG_CITIES: dict[str, str] = {
    "440100": "广州 Guangzhou", "440200": "韶关 Shaoguan", "440300": "深圳 Shenzhen", "440400": "珠海 Zhuhai",
    "440500": "汕头 Shantou", "440600": "佛山 Foshan", "440700": "江门 Jiangmen", "440800": "湛江 Zhanjiang",
    "440900": "茂名 Maoming", "441200": "肇庆 Zhaoqing", "441300": "惠州 Huizhou", "441400": "梅州 Meizhou",
    "441500": "汕尾 Shanwei", "441600": "河源 Heyuan", "441700": "阳江 Yangjiang", "441800": "清远 Qingyuan",
    "441900": "东莞 Dongguan", "442000": "中山 Zhongshan", "445100": "潮州 Chaozhou", "445200": "揭阳 Jieyang",
    "445300": "云浮 Yunfu",
}  # fmt: skip

def uscc_is_valid(code: str) -> bool:
    """True when ``code`` is an 18-character unified social credit code with a correct check (GB 32100).

    The check itself is the cluster package's (:func:`yuefang.cluster.codes.check_uscc`).

    >>> uscc_is_valid("91440101MA59XXXX0X")
    False
    >>> uscc_is_valid("91350100M000100Y43")
    True
    """
    return len(code) == 18 and code == code.strip().upper() and check_uscc(code).valid


def _check_uscc(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    if not uscc_is_valid(value):
        raise ValueError(
            "uscc: not a valid unified social credit code; allowed: 18 characters of "
            f"{USCC_CHARSET} with a correct check character (GB 32100-2015)"
        )
    return value


def _check_city(value: str) -> str:
    if value not in GUANGDONG_CITIES:
        raise ValueError(f"city_code: {value!r} is not a Guangdong city; allowed: {', '.join(GUANGDONG_CITIES)}")
    return value


def _check_time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"time_zone: {value!r} is not a time zone; allowed: an IANA name such as "
                         f"{DEFAULT_TIME_ZONE}") from None  # fmt: skip
    return value


Uscc = Annotated[str | None, AfterValidator(_check_uscc)]
TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_check_time_zone)]
CityCode = Annotated[str, AfterValidator(_check_city)]


class EnterpriseCreate(StrictModel):
    name: ShortText = Field(min_length=1)
    uscc: Uscc = None
    city_code: CityCode
    county: ShortText | None = None
    industry_code: str | None = Field(default=None, pattern=r"^[0-9]{2,4}$")
    above_designated_size: bool = False
    key_tier: ShortText | None = None
    time_zone: TimeZone = Field(default=DEFAULT_TIME_ZONE, description="IANA time zone its plans run in")


class EnterpriseUpdate(StrictModel):
    name: ShortText | None = Field(default=None, min_length=1)
    uscc: Uscc = None
    city_code: CityCode | None = None
    county: ShortText | None = None
    industry_code: str | None = Field(default=None, pattern=r"^[0-9]{2,4}$")
    above_designated_size: bool | None = None
    key_tier: ShortText | None = None
    time_zone: TimeZone | None = None

    @field_validator("time_zone")
    @classmethod
    def _time_zone_not_null(cls, value: str | None) -> str | None:
        if value is None:
            raise ValueError(f"time_zone: None is not allowed; allowed: an IANA name such as {DEFAULT_TIME_ZONE}")
        return value


class EnterprisePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    uscc: str | None
    city_code: str
    county: str | None
    industry_code: str | None
    above_designated_size: bool
    key_tier: str | None
    time_zone: str
    created_at: dt.datetime


class EnterpriseList(BaseModel):
    data: list[EnterprisePublic]
    count: int


_EMAIL = re.compile(r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")


def _check_email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError(f"email: {value!r} is not an e-mail address; allowed: name@domain.tld")
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_check_email)]


class UserCreate(StrictModel):
    email: Email
    password: str = Field(min_length=8, max_length=200)
    role: Role
    display_name: ShortText = ""
    enterprise_id: int | None = Field(default=None, ge=1, le=2_147_483_647)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    role: str
    enterprise_id: int | None
    active: bool


class UserList(BaseModel):
    data: list[UserPublic]
    count: int


class LoginRequest(StrictModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    user: UserPublic
