"""The roles page: built-in roles (read-only) and the custom roles owners build."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.permissions import tenant_access_check, tenant_permission_required
from accounts.views_members import confirm_page

from .definitions import BUILT_IN_ROLES, ROLE_LABELS
from .forms import RoleForm


def _roles_url(request: HttpRequest) -> str:
    return reverse("roles", urlconf=request.urlconf)


def role_get_for_user(*, request: HttpRequest, group_id: int, perm: str) -> Group:
    """A custom role of this tenant the requesting member may edit: 404 for an unknown id or a
    built-in role (those are not editable), 403 without `perm`."""
    tenant_access_check(request)
    group = Group.objects.filter(pk=group_id).exclude(name__in=BUILT_IN_ROLES).first()
    if group is None:
        raise Http404("No such custom role.")
    tenant_access_check(request, perm)
    return group


@require_GET
@tenant_permission_required("roles.view_member")
def role_list(request: HttpRequest) -> HttpResponse:
    """Every role with its permissions and holders, built-ins first. Three queries."""
    groups = list(
        Group.objects.annotate(holders=Count("members"))
        .prefetch_related("permissions__content_type")
        .order_by("name")
    )
    order = {name: index for index, name in enumerate(BUILT_IN_ROLES)}
    groups.sort(key=lambda g: (order.get(g.name, len(order)), g.name.lower()))
    roles: list[dict[str, Any]] = [
        {
            "group": group,
            "label": ROLE_LABELS.get(group.name, group.name),
            "built_in": group.name in order,
            "holders": group.holders,
            "permissions": sorted(
                group.permissions.all(), key=lambda p: (p.content_type.app_label, p.codename)
            ),
        }
        for group in groups
    ]
    return render(request, "tenant/roles/list.html", {"roles": roles})


@require_http_methods(["GET", "POST"])
@tenant_permission_required("roles.manage_roles")
def role_create(request: HttpRequest) -> HttpResponse:
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_create(
                tenant=request.tenant,  # type: ignore[attr-defined]
                name=form.cleaned_data["name"],
                permissions=list(form.cleaned_data["permissions"]),
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The role was created."))
            return redirect(_roles_url(request))
    return render(request, "tenant/roles/form.html", {"form": form, "group": None})


@require_http_methods(["GET", "POST"])
def role_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = role_get_for_user(request=request, group_id=group_id, perm="roles.manage_roles")
    initial = {"name": group.name, "permissions": list(group.permissions.all())}
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(
                tenant=request.tenant,  # type: ignore[attr-defined]
                group=group,
                name=form.cleaned_data["name"],
                permissions=list(form.cleaned_data["permissions"]),
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The role was saved."))
            return redirect(_roles_url(request))
    return render(request, "tenant/roles/form.html", {"form": form, "group": group})


@require_POST
def role_delete(request: HttpRequest, group_id: int) -> HttpResponse:
    group = role_get_for_user(request=request, group_id=group_id, perm="roles.manage_roles")
    if "confirmed" not in request.POST:
        return confirm_page(
            request,
            title=_("Delete role"),
            question=_("Delete the role %(name)s?") % {"name": group.name},
            button=_("Delete"),
            cancel_url=_roles_url(request),
        )
    try:
        services.role_delete(tenant=request.tenant, group=group, actor=request.user)  # type: ignore[attr-defined]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role %(name)s was deleted.") % {"name": group.name})
    return redirect(_roles_url(request))


def _form_errors(form: RoleForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
