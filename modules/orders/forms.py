"""The order form used by the create and edit pages."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Order


class OrderForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Suppliers are this tenant's members holding the supplier role (one subquery).
        from accounts.models import User
        from accounts.roles.definitions import SUPPLIER
        from accounts.roles.models import Member

        holders = Member.objects.filter(roles__name=SUPPLIER).values("user_id")
        self.fields["supplier"].queryset = User.objects.filter(pk__in=holders)  # type: ignore[attr-defined]

    class Meta:
        model = Order
        fields = [
            "number",
            "status",
            "supplier",
            "customer",
            "due",
            "notes",
        ]
        widgets = {
            "due": forms.DateInput(attrs={"type": "date"}),
        }
