from __future__ import annotations

import logging

from django.contrib.auth.decorators import permission_required
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "public/landing.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and Redis reachable? 200 with both "ok", 503 naming what failed."""
    checks = {"database": "ok", "redis": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        checks["database"] = "unreachable"
    try:
        caches["platform"].client.get_client().ping()  # type: ignore[attr-defined]
    except Exception:
        logger.exception("health check: redis unreachable")
        checks["redis"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: a plain template.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


@require_GET
@permission_required("roles.view_audit_log", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The tenant's audit log, filtered and paginated; HTMX requests get the table only."""
    from django.core.paginator import Paginator

    from .forms import AuditFilterForm
    from .selectors import audit_action_choices, audit_event_list

    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "actions": audit_action_choices()}
    template = "core/audit_table.html" if getattr(request, "htmx", False) else "core/audit_log.html"
    return render(request, template, context)
