"""Fixture bodies for the garment tests.

Until the ``measure`` package gives bodies for a GB/T 1335 designation, these bodies are built by
proportion from a middle body (men 170/88A, women 160/84A; figures in the range of GB/T 1335 and
ANSUR II means). When ``yuefang.measure.body_for_designation`` exists, ``gbt_bodies`` uses it.
"""

from __future__ import annotations

import importlib

import pytest

MALE_MIDDLE = dict(
    stature=1700.0, neck_base_girth=410.0, chest_girth=880.0, waist_girth=740.0, hip_girth=900.0,
    shoulder_width=395.0, across_back_width=375.0, arm_length=570.0, upper_arm_girth=290.0, wrist_girth=165.0,
    back_waist_length=425.0, front_waist_length=430.0, waist_to_hip_length=190.0, inside_leg_length=780.0,
    outside_leg_length=1040.0, thigh_girth=540.0, knee_girth=375.0, ankle_girth=235.0, crotch_length=700.0,
    head_girth=570.0,
)
FEMALE_MIDDLE = dict(
    stature=1600.0, neck_base_girth=360.0, bust_girth=840.0, underbust_girth=720.0, waist_girth=680.0,
    hip_girth=900.0, shoulder_width=355.0, across_back_width=340.0, arm_length=520.0, upper_arm_girth=270.0,
    wrist_girth=150.0, back_waist_length=380.0, front_waist_length=400.0, waist_to_hip_length=180.0,
    inside_leg_length=720.0, outside_leg_length=980.0, thigh_girth=540.0, knee_girth=350.0, ankle_girth=215.0,
    crotch_length=680.0, head_girth=550.0,
)
LENGTHS = {"stature", "arm_length", "back_waist_length", "front_waist_length", "waist_to_hip_length",
           "inside_leg_length", "outside_leg_length", "crotch_length"}
GIRTH_BY_CHEST = {"neck_base_girth", "shoulder_width", "across_back_width", "upper_arm_girth", "wrist_girth",
                  "underbust_girth"}
GIRTH_BY_HIP = {"thigh_girth", "knee_girth", "ankle_girth"}


def proportional_body(sex: str, stature: float, chest: float, waist: float) -> dict[str, float | str]:
    """A body for a designation (stature, chest/bust, waist in mm) by proportion from the middle body."""
    mid = MALE_MIDDLE if sex == "male" else FEMALE_MIDDLE
    cname = "chest_girth" if sex == "male" else "bust_girth"
    rs, rc = stature / mid["stature"], chest / mid[cname]
    hip = mid["hip_girth"] * (0.5 * rc + 0.5 * waist / mid["waist_girth"]) if sex == "male" else mid["hip_girth"] * rc
    rh = hip / mid["hip_girth"]
    body: dict[str, float | str] = {"sex": sex}
    for k, v in mid.items():
        if k in LENGTHS:
            body[k] = v * rs
        elif k in GIRTH_BY_CHEST:
            body[k] = v * (0.5 + 0.5 * rc)
        elif k in GIRTH_BY_HIP:
            body[k] = v * rh
        else:
            body[k] = v
    body.update({cname: chest, "waist_girth": waist, "hip_girth": hip})
    return body


def scaled(body: dict[str, float | str], factor: float) -> dict[str, float | str]:
    """FreeSewing's doll (1/10) and giant (3x) bodies: every measurement times ``factor``."""
    return {k: (v * factor if isinstance(v, float) else v) for k, v in body.items()}


def fixture_size_range(sex: str) -> list[tuple[str, dict[str, float | str]]]:
    """Designations of a GB/T 1335 5.4 A range and their bodies (fixture bodies)."""
    out = []
    if sex == "male":
        for st, ch in zip(range(1550, 1901, 50), range(760, 1061, 40), strict=False):
            out.append((f"{st // 10}/{ch // 10}A", proportional_body("male", st, ch, ch - 140)))
    else:
        for st, bu in zip(range(1450, 1801, 50), range(720, 1001, 40), strict=False):
            out.append((f"{st // 10}/{bu // 10}A", proportional_body("female", st, bu, bu - 160)))
    return out


def gbt_bodies(sex: str, part: str = "top") -> list[tuple[str, dict[str, float | str]]]:
    """Bodies for every size of a GB/T 1335 5.4 A range (tops by chest, bottoms by waist): from
    ``yuefang.measure`` when it has them, else the fixture bodies."""
    try:
        measure = importlib.import_module("yuefang.measure")
        size_range = measure.size_range
        body_for = measure.body_for_designation
    except (ImportError, AttributeError):
        return fixture_size_range(sex)
    out = []
    for d in size_range(sex, part=part):
        label = d if isinstance(d, str) else str(getattr(d, "label", d))
        b = dict(body_for(label, sex, part))
        b.setdefault("sex", sex)
        out.append((label, b))
    return out


@pytest.fixture
def male_body() -> dict[str, float | str]:
    return {"sex": "male", **MALE_MIDDLE}


@pytest.fixture
def female_body() -> dict[str, float | str]:
    return {"sex": "female", **FEMALE_MIDDLE}
