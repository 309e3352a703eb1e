"""{% module_sidebar %}: the registry's sidebar, for the module layout and the admin shell."""

from __future__ import annotations

from typing import Any

from django import template

from modules.registry import sidebar_entries

register = template.Library()


@register.inclusion_tag("modules/_sidebar.html", takes_context=True)
def module_sidebar(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    entries = sidebar_entries(request) if request is not None else []
    current = request.path if request is not None else ""
    return {"entries": entries, "current": current, "request": request}


@register.simple_tag(takes_context=True)
def render_widget(context: template.Context, item: dict[str, Any]) -> str:
    """Render one dashboard widget (from registry.dashboard_widgets) with its own context."""
    from django.template.loader import render_to_string

    return render_to_string(item["template"], item["context"], request=context.get("request"))
