"""Names the pages show for the platform's codes: order steps, step statuses, roles, measurements.

The codes are the platform's one name for each thing (``in_production``, ``chest_girth``);
the labels are catalogue msgids (marked with :func:`~yuefang.app.i18n.N_`) translated when a
page is rendered. Measurements always carry their Chinese name (胸围, 腰围, 臀围 …), taken
from :data:`yuefang.measure.MEASUREMENTS` when that registry provides one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from yuefang.app.i18n import N_, Gettext

__all__ = [
    "MEASUREMENT_FALLBACK",
    "OPTION_LABELS",
    "OPTION_VALUE_LABELS",
    "ORDER_STEPS",
    "ROLE_LABELS",
    "STEP_LABELS",
    "STEP_STATUS_LABELS",
    "label",
    "measurement_label",
    "measurement_names",
    "option_label",
    "option_value_label",
]

#: The order's way through the system, in order (``cancelled`` may follow any step).
ORDER_STEPS: tuple[str, ...] = (
    "received",
    "measured",
    "drafted",
    "nested",
    "planned",
    "in_production",
    "done",
)

STEP_LABELS: dict[str, str] = {
    "received": N_("Received"),
    "measured": N_("Measured"),
    "drafted": N_("Drafted"),
    "nested": N_("Nested"),
    "planned": N_("Planned"),
    "in_production": N_("In production"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}

STEP_STATUS_LABELS: dict[str, str] = {
    "pending": N_("Pending"),
    "queued": N_("Queued"),
    "running": N_("Running"),
    "done": N_("Done"),
    "succeeded": N_("Done"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
    "skipped": N_("Skipped"),
}

ROLE_LABELS: dict[str, str] = {
    "cluster_admin": N_("Cluster office"),
    "enterprise_admin": N_("Enterprise administrator"),
    "order_desk": N_("Order desk"),
    "planner": N_("Planner"),
    "cutting_room": N_("Cutting room"),
    "shop_floor": N_("Shop floor"),
}

#: English and Chinese names of the common body measurements, used when
#: :mod:`yuefang.measure` gives none (ISO 8559-1 names; Chinese as in GB/T 1335 practice).
MEASUREMENT_FALLBACK: dict[str, tuple[str, str]] = {
    "stature": ("Stature", "身高"),
    "neck_base_girth": ("Neck base girth", "颈根围"),
    "chest_girth": ("Chest girth", "胸围"),
    "bust_girth": ("Bust girth", "胸围"),
    "underbust_girth": ("Underbust girth", "下胸围"),
    "waist_girth": ("Waist girth", "腰围"),
    "hip_girth": ("Hip girth", "臀围"),
    "shoulder_width": ("Shoulder width", "总肩宽"),
    "upper_arm_girth": ("Upper arm girth", "上臂围"),
    "wrist_girth": ("Wrist girth", "腕围"),
    "thigh_girth": ("Thigh girth", "大腿围"),
    "inside_leg_length": ("Inside leg length", "下裆长"),
    "back_waist_length": ("Back waist length", "背长"),
    "arm_length": ("Arm length", "臂长"),
}


def label(table: dict[str, str], code: Any, gettext: Gettext) -> str:
    """The translated label of ``code`` in ``table``; unknown codes are shown as they are.

    ``code`` may be an enum member (its ``value`` is used).

    Examples
    --------
    >>> label(STEP_LABELS, "in_production", lambda s: s)
    'In production'
    >>> label(STEP_LABELS, "mystery", lambda s: s)
    'mystery'
    """
    key = str(getattr(code, "value", code))
    text = table.get(key)
    return gettext(text) if text else key


@cache
def _registry() -> dict[str, tuple[str, str]]:
    """``{name: (english, chinese)}``: Chinese names from :data:`yuefang.measure.MEASUREMENTS`."""
    names = dict(MEASUREMENT_FALLBACK)
    try:
        from yuefang.measure import MEASUREMENTS
    except ImportError:  # pragma: no cover - the measure package is part of yuefang
        return names
    for name, spec in MEASUREMENTS.items():
        english = names.get(name, (name.replace("_", " ").capitalize(), ""))[0]
        names[name] = (english, getattr(spec, "name_zh", "") or names.get(name, ("", ""))[1])
    return names


def measurement_names() -> dict[str, tuple[str, str]]:
    """``{iso_name: (english, chinese)}`` for every measurement the pages may show."""
    return _registry()


def measurement_label(name: str, locale: str) -> str:
    """A measurement's name for the page: Chinese in ``zh_CN``, English with the Chinese after it.

    Examples
    --------
    >>> measurement_label("chest_girth", "zh_CN")
    '胸围'
    >>> measurement_label("waist_girth", "en")
    'Waist girth 腰围'
    >>> measurement_label("knee_height", "en")
    'Knee height'
    """
    english, chinese = _registry().get(name, (name.replace("_", " ").capitalize(), ""))
    if locale.startswith("zh"):
        return chinese or english
    return f"{english} {chinese}".strip()


#: Names of the products' style options (their enum-valued options), for forms and order pages.
OPTION_LABELS: dict[str, str] = {
    "fit": N_("Fit"),
    "sleeve": N_("Sleeve"),
    "collar": N_("Collar"),
    "cuff": N_("Cuff"),
    "back_posture": N_("Back posture"),
    "shoulders": N_("Shoulders"),
    "belly": N_("Belly"),
    "seat": N_("Seat"),
    "front": N_("Front"),
    "back_darts": N_("Back darts"),
    "back_pockets": N_("Back pockets"),
    "heading": N_("Heading"),
    "panels": N_("Panels"),
    "fabric": N_("Fabric type"),
    "closure": N_("Closure"),
    "elastic": N_("Elastic"),
}

#: Names of option values (the same value may serve several options).
OPTION_VALUE_LABELS: dict[str, str] = {
    "slim": N_("Slim"),
    "regular": N_("Regular"),
    "loose": N_("Loose"),
    "long": N_("Long"),
    "short": N_("Short"),
    "classic": N_("Classic collar"),
    "button_down": N_("Button-down collar"),
    "cutaway": N_("Cutaway collar"),
    "band": N_("Band collar"),
    "barrel": N_("Barrel cuff"),
    "barrel_two_button": N_("Two-button barrel cuff"),
    "french": N_("French cuff"),
    "normal": N_("Normal"),
    "stooped": N_("Stooped"),
    "erect": N_("Erect"),
    "sloping": N_("Sloping"),
    "square": N_("Square"),
    "prominent": N_("Prominent"),
    "flat": N_("Flat"),
    "one_pleat": N_("One pleat"),
    "two_pleats": N_("Two pleats"),
    "pinch_pleat": N_("Pinch pleat"),
    "pencil_pleat": N_("Pencil pleat"),
    "eyelet": N_("Eyelet"),
    "wave": N_("Wave"),
    "rod_pocket": N_("Rod pocket"),
    "tab_top": N_("Tab top"),
    "fixed_height": N_("Fixed height (railroaded)"),
    "fixed_width": N_("Fixed width (joined widths)"),
    "zip": N_("Zip"),
    "envelope": N_("Envelope"),
    "buttons": N_("Buttons"),
    "ties": N_("Ties"),
    "all_round": N_("All round"),
    "corners": N_("Corners only"),
}


def option_label(name: str, gettext: Gettext) -> str:
    """The translated name of a product option (``fit`` → 版型); unknown names as they are.

    Examples
    --------
    >>> option_label("collar", lambda s: s), option_label("hem_turn_mm", lambda s: s)
    ('Collar', 'hem_turn_mm')
    """
    return label(OPTION_LABELS, name, gettext)


def option_value_label(value: Any, gettext: Gettext) -> str:
    """The translated name of an option's value (``slim`` → 修身); numbers and unknown values as they are.

    Examples
    --------
    >>> option_value_label("pinch_pleat", lambda s: s), option_value_label(2, lambda s: s)
    ('Pinch pleat', '2')
    """
    return label(OPTION_VALUE_LABELS, value, gettext)
