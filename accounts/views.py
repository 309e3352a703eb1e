"""Public pages of the accounts app: the workspace picker, a new workspace, the sessions list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tenants.services import tenant_provision

from .forms import WorkspaceCreateForm
from .selectors import memberships_for_user
from .sessions import session_end, sessions_end_for_user, sessions_list_for_user


@login_required
@require_http_methods(["GET"])
def workspaces(request: HttpRequest) -> HttpResponse:
    """The tenant picker; with no workspace, a page saying so with a link to create one."""
    memberships = list(memberships_for_user(user=request.user))
    return render(request, "accounts/workspaces.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def workspace_create(request: HttpRequest) -> HttpResponse:
    form = WorkspaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tenant = tenant_provision(
            name=form.cleaned_data["company_name"],
            slug=form.cleaned_data["workspace"],
            owner=request.user,
            actor=request.user,
        )
        return redirect(tenant.path)
    return render(request, "accounts/workspace_create.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def sessions(request: HttpRequest) -> HttpResponse:
    items = sessions_list_for_user(user=request.user, current_key=request.session.session_key)
    return render(request, "accounts/sessions.html", {"sessions": items})


@login_required
@require_POST
def session_end_view(request: HttpRequest, session_id: str) -> HttpResponse:
    if not session_end(user=request.user, session_id=session_id):
        raise Http404("No such session.")
    messages.success(request, _("The session was ended."))
    return redirect("account_sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = sessions_end_for_user(request.user, except_key=request.session.session_key)
    messages.success(
        request,
        ngettext(
            "Signed out of %(count)d other session.",
            "Signed out of %(count)d other sessions.",
            count,
        )
        % {"count": count},
    )
    return redirect("account_sessions")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """My account: name and language, with links to e-mail, password, 2FA and sessions."""
    from .forms import ProfileForm
    from .services import user_update_profile

    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = user_update_profile(
            user=request.user,  # type: ignore[arg-type]
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
        )
        response = redirect("account_profile")
        if user.language:
            translation.activate(user.language)
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        messages.success(request, _("Your profile was saved."))
        return response
    return render(request, "accounts/profile.html", {"form": form})
