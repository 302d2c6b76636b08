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
    "ORDER_STEPS",
    "ROLE_LABELS",
    "STEP_LABELS",
    "STEP_STATUS_LABELS",
    "label",
    "measurement_label",
    "measurement_names",
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
