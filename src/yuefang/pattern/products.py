"""The product registry: product id -> the module that drafts it.

Each product module exposes ``PRODUCT``, an object with ``id``, ``name_en``, ``name_zh``,
``kind`` ("garment" or "home_textile"), ``inputs_model`` and ``options_model`` (Pydantic
models; for garments the inputs are body measurements by ISO 8559-1 name in mm) and
``draft(inputs, options=None) -> Pattern``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["PRODUCT_MODULES", "get_product", "list_products", "UnknownProductError"]

PRODUCT_MODULES: dict[str, str] = {
    "shirt": "yuefang.pattern.garments.shirt",
    "trousers": "yuefang.pattern.garments.trousers",
    "bodice": "yuefang.pattern.garments.bodice",
    "skirt": "yuefang.pattern.garments.skirt",
    "curtain": "yuefang.pattern.home.curtain",
    "duvet_cover": "yuefang.pattern.home.duvet_cover",
    "fitted_sheet": "yuefang.pattern.home.fitted_sheet",
}


class UnknownProductError(KeyError):
    def __init__(self, product: str) -> None:
        super().__init__(product)
        self.product = product

    def __str__(self) -> str:
        return f"product: unknown product {self.product!r}; allowed: {', '.join(sorted(PRODUCT_MODULES))}"


def get_product(product_id: str) -> Any:
    """The product object for ``product_id`` (raises UnknownProductError)."""
    try:
        module = PRODUCT_MODULES[product_id]
    except KeyError:
        raise UnknownProductError(product_id) from None
    return importlib.import_module(module).PRODUCT


def list_products() -> list[Any]:
    """Every product whose module is installed."""
    out = []
    for pid in PRODUCT_MODULES:
        try:
            out.append(get_product(pid))
        except ImportError:
            continue
    return out
