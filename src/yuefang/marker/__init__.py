"""Markers: pattern pieces nested on the fabric width, and cut order planning.

The nesting engine is sparrow (through ``spyrrow``); this package adds the garment constraints
(grain, nap, cross grain, cut on fold, mirrored pairs by spreading mode, shrinkage, gaps), checks
every layout independently of the engine, and writes the marker as SVG, PDF, DXF and HPGL.
"""

from yuefang.marker.check import TOLERANCE_MM, check_marker
from yuefang.marker.errors import MarkerInputError, NestingEngineError
from yuefang.marker.export import marker_to_dxf, marker_to_hpgl, marker_to_pdf, marker_to_svg
from yuefang.marker.fabric import Fabric, fabric_from_dict
from yuefang.marker.model import Marker, MarkerPiece, Placement, transform_outline
from yuefang.marker.nest import nest, nest_instance

__all__ = [
    "Fabric",
    "fabric_from_dict",
    "Marker",
    "MarkerPiece",
    "Placement",
    "MarkerInputError",
    "NestingEngineError",
    "TOLERANCE_MM",
    "check_marker",
    "nest",
    "nest_instance",
    "marker_to_svg",
    "marker_to_pdf",
    "marker_to_dxf",
    "marker_to_hpgl",
    "transform_outline",
]
