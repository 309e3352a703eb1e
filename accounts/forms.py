"""Forms: signup with a workspace, and a new workspace for a logged-in user."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tenants.services import tenant_provision, tenant_validate_new

from .models import User

# tenant_validate_new's error keys -> this form's fields.
_FIELD_FOR = {"name": "company_name", "slug": "workspace"}


class WorkspaceFieldsMixin(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=100)
    workspace = forms.CharField(
        label=_("Workspace address"),
        max_length=40,
        help_text=_(
            "Your workspace will live at /t/&lt;address&gt;/: lowercase letters, digits, hyphens."
        ),
    )

    def clean_workspace(self) -> str:
        return str(self.cleaned_data["workspace"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name, slug = cleaned.get("company_name"), cleaned.get("workspace")
        if name and slug:
            try:
                tenant_validate_new(name=name, slug=slug)
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    self.add_error(_FIELD_FOR.get(key), messages)
        return cleaned


class SignupForm(WorkspaceFieldsMixin, AllauthSignupForm):
    """allauth's signup plus a workspace: the new user owns a new tenant on a 14-day trial.

    User and tenant are created in one transaction: a failed provisioning leaves no user.
    """

    field_order = ["company_name", "workspace", "email", "password1", "password2"]

    def save(self, request: HttpRequest) -> Any:
        with transaction.atomic():
            user = super().save(request)
            tenant_provision(
                name=self.cleaned_data["company_name"],
                slug=self.cleaned_data["workspace"],
                owner=user,
                actor=user,
            )
        return user


class WorkspaceCreateForm(WorkspaceFieldsMixin):
    """A further workspace for a user who is already logged in."""


class ProfileForm(forms.ModelForm):
    """Name and interface language; an empty language follows the browser."""

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("As my browser says"))]
        + [(code, name) for code, name in settings.LANGUAGES],
    )

    class Meta:
        model = User
        fields = ["full_name", "language"]
