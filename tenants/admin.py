"""Tenants in the superadmin: state, plan, seats, dates; lifecycle actions; the overview page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.plans import PLANS

from .lifecycle import tenant_transition
from .models import Domain, Tenant

State = Tenant.State
TRIAL_EXTENSION = dt.timedelta(days=14)
SCHEDULED_DELETION = dt.timedelta(days=7)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "state",
        "plan",
        "seats_used",
        "trial_ends_at",
        "grace_ends_at",
        "created_at",
    )
    list_filter = ("state", "plan", "created_at")
    search_fields = ("name", "slug", "billing_email", "stripe_customer_id")
    readonly_fields = (
        "schema_name",
        "state",
        "stripe_customer_id",
        "stripe_subscription_id",
        "notices",
        "created_at",
        "updated_at",
    )
    fields = (
        "name",
        "slug",
        "schema_name",
        "state",
        "plan",
        "billing_email",
        "trial_ends_at",
        "grace_ends_at",
        "stripe_customer_id",
        "stripe_subscription_id",
        "notices",
        "created_at",
        "updated_at",
    )
    inlines = [DomainInline]
    actions = ["extend_trial", "suspend", "reactivate", "schedule_deletion", "delete_now"]
    change_list_template = "admin/tenants/tenant/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tenant]:
        return (
            super()
            .get_queryset(request)
            .exclude(schema_name="public")
            .annotate(_seats=Count("memberships", filter=Q(memberships__status="active")))
        )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting a row would skip archive and cascade
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("seats"), ordering="_seats")
    def seats_used(self, obj: Tenant) -> str:
        plan = PLANS.get(obj.plan)
        return f"{getattr(obj, '_seats', 0)} / {plan.seats if plan else '?'}"

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Tenant], label: str, change: Any
    ) -> None:
        done = 0
        for tenant in queryset:
            try:
                change(tenant)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{tenant.slug}: {' '.join(error.messages)}", messages.ERROR
                )
        if done:
            self.message_user(
                request,
                _("%(action)s: %(count)s tenant(s).") % {"action": label, "count": done},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Extend the trial by 14 days"))
    def extend_trial(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        def change(tenant: Tenant) -> None:
            start = max(timezone.now(), tenant.trial_ends_at or timezone.now())
            tenant_transition(
                tenant=tenant,
                to_state=State.TRIAL,
                actor=request.user,
                reason="superadmin: trial extended",
                trial_ends_at=start + TRIAL_EXTENSION,
            )

        self._each(request, queryset, _("Trial extended"), change)

    @admin.action(description=gettext_lazy("Suspend (grace period starts)"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._each(
            request,
            queryset,
            _("Suspended"),
            lambda t: tenant_transition(
                tenant=t, to_state=State.SUSPENDED, actor=request.user, reason="superadmin"
            ),
        )

    @admin.action(description=gettext_lazy("Reactivate"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._each(
            request,
            queryset,
            _("Reactivated"),
            lambda t: tenant_transition(
                tenant=t, to_state=State.ACTIVE, actor=request.user, reason="superadmin"
            ),
        )

    @admin.action(description=gettext_lazy("Schedule deletion in 7 days"))
    def schedule_deletion(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._each(
            request,
            queryset,
            _("Deletion scheduled"),
            lambda t: tenant_transition(
                tenant=t,
                to_state=State.SUSPENDED,
                actor=request.user,
                reason="superadmin: deletion scheduled",
                grace_ends_at=timezone.now() + SCHEDULED_DELETION,
            ),
        )

    @admin.action(description=gettext_lazy("Delete now…"))
    def delete_now(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Delete one tenant at a time."), messages.ERROR)
            return None
        tenant = queryset.get()
        return redirect(reverse("admin:tenants_tenant_delete_now", args=[tenant.pk]))

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="tenants_tenant_overview",
            ),
            path(
                "<int:pk>/delete-now/",
                self.admin_site.admin_view(self.delete_now_view),
                name="tenants_tenant_delete_now",
            ),
        ]
        return extra + super().get_urls()

    def delete_now_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Type the slug to confirm: archive, drop and delete the tenant at once."""
        from .deletion import ArchiveError, tenant_delete_cascade

        if not request.user.is_superuser:
            return redirect("admin:index")
        tenant = get_object_or_404(Tenant.objects.exclude(schema_name="public"), pk=pk)
        error = ""
        if request.method == "POST":
            if request.POST.get("confirm_slug", "").strip() != tenant.slug:
                error = _("Type the slug exactly to confirm.")
            elif tenant.state == State.DELETED:
                error = _("This tenant is already deleted.")
            else:
                try:
                    archive = tenant_delete_cascade(
                        tenant=tenant, actor=request.user, reason="superadmin: delete now"
                    )
                except (ArchiveError, ValidationError) as failure:
                    error = str(failure)
                else:
                    self.message_user(
                        request,
                        _("%(slug)s deleted; archive %(archive)s")
                        % {"slug": tenant.slug, "archive": archive.name},
                    )
                    return redirect("admin:tenants_tenant_changelist")
        context = {
            **self.admin_site.each_context(request),
            "tenant": tenant,
            "error": error,
            "title": _("Delete %(name)s") % {"name": tenant.name},
            "opts": self.model._meta,
        }
        return render(request, "admin/tenants/tenant/delete_now.html", context)

    def overview_view(self, request: HttpRequest) -> HttpResponse:
        """Tenants by state, MRR from active subscriptions, signups per week."""
        tenants = Tenant.objects.exclude(schema_name="public")
        by_state = dict(tenants.values_list("state").annotate(n=Count("id")).order_by())
        active_by_plan = dict(
            tenants.filter(state=State.ACTIVE)
            .values_list("plan")
            .annotate(n=Count("id"))
            .order_by()
        )
        mrr = sum(
            PLANS[code].monthly_eur * n for code, n in active_by_plan.items() if code in PLANS
        )
        since = timezone.now() - dt.timedelta(weeks=12)
        signups = list(
            tenants.filter(created_at__gte=since)
            .annotate(week=TruncWeek("created_at"))
            .values("week")
            .annotate(n=Count("id"))
            .order_by("week")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Platform overview"),
            "states": [(label, by_state.get(value, 0)) for value, label in State.choices],
            "mrr": mrr,
            "active_by_plan": active_by_plan,
            "signups": signups,
            "currency": "EUR",
            "opts": self.model._meta,
            "archive_days": settings.TENANT_ARCHIVE_RETENTION_DAYS,
        }
        return render(request, "admin/tenants/tenant/overview.html", context)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "tenant", "is_primary")
    search_fields = ("domain", "tenant__name")
    list_select_related = ("tenant",)
