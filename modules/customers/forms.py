"""The company form used by the create and edit pages."""

from __future__ import annotations

from django import forms

from .models import Company


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = [
            "name",
            "vat_number",
            "email",
            "phone",
            "notes",
        ]
        widgets: dict[str, forms.Widget] = {}
