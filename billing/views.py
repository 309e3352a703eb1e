"""Billing pages for a tenant's owners. Thin: each calls one service or selector."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tenants.models import Tenant

from . import services
from .plans import PLANS
from .selectors import billing_summary
from .stripe_api import StripeUnavailable


def _tenant(request: HttpRequest) -> Tenant:
    return request.tenant  # type: ignore[attr-defined]


def billing_owner_required(view: Any) -> Any:
    """Owners only: the permission roles.manage_billing in this tenant."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("roles.manage_billing"):
            raise PermissionDenied(_("Only the workspace's owners manage billing."))
        return view(request, *args, **kwargs)

    return wrapped


def _home(request: HttpRequest) -> str:
    return f"{_tenant(request).path}billing/"


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


@require_GET
@billing_owner_required
def overview(request: HttpRequest) -> HttpResponse:
    tenant = _tenant(request)
    try:
        summary = billing_summary(tenant=tenant)
        stripe_error = False
    except StripeUnavailable:
        summary, stripe_error = {"invoices": []}, True
    context = {
        "tenant": tenant,
        "plans": list(PLANS.values()),
        "current_plan": PLANS.get(tenant.plan),
        "seats_used": services.billing_active_seats(tenant=tenant),
        "stripe_error": stripe_error,
        **summary,
    }
    return render(request, "billing/overview.html", context)


def _run(request: HttpRequest, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except StripeUnavailable:
        messages.error(request, _("Stripe cannot be reached right now: please try again."))
    else:
        messages.success(request, success)
    return redirect(_home(request))


@require_POST
@billing_owner_required
def checkout(request: HttpRequest) -> HttpResponse:
    tenant = _tenant(request)
    plan = request.POST.get("plan", "")
    if plan not in PLANS:
        messages.error(request, _("Choose one of the plans."))
        return redirect(_home(request))
    try:
        url = services.checkout_start(
            tenant=tenant,
            plan_code=plan,
            actor=request.user,
            success_url=_absolute(request, f"{_home(request)}checkout/success/")
            + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=_absolute(request, _home(request)),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_home(request))
    except StripeUnavailable:
        messages.error(request, _("Stripe cannot be reached right now: please try again."))
        return redirect(_home(request))
    return redirect(url)


@require_GET
@billing_owner_required
def checkout_success(request: HttpRequest) -> HttpResponse:
    """Stripe's redirect after payment: sync now, so the page is right before the webhook lands."""
    session_id = request.GET.get("session_id", "")
    if not session_id:
        return redirect(_home(request))
    return _run(
        request,
        lambda: services.checkout_complete(
            tenant=_tenant(request), session_id=session_id, actor=request.user
        ),
        _("Thank you: your subscription is active."),
    )


@require_POST
@billing_owner_required
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = services.portal_open(
            tenant=_tenant(request), return_url=_absolute(request, _home(request))
        )
    except StripeUnavailable:
        messages.error(request, _("Stripe cannot be reached right now: please try again."))
        return redirect(_home(request))
    return redirect(url)


@require_POST
@billing_owner_required
def change_plan(request: HttpRequest) -> HttpResponse:
    plan = request.POST.get("plan", "")
    if plan not in PLANS:
        messages.error(request, _("Choose one of the plans."))
        return redirect(_home(request))
    return _run(
        request,
        lambda: services.plan_change(tenant=_tenant(request), plan_code=plan, actor=request.user),
        _("Plan changed. The difference is prorated on the next invoice."),
    )


@require_POST
@billing_owner_required
def cancel(request: HttpRequest) -> HttpResponse:
    return _run(
        request,
        lambda: services.subscription_cancel(tenant=_tenant(request), actor=request.user),
        _("The subscription will end at the close of the current period."),
    )


@require_POST
@billing_owner_required
def reactivate(request: HttpRequest) -> HttpResponse:
    return _run(
        request,
        lambda: services.subscription_reactivate(tenant=_tenant(request), actor=request.user),
        _("The subscription continues."),
    )


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    """The public pricing page, rendered from the plan catalog."""
    return render(request, "public/pricing.html", {"plans": list(PLANS.values())})
