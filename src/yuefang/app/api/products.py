"""Products that can be ordered, with their input and option schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from yuefang.app.api.deps import CurrentUser
from yuefang.app.services.products import list_product_info

router = APIRouter(prefix="/products", tags=["products"])


@router.get("")
def list_products(user: CurrentUser) -> list[dict[str, Any]]:
    """Every product: id, names, kind (garment / home_textile), installed, input and option schemas."""
    return list_product_info()
