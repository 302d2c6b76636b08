"""GB/T 1335 (服装号型) size designation: 号/型 and body type, and a body for a designation.

A label ``号/型体型`` gives stature in cm (号), then chest (bust) girth in cm for tops or waist girth
for bottoms (型), then the body type (Y, A, B, C) from the chest–waist drop (胸腰差). Steps: 号 by
5 cm; chest 型 by 4 cm; waist 型 by 4 cm (5·4 series) or 2 cm (5·2 series). A label covers the
values nearest to it: ``170`` covers statures 168–172 cm, chest ``88`` covers 86–89 cm (the
standard's own wording: 170/88A suits statures 168–172 cm, chest 86–89 cm and a drop of 12–16 cm).

Body types by drop in cm (GB/T 1335.1/.2-2008; **check** against the official text): men Y 17–22,
A 12–16, B 7–11, C 2–6; women Y 19–24, A 14–18, B 9–13, C 4–8.

Rule for drops between two ranges (the ranges are whole centimetres): the drop goes to the type of
the nearest whole centimetre; a drop exactly half-way (e.g. 16.5 cm for men) goes to the fuller
type (the smaller drop: A rather than Y), whose bottoms are roomier at the waist. Drops beyond
Y go to Y and drops below C go to C, with a note that the body is outside the standard's types.

yuefang's ``waist_girth`` is taken at the navel (the ANSUR II definition); GB/T 1335 takes the
natural waist, which for women is a few cm smaller, so women's types come out a little fuller.

Examples
--------
>>> d = designate({"stature": 1700, "chest_girth": 880, "waist_girth": 740}, "male")
>>> d.top, d.bottom, d.body_type
('170/88A', '170/74A', 'A')
>>> designate({"stature": 1680, "chest_girth": 860, "waist_girth": 740}, "male").top
'170/88A'
>>> designate({"stature": 1600, "bust_girth": 840, "waist_girth": 680}, "female", series="5.2").bottom
'160/68A'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from yuefang.measure.vocabulary import normalise_sex

__all__ = [
    "Designation",
    "BODY_TYPES",
    "CONTROL",
    "designate",
    "parse_label",
    "body_for_designation",
    "complete_designation",
    "size_range",
    "control_values",
]

SERIES = ("5.4", "5.2")

BODY_TYPES: dict[str, dict[str, tuple[int, int]]] = {
    "male": {"Y": (17, 22), "A": (12, 16), "B": (7, 11), "C": (2, 6)},
    "female": {"Y": (19, 24), "A": (14, 18), "B": (9, 13), "C": (4, 8)},
}
"""Chest (bust) – waist drop ranges in cm by sex and body type (**check**)."""

# Control parts of the middle body (中间体) of each type, in cm, and their steps.
# GB/T 1335.1-2008 (men, 号 170) and 1335.2-2008 (women, 号 160); values **check** against the
# official tables: heights step per 5 cm of 号, neck and shoulder per 4 cm of chest, hip per 4 cm
# of waist.
CONTROL: dict[str, dict] = {
    "male": {
        "stature": 170.0,
        "heights": {"cervical_height": (145.0, 4.0), "sitting_cervical_height": (66.5, 2.0),
                    "arm_length": (55.5, 1.5), "waist_height": (102.5, 3.0)},
        "types": {  # chest, waist, hip, hip step per 4 cm waist, neck, shoulder
            "Y": (88.0, 70.0, 90.0, 3.2, 36.4, 44.0),
            "A": (88.0, 74.0, 90.0, 3.2, 36.8, 43.6),
            "B": (92.0, 84.0, 95.0, 2.8, 38.2, 44.4),
            "C": (96.0, 92.0, 97.0, 2.8, 39.6, 45.2),
        },
        "neck_step": 1.0,
        "shoulder_step": 1.2,
    },
    "female": {
        "stature": 160.0,
        "heights": {"cervical_height": (136.0, 4.0), "sitting_cervical_height": (62.5, 2.0),
                    "arm_length": (50.5, 1.5), "waist_height": (98.0, 3.0)},
        "types": {
            "Y": (84.0, 64.0, 90.0, 3.6, 33.4, 40.0),
            "A": (84.0, 68.0, 90.0, 3.6, 33.6, 39.4),
            "B": (88.0, 78.0, 96.0, 3.2, 34.6, 39.8),
            "C": (88.0, 82.0, 96.0, 3.2, 34.8, 39.2),
        },
        "neck_step": 0.8,
        "shoulder_step": 1.0,
    },
}

_LABEL = re.compile(r"^\s*(\d{3})\s*/\s*(\d{2,3})\s*([YABC])?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Designation:
    """A GB/T 1335 designation of one body.

    Attributes
    ----------
    top, bottom : str
        Labels such as ``'170/88A'`` (chest) and ``'170/74A'`` (waist).
    body_type : str
        ``Y``, ``A``, ``B`` or ``C``.
    drop_cm : float
        Chest (bust) girth minus waist girth, cm.
    series : str
        ``"5.4"`` or ``"5.2"`` (the waist step of the bottoms).
    notes : list of str
    """

    top: str
    bottom: str
    body_type: str
    drop_cm: float
    series: str = "5.4"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"top": self.top, "bottom": self.bottom, "body_type": self.body_type,
                "drop_cm": round(self.drop_cm, 1), "series": self.series, "notes": list(self.notes)}


def _round_step(x_cm: float, step: float, origin: float = 0.0) -> int:
    """Nearest value ``origin + k·step``; halves go up (86 cm chest -> 88, the standard's 86–89)."""
    return int(origin + math.floor((x_cm - origin) / step + 0.5) * step)


def _check_series(series: str) -> str:
    s = str(series).replace("·", ".").strip()
    if s not in SERIES:
        raise ValueError(f"series: {series!r} is not allowed; allowed: '5.4', '5.2'")
    return s


def body_type_for_drop(drop_cm: float, sex: str) -> tuple[str, list[str]]:
    """Body type for a chest–waist drop (cm), with notes; see the module's rule for in-between drops.

    >>> body_type_for_drop(16.5, "male")[0], body_type_for_drop(16.6, "male")[0]
    ('A', 'Y')
    """
    sex = normalise_sex(sex)
    ranges = BODY_TYPES[sex]
    notes: list[str] = []
    ys, cs = ranges["Y"][1], ranges["C"][0]
    if drop_cm > ys + 0.5:
        notes.append(f"drop {drop_cm:.1f} cm is above the Y range ({ranges['Y'][0]}–{ys} cm): designated Y")
        return "Y", notes
    if drop_cm <= cs - 0.5:
        notes.append(f"drop {drop_cm:.1f} cm is below the C range ({cs}–{ranges['C'][1]} cm): designated C")
        return "C", notes
    for t in ("C", "B", "A", "Y"):
        lo, hi = ranges[t]
        if lo - 0.5 < drop_cm <= hi + 0.5:
            if not lo <= drop_cm <= hi:
                notes.append(f"drop {drop_cm:.1f} cm falls between two types' ranges: nearest whole cm gives {t}")
            return t, notes
    raise AssertionError("unreachable")


def designate(body: Mapping[str, float], sex: str, series: str = "5.4") -> Designation:
    """GB/T 1335 designations of a body (tops by chest, bottoms by waist).

    Parameters
    ----------
    body : mapping
        ``stature``, ``chest_girth`` (men) or ``bust_girth`` (women), ``waist_girth``, in mm.
    sex : str
    series : {"5.4", "5.2"}
        Waist step of the bottoms (4 or 2 cm).

    Returns
    -------
    Designation
    """
    sex = normalise_sex(sex)
    series = _check_series(series)
    chest_name = "chest_girth" if sex == "male" else "bust_girth"
    missing = [n for n in ("stature", chest_name, "waist_girth") if body.get(n) in (None, "")]
    if missing:
        raise ValueError(f"{missing[0]}: missing; designate needs stature, {chest_name} and waist_girth (mm)")
    stature, chest, waist = (float(body[n]) / 10.0 for n in ("stature", chest_name, "waist_girth"))
    hao = _round_step(stature, 5)
    top = _round_step(chest, 4)
    drop = chest - waist
    t, notes = body_type_for_drop(drop, sex)
    # the waist grid of a type runs through its middle body's waist (men's A: 74, 78, 70 ...)
    bottom = _round_step(waist, 4 if series == "5.4" else 2, CONTROL[sex]["types"][t][1])
    return Designation(f"{hao}/{top}{t}", f"{hao}/{bottom}{t}", t, drop, series, notes)


def parse_label(label: str) -> tuple[int, int, str | None]:
    """``'170/88A'`` -> ``(170, 88, 'A')``; raise ValueError naming the allowed form."""
    m = _LABEL.match(str(label))
    if not m:
        raise ValueError(f"label: {label!r} is not a GB/T 1335 designation; allowed: like '170/88A' "
                         "(stature cm / chest or waist cm, body type Y, A, B or C)")
    return int(m.group(1)), int(m.group(2)), (m.group(3) or "").upper() or None


def control_values(label: str, sex: str, part: str = "top") -> dict[str, float]:
    """The standard's control-part values (cm) for a designation.

    Parameters
    ----------
    label : str
        Like ``'170/88A'``.
    sex : str
    part : {"top", "bottom"}
        Whether 型 is the chest (top) or the waist (bottom).

    Returns
    -------
    dict
        ``stature``, ``cervical_height``, ``sitting_cervical_height``, ``arm_length``,
        ``waist_height``, ``chest`` (bust), ``neck``, ``shoulder``, ``waist``, ``hip`` in cm.

    >>> control_values("170/88A", "male")["hip"]
    90.0
    >>> control_values("165/84A", "male")["cervical_height"]
    141.0
    """
    sex = normalise_sex(sex)
    if part not in ("top", "bottom"):
        raise ValueError(f"part: {part!r} is not allowed; allowed: 'top', 'bottom'")
    hao, xing, t = parse_label(label)
    t = t or "A"
    c = CONTROL[sex]
    chest0, waist0, hip0, hip_step, neck0, shoulder0 = c["types"][t]
    drop = chest0 - waist0
    chest, waist = (float(xing), float(xing) - drop) if part == "top" else (float(xing) + drop, float(xing))
    out = {"stature": float(hao)}
    k = (hao - c["stature"]) / 5.0
    for name, (base, step) in c["heights"].items():
        out[name] = base + k * step
    out["chest"] = chest
    out["neck"] = neck0 + (chest - chest0) / 4.0 * c["neck_step"]
    out["shoulder"] = shoulder0 + (chest - chest0) / 4.0 * c["shoulder_step"]
    out["waist"] = waist
    out["hip"] = hip0 + (waist - waist0) / 4.0 * hip_step
    return out


def complete_designation(label: str, sex: str, part: str = "top", model=None):
    """A :class:`~yuefang.measure.completion.CompletedBody` for a designation: the standard's
    stature, chest (bust), waist, hip and cervical height, every other measurement from the
    completion model conditioned on them (weight predicted)."""
    from yuefang.measure.completion import complete_many

    sex = normalise_sex(sex)
    cv = control_values(label, sex, part)
    chest_name = "chest_girth" if sex == "male" else "bust_girth"
    row = {"sex": sex, "stature": cv["stature"] * 10, chest_name: cv["chest"] * 10,
           "waist_girth": cv["waist"] * 10, "hip_girth": cv["hip"] * 10, "cervical_height": cv["cervical_height"] * 10}
    res = complete_many([row], model=model, errors="raise")
    body = res.bodies[0]
    assert body is not None
    note = (f"body for GB/T 1335 {label} ({sex}, {part}): stature, {chest_name}, waist, hip and cervical height "
            "from the standard's control values; the rest from the completion model")
    from dataclasses import replace

    return replace(body, notes=[note, *body.notes])


def body_for_designation(label: str, sex: str, part: str = "top") -> dict[str, float]:
    """Every measurement (mm) of a body for a GB/T 1335 designation.

    >>> body = body_for_designation("170/88A", "male")
    >>> body["stature"], body["chest_girth"], body["waist_girth"], body["hip_girth"]
    (1700.0, 880.0, 740.0, 900.0)
    """
    return dict(complete_designation(label, sex, part).values)


def size_range(sex: str, series: str = "5.4", *, body_type: str = "A", part: str = "top") -> list[str]:
    """A sensible range of designations of one body type: 号 over the usual adult statures and, for
    each, chests within 8 cm of the chest that goes with that stature (men 72–112 cm, women 72–108 cm),
    and for bottoms the waists of those chests (every 2 cm in the 5·2 series).

    >>> r = size_range("male")
    >>> "170/88A" in r and "185/100A" in r and "155/104A" not in r
    True
    >>> size_range("female", body_type="A", part="bottom", series="5.2")[:3]
    ['145/56A', '145/58A', '145/60A']
    """
    sex = normalise_sex(sex)
    series = _check_series(series)
    if body_type not in ("Y", "A", "B", "C"):
        raise ValueError(f"body_type: {body_type!r} is not allowed; allowed: Y, A, B, C")
    c = CONTROL[sex]
    chest0, waist0 = c["types"][body_type][:2]
    statures = range(155, 190, 5) if sex == "male" else range(145, 180, 5)
    out = []
    lo, hi = (72, 112) if sex == "male" else (72, 108)
    for s in statures:
        centre = int(chest0 + (s - c["stature"]) / 5.0 * 4.0)
        chests = [x for x in range(centre - 8, centre + 9, 4) if lo <= x <= hi]
        if part == "top":
            out += [f"{s}/{x}{body_type}" for x in chests]
        else:
            step = 4 if series == "5.4" else 2
            drop = int(chest0 - waist0)
            out += [f"{s}/{w}{body_type}" for w in range(chests[0] - drop, chests[-1] - drop + 1, step)]
    return out
