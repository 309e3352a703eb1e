"""The order form used by the create and edit pages."""

from __future__ import annotations

from django import forms

from .models import Order


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = [
            "number",
            "customer",
            "due",
            "notes",
        ]
        widgets = {
            "due": forms.DateInput(attrs={"type": "date"}),
        }
