"""Reads for Orders: what a user may see, looked up where they may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Order


def order_list(*, user: Any, search: str = "") -> QuerySet[Order]:
    """The orders `user` may see, newest first, filtered by `search`."""
    rows = Order.objects.all().select_related(
        "customer",
    )
    if search:
        rows = rows.filter(Q(number__icontains=search) | Q(notes__icontains=search))
    return rows.order_by("-id")


def order_get_for_user(*, user: Any, pk: int) -> Order:
    """One order `user` may see, or 404."""
    return get_object_or_404(order_list(user=user), pk=pk)
