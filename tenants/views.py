from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .selectors import dashboard_figures


@login_required
@permission_required("roles.view_dashboard", raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    """The tenant admin's dashboard."""
    from modules.registry import dashboard_widgets

    tenant = request.tenant  # type: ignore[attr-defined]
    return render(
        request,
        "tenant/dashboard.html",
        {
            "tenant": tenant,
            "figures": dashboard_figures(tenant=tenant),
            "widgets": dashboard_widgets(request),
        },
    )


@login_required
@permission_required("roles.manage_settings", raise_exception=True)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The workspace's name and whether it requires EU data residency."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .forms import TenantSettingsForm
    from .services import tenant_update_settings

    tenant = request.tenant  # type: ignore[attr-defined]
    form = TenantSettingsForm(
        request.POST or None,
        initial={"name": tenant.name, "eu_data_residency": tenant.eu_data_residency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            tenant_update_settings(
                tenant=tenant,
                name=form.cleaned_data["name"],
                eu_data_residency=form.cleaned_data["eu_data_residency"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("tenant-settings")
    return render(request, "tenant/settings.html", {"form": form, "tenant": tenant})
