from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TenantSettingsForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=100)
    eu_data_residency = forms.BooleanField(
        label=_("Require EU data residency"),
        required=False,
        help_text=_("AI features then use EU-hosted models only."),
    )
