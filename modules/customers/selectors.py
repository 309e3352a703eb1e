"""Reads for Customers: what a user may see, looked up where they may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Company, Contact


def company_list(*, user: Any, search: str = "") -> QuerySet[Company]:
    """The customers `user` may see, newest first, filtered by `search`."""
    rows = Company.objects.annotate(contact_count=Count("contacts"))
    if search:
        rows = rows.filter(
            Q(name__icontains=search)
            | Q(vat_number__icontains=search)
            | Q(email__icontains=search)
            | Q(contacts__name__icontains=search)
        ).distinct()
    return rows.order_by("-id")


def company_get_for_user(*, user: Any, pk: int) -> Company:
    """One company `user` may see, or 404."""
    return get_object_or_404(company_list(user=user), pk=pk)


def company_ids_for_user(*, user: Any) -> QuerySet[Contact, Any]:
    """The companies `user` is a contact of, as a subquery (`company_id` values)."""
    return Contact.objects.filter(user_id=user.pk).values("company_id")


def contact_list(*, company: Company) -> QuerySet[Contact]:
    return company.contacts.order_by("name", "id")
