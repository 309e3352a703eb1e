"""The members page of the tenant admin, its actions, and the public invitation accept page.

Views are thin: they fetch-and-authorize through selectors, call a service, and turn its
ValidationError into a message. Every action is a POST; destructive ones ask for confirmation
first (a POST without `confirmed` renders the confirmation page).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms_members import (
    InvitationForm,
    InvitationSignupForm,
    MemberFilterForm,
    MemberRolesForm,
    OwnershipTransferForm,
)
from accounts.models import User
from accounts.permissions import tenant_permission_required
from accounts.roles.definitions import OWNER, ROLE_LABELS

MEMBERS_PER_PAGE = 25


def _is_owner(request: HttpRequest) -> bool:
    return request.user.pk in selectors.tenant_owner_ids(tenant=request.tenant, active_only=False)  # type: ignore[attr-defined]


def _grantable_roles(request: HttpRequest) -> list[str]:
    return selectors.roles_grantable_by(user=request.user, is_owner=_is_owner(request))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def confirm_page(
    request: HttpRequest, *, title: str, question: str, button: str, cancel_url: str
) -> HttpResponse:
    """Ask before a destructive action: the page re-posts the same form with `confirmed`."""
    fields = [
        (key, value)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "confirmed")
        for value in request.POST.getlist(key)
    ]
    context = {
        "title": title,
        "question": question,
        "button": button,
        "action": request.path,
        "fields": fields,
        "cancel_url": cancel_url,
    }
    return render(request, "tenant/members/confirm.html", context)


def _members_url(request: HttpRequest) -> str:
    return reverse("members", urlconf=request.urlconf)


def _member_url(request: HttpRequest, membership_id: int) -> str:
    return reverse("member-detail", args=[membership_id], urlconf=request.urlconf)


# --- The list ------------------------------------------------------------------------------------


@require_GET
@tenant_permission_required("roles.view_member")
def member_list(request: HttpRequest) -> HttpResponse:
    """Members with search, role and status filters and pagination; HTMX gets the table only.

    A fixed number of queries: memberships and users (public schema) in one page query, the
    roles of that page's users (tenant schema) in one more, joined here in Python.
    """
    tenant = request.tenant  # type: ignore[attr-defined]
    all_roles = list(Group.objects.order_by("name").values_list("name", flat=True))
    form = MemberFilterForm(request.GET or None, roles=all_roles)
    filters = form.cleaned_data if form.is_valid() else {}
    memberships = selectors.membership_list_for_tenant(
        tenant=tenant,
        search=filters.get("q", ""),
        role=filters.get("role", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    role_names = selectors.member_role_names(user_ids=[m.user_id for m in rows])
    members = [
        {
            "membership": membership,
            "user": membership.user,
            "roles": [
                ROLE_LABELS.get(name, name) for name in role_names.get(membership.user_id, [])
            ],
            "is_owner": OWNER in role_names.get(membership.user_id, []),
            "is_self": membership.user_id == request.user.pk,
        }
        for membership in rows
    ]
    context: dict[str, Any] = {"form": form, "page": page, "members": members}
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, "tenant/members/table.html", context)
    if request.user.has_perm("roles.invite_member"):
        context["invitations"] = list(selectors.invitations_pending_for_tenant(tenant=tenant)[:50])
        context["invite_form"] = InvitationForm(roles=_grantable_roles(request))
    context["seat_limit"] = selectors.tenant_seat_limit(tenant)
    return render(request, "tenant/members/list.html", context)


@require_http_methods(["GET"])
@tenant_permission_required("roles.view_member")
def member_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    """One member: their roles and, for managers, the actions on them."""
    membership = selectors.membership_get_for_user(
        request=request, membership_id=membership_id, perm="roles.view_member"
    )
    roles = selectors.member_role_names(user_ids=[membership.user_id])[membership.user_id]
    is_owner = _is_owner(request)
    context = {
        "membership": membership,
        "member": membership.user,
        "role_labels": [ROLE_LABELS.get(name, name) for name in roles],
        "is_self": membership.user_id == request.user.pk,
        "actor_is_owner": is_owner,
        "target_is_owner": OWNER in roles,
    }
    if request.user.has_perm("roles.manage_members"):
        all_roles = list(Group.objects.order_by("name").values_list("name", flat=True))
        context["roles_form"] = MemberRolesForm(initial={"roles": roles}, roles=all_roles)
        context["transfer_form"] = OwnershipTransferForm()
    return render(request, "tenant/members/detail.html", context)


# --- Member actions ------------------------------------------------------------------------------


def _run(request: HttpRequest, action: Any, success: str, **kwargs: Any) -> bool:
    try:
        action(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return False
    messages.success(request, success)
    return True


@require_POST
@tenant_permission_required("roles.manage_members")
def member_roles_change(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request=request, membership_id=membership_id)
    all_roles = list(Group.objects.order_by("name").values_list("name", flat=True))
    form = MemberRolesForm(request.POST, roles=all_roles)
    if not form.is_valid():
        messages.error(request, _("Choose at least one role."))
    else:
        _run(
            request,
            services.member_roles_set,
            _("The roles of %(email)s were changed.") % {"email": membership.user.email},
            membership=membership,
            roles=form.cleaned_data["roles"],
        )
    return redirect(_member_url(request, membership.pk))


@require_POST
@tenant_permission_required("roles.manage_members")
def member_suspend(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request=request, membership_id=membership_id)
    if "confirmed" not in request.POST:
        return confirm_page(
            request,
            title=_("Suspend member"),
            question=_("Suspend %(email)s? They lose access to this workspace at once.")
            % {"email": membership.user.email},
            button=_("Suspend"),
            cancel_url=_member_url(request, membership.pk),
        )
    _run(
        request,
        services.member_suspend,
        _("%(email)s is suspended.") % {"email": membership.user.email},
        membership=membership,
    )
    return redirect(_member_url(request, membership.pk))


@require_POST
@tenant_permission_required("roles.manage_members")
def member_reactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request=request, membership_id=membership_id)
    _run(
        request,
        services.member_reactivate,
        _("%(email)s is active again.") % {"email": membership.user.email},
        membership=membership,
    )
    return redirect(_member_url(request, membership.pk))


@require_POST
@tenant_permission_required("roles.manage_members")
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request=request, membership_id=membership_id)
    if "confirmed" not in request.POST:
        return confirm_page(
            request,
            title=_("Remove member"),
            question=_(
                "Remove %(email)s from this workspace? Their roles here are deleted; their "
                "account stays."
            )
            % {"email": membership.user.email},
            button=_("Remove"),
            cancel_url=_member_url(request, membership.pk),
        )
    removed = _run(
        request,
        services.member_remove,
        _("%(email)s was removed.") % {"email": membership.user.email},
        membership=membership,
    )
    return redirect(_members_url(request) if removed else _member_url(request, membership.pk))


@require_POST
@tenant_permission_required("roles.manage_members")
def member_transfer_ownership(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(request=request, membership_id=membership_id)
    form = OwnershipTransferForm(request.POST)
    keep_own = form.cleaned_data["keep_own"] if form.is_valid() else True
    if "confirmed" not in request.POST:
        question = (
            _("Make %(email)s an owner? You stay an owner too.")
            if keep_own
            else _("Make %(email)s the owner? You give up your own owner role.")
        )
        return confirm_page(
            request,
            title=_("Transfer ownership"),
            question=question % {"email": membership.user.email},
            button=_("Transfer ownership"),
            cancel_url=_member_url(request, membership.pk),
        )
    _run(
        request,
        services.ownership_transfer,
        _("%(email)s is now an owner.") % {"email": membership.user.email},
        tenant=request.tenant,  # type: ignore[attr-defined]
        new_owner=membership,
        keep_own=keep_own,
    )
    return redirect(_member_url(request, membership.pk))


# --- Invitations (tenant side) -------------------------------------------------------------------


@require_POST
@tenant_permission_required("roles.invite_member")
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST, roles=_grantable_roles(request))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_members_url(request))
    try:
        invitation, _token = services.invitation_create(
            tenant=request.tenant,  # type: ignore[attr-defined]
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect(_members_url(request))


@require_POST
@tenant_permission_required("roles.invite_member")
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_user(request=request, invitation_id=invitation_id)
    _run(
        request,
        lambda **kwargs: services.invitation_resend(**kwargs),
        _("The invitation to %(email)s was sent again; the earlier link no longer works.")
        % {"email": invitation.email},
        invitation=invitation,
    )
    return redirect(_members_url(request))


@require_POST
@tenant_permission_required("roles.invite_member")
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_user(request=request, invitation_id=invitation_id)
    if "confirmed" not in request.POST:
        return confirm_page(
            request,
            title=_("Revoke invitation"),
            question=_("Revoke the invitation to %(email)s? Its link stops working.")
            % {"email": invitation.email},
            button=_("Revoke"),
            cancel_url=_members_url(request),
        )
    _run(
        request,
        services.invitation_revoke,
        _("The invitation to %(email)s was revoked.") % {"email": invitation.email},
        invitation=invitation,
    )
    return redirect(_members_url(request))


# --- Accepting (public site) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The accept link from the e-mail (public: the invitee may have no account yet).

    A logged-in user with the invited address joins with one click; a logged-in user with
    another address is told to log out first; an existing user who is logged out logs in and
    comes back here; a new user sets a name and password here and is logged in.
    """
    invitation = selectors.invitation_get_by_token(token=token)
    if invitation is None or not invitation.is_open:
        state = invitation.state if invitation is not None else "invalid"
        return render(
            request,
            "accounts/invite_invalid.html",
            {"state": state, "invitation": invitation},
            status=404 if invitation is None else 410,
        )
    context: dict[str, Any] = {
        "invitation": invitation,
        "tenant": invitation.tenant,
        "role_label": ROLE_LABELS.get(invitation.role, invitation.role),
    }
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["mode"] = "wrong_user"
            return render(request, "accounts/invite.html", context, status=403)
        if request.method == "POST":
            try:
                services.invitation_accept(token=token, user=user)
            except ValidationError as error:
                context.update(mode="join", error=_error_text(error))
                return render(request, "accounts/invite.html", context, status=409)
            messages.success(
                request, _("Welcome to %(tenant)s.") % {"tenant": invitation.tenant.name}
            )
            return redirect(invitation.tenant.path)
        context["mode"] = "join"
        return render(request, "accounts/invite.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    form = InvitationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_user, _membership = services.invitation_accept_as_new_user(
                token=token,
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            login(request, new_user, backend="accounts.backends.PlatformModelBackend")
            messages.success(
                request, _("Welcome to %(tenant)s.") % {"tenant": invitation.tenant.name}
            )
            return redirect(invitation.tenant.path)
    context.update(mode="signup", form=form)
    return render(request, "accounts/invite.html", context)
