"""Home textiles drafted from their own dimensions: curtains, duvet covers, fitted sheets.

Each module exposes ``PRODUCT`` (see :mod:`yuefang.pattern.products`).
"""

from yuefang.pattern.home._common import HomeTextileProduct

__all__ = ["HomeTextileProduct"]
