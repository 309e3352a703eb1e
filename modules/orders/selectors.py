"""Reads for Orders: what a user may see, looked up where they may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from modules.customers.models import Contact

from .models import Order


def order_visible_to(user: Any) -> Q:
    """Staff (orders.view_all_orders) see every order; a customer contact sees their company's
    orders; a supplier sees the orders assigned to them. Permissions decide, never role names."""
    if user.has_perm("orders.view_all_orders"):
        return Q()
    linked = Contact.objects.filter(company_id=OuterRef("customer_id"), user_id=user.pk)
    return Q(Exists(linked)) | Q(supplier_id=user.pk)


def order_list(*, user: Any, search: str = "") -> QuerySet[Order]:
    """The orders `user` may see, newest first, filtered by `search`."""
    rows = (
        Order.objects.select_related("customer")
        .annotate(total=Sum(F("lines__quantity") * F("lines__unit_price")))
        .filter(order_visible_to(user))
    )
    if search:
        rows = rows.filter(Q(number__icontains=search) | Q(notes__icontains=search))
    return rows.order_by("-id")


def order_get_for_user(*, user: Any, pk: int) -> Order:
    """One order `user` may see, or 404."""
    return get_object_or_404(order_list(user=user), pk=pk)
