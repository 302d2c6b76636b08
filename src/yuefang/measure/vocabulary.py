"""The body vocabulary: ISO 8559-1 names, Chinese names, ANSUR II sources and plausible ranges.

Every body measurement crossing a boundary of yuefang (CSV, JSON, API) carries the snake_case
ISO 8559-1 name listed here and is in millimetres, with no unit suffix. Other quantities carry
their unit (``weight_kg``, ``age_years``); ``sex`` is ``"female"`` or ``"male"``.

ISO 8559-1:2017 clause numbers marked ``(check)`` come from secondary sources and should be
confirmed against the standard's text.

Examples
--------
>>> MEASUREMENTS["waist_girth"].name_zh
'腰围'
>>> MEASUREMENTS["chest_girth"].sexes
frozenset({'male'})
>>> "stature" in measurement_names("female")
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SEXES",
    "Measurement",
    "MEASUREMENTS",
    "LEARNT",
    "DERIVED",
    "measurement_names",
    "normalise_sex",
]

SEXES: tuple[str, ...] = ("female", "male")
_BOTH = frozenset(SEXES)


@dataclass(frozen=True)
class Measurement:
    """One body measurement of the vocabulary.

    Attributes
    ----------
    name : str
        ISO 8559-1 name in snake_case (the key everywhere in yuefang).
    name_zh : str
        Chinese name (as used in GB/T 1335 and the trade).
    iso_clause : str
        ISO 8559-1:2017 clause ("(check)" where taken from secondary sources).
    ansur : str
        The ANSUR II column (or expression) it is learnt from, or the rule it is derived by.
    definition : str
        What is measured, in the data's definition where that differs from ISO.
    kind : str
        ``"girth"``, ``"length"``, ``"height"`` or ``"breadth"``.
    sexes : frozenset of str
        Sexes for which the measurement is part of a completed body.
    range_mm : tuple of float
        Plausible adult range in mm (validation).
    ratio : tuple of float
        Plausible range of the ratio value / stature (validation against the other values).
    """

    name: str
    name_zh: str
    iso_clause: str
    ansur: str
    definition: str
    kind: str
    sexes: frozenset[str]
    range_mm: tuple[float, float]
    ratio: tuple[float, float]
    derived: bool = False


def _m(name, zh, clause, ansur, definition, kind, rng, ratio, sexes=_BOTH, derived=False) -> Measurement:
    return Measurement(name, zh, clause, ansur, definition, kind, frozenset(sexes), rng, ratio, derived)


_LIST: list[Measurement] = [
    _m("stature", "身高", "5.1.1", "stature",
       "Vertical distance from the floor to the top of the head (vertex), standing, feet together.",
       "height", (1200.0, 2250.0), (1.0, 1.0)),
    _m("neck_base_girth", "颈根围", "5.3.3", "neckcircumferencebase",
       "Girth of the neck at its base, over the cervicale, the sides of the neck base and the jugular notch.",
       "girth", (280.0, 650.0), (0.17, 0.36)),
    _m("neck_girth", "颈围", "5.3.2 (check)", "neckcircumference",
       "Girth of the neck just below the Adam's apple, perpendicular to the neck axis.",
       "girth", (240.0, 600.0), (0.15, 0.33)),
    _m("chest_girth", "胸围", "5.3.4", "chestcircumference",
       "Men: horizontal girth of the chest at the level of the nipples, breathing normally.",
       "girth", (650.0, 1700.0), (0.38, 0.95), sexes={"male"}),
    _m("bust_girth", "胸围", "5.3.4 (check: bust girth)", "chestcircumference",
       "Women: horizontal girth over the bust points (ANSUR II 'chest circumference' of women is taken at the bust points).",
       "girth", (600.0, 1700.0), (0.38, 0.98), sexes={"female"}),
    _m("underbust_girth", "下胸围", "5.3.6",
       "derived: 0.87 × bust_girth (no ANSUR II column)",
       "Women: horizontal girth just below the breasts. ANSUR II lacks it: derived as 0.87 × bust girth "
       "(a bust–underbust difference of about 13% of the bust, B cup at the middle body), with a rule "
       "uncertainty of 3.5% added, so its interval is wider.",
       "girth", (550.0, 1500.0), (0.33, 0.88), sexes={"female"}, derived=True),
    _m("waist_girth", "腰围", "5.3.10 (ANSUR: at the navel)", "waistcircumference",
       "Horizontal girth of the trunk at the level of the navel (omphalion), as ANSUR II measures it; ISO and "
       "GB/T 1335 take the natural waist, which for women is usually a few cm smaller.",
       "girth", (500.0, 1800.0), (0.30, 1.0)),
    _m("hip_girth", "臀围", "5.3.13", "buttockcircumference",
       "Horizontal girth of the hips at the level of the greatest buttock protrusion.",
       "girth", (650.0, 1800.0), (0.40, 1.0)),
    _m("shoulder_width", "总肩宽", "5.4.2 (ANSUR: biacromial breadth)", "biacromialbreadth",
       "Straight distance between the two acromion points (ANSUR II biacromial breadth, bone width); the "
       "surface measure over the back used by GB/T 1335 (总肩宽) is some 3–4 cm larger.",
       "breadth", (260.0, 560.0), (0.16, 0.31)),
    _m("across_back_width", "背宽", "5.4.3 (check)", "interscyei",
       "Surface distance across the back between the posterior armpit (scye) points (ANSUR II interscye I).",
       "breadth", (250.0, 650.0), (0.15, 0.36)),
    _m("shoulder_length", "肩长", "5.4.1 (check)", "shoulderlength",
       "Surface distance from the side of the neck base to the acromion.",
       "length", (90.0, 220.0), (0.05, 0.12)),
    _m("arm_length", "臂长", "5.7.8", "sleeveoutseam",
       "From the acromion along the outside of the slightly bent arm over the elbow to the wrist "
       "(ANSUR II sleeve outseam).",
       "length", (400.0, 800.0), (0.26, 0.42)),
    _m("upper_arm_girth", "上臂围", "5.3.16 (ANSUR: flexed)", "bicepscircumferenceflexed",
       "Girth of the upper arm over the biceps, arm flexed and biceps tensed as ANSUR II measures it; "
       "a relaxed upper arm is some 1–3 cm smaller.",
       "girth", (200.0, 550.0), (0.11, 0.30)),
    _m("wrist_girth", "腕围", "5.3.19", "wristcircumference",
       "Girth of the wrist over the styloid processes.",
       "girth", (120.0, 240.0), (0.07, 0.13)),
    _m("back_waist_length", "背长", "5.4.5", "waistbacklength",
       "Surface distance down the spine from the cervicale to the waist (ANSUR II waist back length).",
       "length", (300.0, 620.0), (0.19, 0.33)),
    _m("front_waist_length", "前腰节长", "5.4.9 (check)", "waistfrontlengthsitting",
       "Surface distance from the jugular notch (suprasternale) down the front to the waist; ANSUR II "
       "measures it sitting.",
       "length", (240.0, 520.0), (0.15, 0.30)),
    _m("waist_to_hip_length", "腰臀长", "5.4.13 (check)", "waistheightomphalion − buttockheight",
       "Vertical distance from the waist (navel level) down to the level of the hip girth, from two ANSUR II "
       "heights (waist height at the navel minus buttock height).",
       "length", (30.0, 350.0), (0.015, 0.20)),
    _m("inside_leg_length", "下裆长", "5.1.15", "crotchheight",
       "Vertical distance from the crotch to the floor (ANSUR II crotch height).",
       "length", (550.0, 1050.0), (0.38, 0.56)),
    _m("outside_leg_length", "裤长 (腰围高)", "5.1.14 (check)", "waistheightomphalion",
       "Vertical distance from the waist at the navel level to the floor (ANSUR II waist height, omphalion).",
       "length", (750.0, 1350.0), (0.52, 0.68)),
    _m("thigh_girth", "大腿围", "5.3.20", "thighcircumference",
       "Horizontal girth of the thigh just below the gluteal fold.",
       "girth", (350.0, 950.0), (0.20, 0.55)),
    _m("knee_girth", "膝围", "5.3.22 (ANSUR: lower thigh)", "lowerthighcircumference",
       "Girth of the leg just above the knee cap (ANSUR II lower thigh circumference); ANSUR II has no girth "
       "over the knee itself, and this one is a little larger.",
       "girth", (250.0, 650.0), (0.15, 0.38)),
    _m("calf_girth", "小腿围", "5.3.24 (check)", "calfcircumference",
       "Maximum horizontal girth of the calf.",
       "girth", (230.0, 600.0), (0.14, 0.33)),
    _m("ankle_girth", "踝围", "5.3.26 (check)", "anklecircumference",
       "Minimum girth of the leg just above the ankle bones.",
       "girth", (140.0, 330.0), (0.08, 0.19)),
    _m("crotch_length", "裆长 (前后裆)", "5.4.18 (check)", "crotchlengthomphalion",
       "Surface distance from the waist at the navel in front, down through the crotch and up to the same "
       "level at the back (ANSUR II crotch length, omphalion).",
       "length", (400.0, 950.0), (0.26, 0.52)),
    _m("head_girth", "头围", "5.3.1 (check)", "headcircumference",
       "Maximum girth of the head above the brow ridges.",
       "girth", (480.0, 660.0), (0.26, 0.42)),
    _m("cervical_height", "颈椎点高", "5.1.2 (check)", "cervicaleheight",
       "Vertical distance from the floor to the cervicale (7th cervical vertebra), a GB/T 1335 control part.",
       "height", (1000.0, 1950.0), (0.80, 0.90)),
]

MEASUREMENTS: dict[str, Measurement] = {m.name: m for m in _LIST}
"""Ordered vocabulary: name -> :class:`Measurement`."""

LEARNT: tuple[str, ...] = tuple(m.name for m in _LIST if not m.derived and m.name != "stature")
"""Measurements learnt from data (stature is an input, not learnt)."""

DERIVED: dict[str, tuple[str, float, float]] = {
    # name: (source measurement, factor, rule standard deviation on the log scale)
    "underbust_girth": ("bust_girth", 0.87, 0.035),
}
"""Rules for measurements the data lack: ``log(name) = log(factor) + log(source) + N(0, sd²)``."""


def normalise_sex(sex: object) -> str:
    """``"female"`` or ``"male"`` from common spellings; raise ValueError naming the allowed values.

    >>> normalise_sex("F"), normalise_sex("Male"), normalise_sex("女")
    ('female', 'male', 'female')
    """
    if sex == "female" or sex == "male":
        return sex
    s = str(sex).strip().lower()
    if s not in _SEX_TABLE:
        raise ValueError(f"sex: {sex!r} is not allowed; allowed: 'female' or 'male'")
    return _SEX_TABLE[s]


_SEX_TABLE = {"f": "female", "female": "female", "woman": "female", "w": "female", "女": "female",
              "m": "male", "male": "male", "man": "male", "男": "male"}


def measurement_names(sex: str) -> tuple[str, ...]:
    """Names of the measurements of a completed body of ``sex``, in vocabulary order."""
    return _NAMES[normalise_sex(sex)]


_NAMES = {sex: tuple(m.name for m in _LIST if sex in m.sexes) for sex in SEXES}
