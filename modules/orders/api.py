"""The Orders API: a django-ninja router the tenant API mounts (modules.registry.api_routers).

Authentication is the tenant API's (API keys); permissions are checked here, per operation.
"""

from __future__ import annotations

from typing import Any

from ninja import ModelSchema, Router
from ninja.errors import HttpError

from . import selectors
from .models import Order

router = Router(tags=["Orders"])


class OrderOut(ModelSchema):
    class Meta:
        model = Order
        fields = ["id", "number", "customer", "due", "notes", "created_at"]


def _require(request: Any, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, "You do not have permission to do this.")


@router.get("/", response=list[OrderOut])
def order_list_api(request: Any, q: str = "", limit: int = 100) -> Any:
    _require(request, "orders.view_order")
    return list(selectors.order_list(user=request.user, search=q)[: min(limit, 500)])


@router.get("/{pk}", response=OrderOut)
def order_get_api(request: Any, pk: int) -> Any:
    _require(request, "orders.view_order")
    return selectors.order_get_for_user(user=request.user, pk=pk)
