"""yuefang.measure: bodies and sizes.

Complete a body from a few inputs (sex, stature, weight, age and any measurements) with 90%
prediction intervals, validate bodies, designate GB/T 1335 sizes (``170/88A``) and give the body
of a designation, derive a body from a garment that fits, and fit a body to an enterprise's size
chart. Pure: values in, values out.
"""

from yuefang.measure.completion import (
    BatchResult,
    CompletedBody,
    CompletionModel,
    NotFittedError,
    RowError,
    complete_body,
    complete_many,
    default_model,
)
from yuefang.measure.garment import EASE, GARMENT_TYPES, body_from_garment
from yuefang.measure.gbt1335 import (
    Designation,
    body_for_designation,
    complete_designation,
    control_values,
    designate,
    parse_label,
    size_range,
)
from yuefang.measure.sizechart import MeasurementFit, SizeChart, SizeFit, SizeSpec, fit_size_chart
from yuefang.measure.validation import BodyValidationError, validate_body
from yuefang.measure.vocabulary import MEASUREMENTS, Measurement, measurement_names, normalise_sex

__all__ = [
    "MEASUREMENTS",
    "Measurement",
    "measurement_names",
    "normalise_sex",
    "BodyValidationError",
    "validate_body",
    "CompletionModel",
    "NotFittedError",
    "CompletedBody",
    "BatchResult",
    "RowError",
    "complete_body",
    "complete_many",
    "default_model",
    "Designation",
    "designate",
    "parse_label",
    "control_values",
    "body_for_designation",
    "complete_designation",
    "size_range",
    "EASE",
    "GARMENT_TYPES",
    "body_from_garment",
    "SizeChart",
    "SizeSpec",
    "SizeFit",
    "MeasurementFit",
    "fit_size_chart",
]
