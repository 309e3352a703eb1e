"""API keys of one tenant in the admin: list, create (the key is shown once), revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms_members import role_choices
from .models import ApiKey
from .permissions import tenant_permission_required


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("n8n production")}),
    )
    role = forms.ChoiceField(label=gettext_lazy("Acts as"))

    def __init__(self, *args: object, roles: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = role_choices(roles)  # type: ignore[attr-defined]


def _roles(request: HttpRequest) -> list[str]:
    # A key may act as any role the person creating it could give to a member.
    return selectors.roles_grantable_by(user=request.user, is_owner=True)


@tenant_permission_required("roles.manage_api_keys")
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    form = ApiKeyForm(request.POST or None, roles=_roles(request))
    plaintext = None
    if request.method == "POST" and form.is_valid():
        try:
            _key, plaintext = services.api_key_create(
                tenant=tenant,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiKeyForm(roles=_roles(request))
    keys = list(selectors.api_keys_for_tenant(tenant=tenant))
    return render(
        request,
        "tenant/api_keys.html",
        {"form": form, "keys": keys, "plaintext": plaintext, "tenant": tenant},
    )


@tenant_permission_required("roles.manage_api_keys")
@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    # Looked up inside this tenant only: another tenant's key id is a 404.
    api_key = get_object_or_404(ApiKey, pk=key_id, tenant=tenant)
    services.api_key_revoke(api_key=api_key, actor=request.user)
    messages.success(request, _("The key %(name)s was revoked.") % {"name": api_key.name})
    return redirect("api-keys")
