"""A body from a garment that fits (成衣尺寸): take off the garment type's ease.

A customer who cannot be measured may give the finished measurements of a garment that fits
them well. The body is the finished measurement minus the garment type's ease (放松量); the
uncertainty of that ease (how loosely people like that garment) widens the intervals, and
every other measurement is completed by the model, conditioned on the derived ones.

The ease values are trade rules of thumb for a regular fit (**check** against the enterprise's
own blocks; an enterprise can pass its own table). Ease is finished minus body in mm, in
yuefang's definitions (waist at the navel, shoulder width as biacromial breadth).

Examples
--------
>>> body = body_from_garment("shirt", {"chest_girth": 1080, "waist_girth": 900}, "male", stature=1750)
>>> body.values["chest_girth"], body.designation.top
(880.0, '175/88A')
>>> body.low["chest_girth"] < 880 < body.high["chest_girth"]
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from yuefang.measure.completion import (
    INPUTS,
    CompletedBody,
    CompletionModel,
    _body,
    _notes,
    default_model,
)
from yuefang.measure.validation import BodyValidationError, validate_body
from yuefang.measure.vocabulary import normalise_sex

__all__ = ["EASE", "GARMENT_TYPES", "body_from_garment"]

# garment type -> measurement -> (ease mm, standard deviation of the ease mm)
EASE: dict[str, dict[str, tuple[float, float]]] = {
    "shirt": {"chest_girth": (200.0, 50.0), "waist_girth": (160.0, 60.0), "hip_girth": (120.0, 50.0),
              "neck_girth": (20.0, 10.0), "shoulder_width": (60.0, 25.0), "arm_length": (30.0, 20.0)},
    "tshirt": {"chest_girth": (100.0, 60.0), "waist_girth": (100.0, 70.0), "hip_girth": (80.0, 60.0),
               "shoulder_width": (50.0, 30.0)},
    "jacket": {"chest_girth": (160.0, 40.0), "waist_girth": (140.0, 50.0), "hip_girth": (100.0, 40.0),
               "shoulder_width": (80.0, 25.0), "arm_length": (40.0, 20.0)},
    "bodice": {"chest_girth": (60.0, 30.0), "waist_girth": (40.0, 25.0), "hip_girth": (40.0, 30.0),
               "shoulder_width": (40.0, 20.0)},
    "trousers": {"waist_girth": (20.0, 20.0), "hip_girth": (80.0, 40.0), "thigh_girth": (100.0, 40.0),
                 "knee_girth": (80.0, 40.0), "outside_leg_length": (-30.0, 30.0),
                 "inside_leg_length": (-20.0, 30.0), "crotch_length": (30.0, 30.0)},
    "jeans": {"waist_girth": (10.0, 20.0), "hip_girth": (40.0, 30.0), "thigh_girth": (60.0, 30.0),
              "inside_leg_length": (-20.0, 30.0)},
    "skirt": {"waist_girth": (20.0, 15.0), "hip_girth": (50.0, 25.0)},
}
"""Ease (finished minus body, mm) and its standard deviation by garment type; ``chest_girth``
stands for ``bust_girth`` on women's bodies."""

GARMENT_TYPES: tuple[str, ...] = tuple(EASE)


def body_from_garment(garment_type: str, finished: Mapping[str, float], sex: str, *,
                      stature: float | None = None, weight_kg: float | None = None,
                      age_years: float | None = None, model: CompletionModel | None = None,
                      ease: Mapping[str, tuple[float, float]] | None = None) -> CompletedBody:
    """Derive a body from the finished measurements of a garment that fits.

    Parameters
    ----------
    garment_type : str
        One of :data:`GARMENT_TYPES`.
    finished : mapping
        Garment measurement name (the body measurement it covers, e.g. ``chest_girth``) -> mm.
    sex : str
    stature : float, optional
        mm; predicted from the garment where not given (wide interval).
    weight_kg, age_years : float, optional
    model : CompletionModel, optional
    ease : mapping, optional
        The enterprise's own ease table for this garment (name -> (ease mm, sd mm)).

    Returns
    -------
    CompletedBody
        Notes say the body was derived from a garment and which ease was taken off.
    """
    sex = normalise_sex(sex)
    if garment_type not in EASE and ease is None:
        raise ValueError(f"garment_type: {garment_type!r} is not allowed; allowed: {', '.join(GARMENT_TYPES)}")
    table = dict(ease if ease is not None else EASE[garment_type])
    chest = "chest_girth" if sex == "male" else "bust_girth"
    errors = []
    known: dict[str, float] = {}
    known_sd: dict[str, float] = {}
    for name, value in finished.items():
        body_name = chest if name in ("chest_girth", "bust_girth") else name
        key = "chest_girth" if name in ("chest_girth", "bust_girth") else name
        if key not in table:
            allowed = ", ".join(sorted(table))
            errors.append({"field": name, "value": value, "allowed": allowed,
                           "message": f"{name}: no ease known for a {garment_type}; allowed: {allowed}"})
            continue
        e, sd = table[key]
        try:
            v = float(value) - e
        except (TypeError, ValueError):
            errors.append({"field": name, "value": value, "allowed": "a number in mm",
                           "message": f"{name}: {value!r} is not a number; allowed: a number in mm"})
            continue
        known[body_name] = v
        known_sd[body_name] = sd / max(v, 1.0)
    if errors:
        raise BodyValidationError(errors)
    if not known:
        raise BodyValidationError([{"field": "finished", "value": {}, "allowed": ", ".join(sorted(table)),
                                    "message": "finished: no garment measurement given"}])
    check = dict(known)
    for k, extra in (("stature", stature), ("weight_kg", weight_kg), ("age_years", age_years)):
        if extra is not None:
            check[k] = extra
    validate_body(check, sex=sex)
    model = model or default_model()
    inputs = {k: [float(v)] for k, v in (("stature", stature), ("weight_kg", weight_kg), ("age_years", age_years))
              if v is not None}
    import numpy as np

    inputs_a = {k: np.asarray(v) for k, v in inputs.items() if k in INPUTS}
    known_a = {k: np.asarray([v]) for k, v in known.items()}
    values, low, high = model.predict_arrays(sex, inputs_a, known_a, known_sd)
    notes = [f"derived from a {garment_type} that fits: " + ", ".join(
        f"{k} = finished − {table['chest_girth' if k == chest else k][0]:g} mm ease" for k in known)]
    if stature is None:
        notes.append("stature was not given: it is predicted from the garment (wide interval)")
    notes += _notes(sex, inputs_a, known, model)
    body = _body(sex, values, low, high, 0, set(), inputs_a, notes)
    assert all(math.isfinite(v) for v in body.values.values())
    return replace(body, given=frozenset({"stature"} if stature is not None else set()))


