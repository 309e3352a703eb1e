"""The owners' page that switches modules on and off for their tenant."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .registry import PLAN_LABELS, Access, member_access, module_enabled, plan_includes, registry
from .registry import tenant_plan as plan_of
from .services import module_switch_set

MANAGE_PERMISSION = "roles.manage_settings"


@require_http_methods(["GET", "POST"])
def module_settings(request: HttpRequest) -> HttpResponse:
    """List the modules with their state; POST module=<name>&enabled=1|0 switches one."""
    access = member_access(request)
    if access is Access.ANONYMOUS:
        return redirect_to_login(request.get_full_path())
    if access is Access.NOT_MEMBER:
        raise Http404("No such page.")
    if access is not Access.ALLOWED or not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied
    tenant = request.tenant  # type: ignore[attr-defined]
    if request.method == "POST":
        name = request.POST.get("module", "")
        module = registry.get(name)
        if module is None:
            raise Http404("No such module.")
        enabled = request.POST.get("enabled") == "1"
        module_switch_set(tenant=tenant, module=name, enabled=enabled, actor=request.user)
        messages.success(
            request,
            (_("%(label)s is on.") if enabled else _("%(label)s is off."))
            % {"label": module.label},
        )
        return redirect("module-settings")
    plan = plan_of(tenant)
    rows = [
        {
            "module": module,
            "enabled": module_enabled(request, module),
            "in_plan": plan_includes(plan, module.required_plan),
            "plan_label": PLAN_LABELS[module.required_plan],
        }
        for module in registry.modules()
    ]
    return render(request, "modules/settings.html", {"rows": rows, "plan": PLAN_LABELS[plan]})
