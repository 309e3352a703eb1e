from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
