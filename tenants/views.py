from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The tenant's home in the admin; the dashboard fills it."""
    return render(request, "tenant/home.html", {"tenant": request.tenant})  # type: ignore[attr-defined]
