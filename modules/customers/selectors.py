"""Reads for Customers: what a user may see, looked up where they may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Company


def company_list(*, user: Any, search: str = "") -> QuerySet[Company]:
    """The customers `user` may see, newest first, filtered by `search`."""
    rows = Company.objects.all()
    if search:
        rows = rows.filter(
            Q(name__icontains=search)
            | Q(vat_number__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
            | Q(notes__icontains=search)
        )
    return rows.order_by("-id")


def company_get_for_user(*, user: Any, pk: int) -> Company:
    """One company `user` may see, or 404."""
    return get_object_or_404(company_list(user=user), pk=pk)
