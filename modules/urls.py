"""Every module's URLs under /t/<slug>/m/<module>/, each wrapped in the central guard.

config/urls_tenant.py includes this file once; nobody edits URLconfs to add a module. Like
Wagtail's admin URLs, every view a module exposes is decorated here, so a module that forgets a
check in its own views is still guarded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, include, path

from . import views
from .registry import PLAN_LABELS, Access, Module, module_access, registry


def module_guard(module: Module, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap `view` so it runs only for members allowed to use `module` in this tenant."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access = module_access(request, module)
        if access is Access.ANONYMOUS:
            return redirect_to_login(request.get_full_path())
        if access in (Access.NOT_MEMBER, Access.SWITCHED_OFF):
            raise Http404("No such page.")
        if access in (Access.SUSPENDED, Access.PERMISSION):
            raise PermissionDenied
        if access is Access.PLAN:
            return render(
                request,
                "modules/plan_required.html",
                {"module": module, "plan_label": PLAN_LABELS[module.required_plan]},
                status=402,
            )
        return view(request, *args, **kwargs)

    guarded.module_guarded = True  # type: ignore[attr-defined]
    return guarded


def decorate_urlpatterns(
    patterns: list[URLPattern | URLResolver], decorator: Callable[[Callable[..., Any]], Any]
) -> list[URLPattern | URLResolver]:
    """Apply `decorator` to every view in `patterns`, nested includes too (as Wagtail does)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            decorate_urlpatterns(pattern.url_patterns, decorator)
        elif isinstance(pattern, URLPattern):
            pattern.callback = decorator(pattern.callback)
    return patterns


def module_urlpatterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for module in registry.modules():
        urls = importlib.import_module(f"modules.{module.name}.urls")
        guarded = decorate_urlpatterns(
            list(urls.urlpatterns),
            lambda view, module=module: module_guard(module, view),  # type: ignore[misc]
        )
        patterns.append(path(module.url_prefix, include((guarded, module.name))))
    return patterns


urlpatterns = [
    path("modules/", views.module_settings, name="module-settings"),
    *module_urlpatterns(),
]
