"""Users in the superadmin, with their memberships; impersonation through django-hijack."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from hijack.contrib.admin import HijackUserAdminMixin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("tenant", "status", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("tenant",)


@admin.register(User)
class UserAdmin(HijackUserAdminMixin, DjangoUserAdmin):
    """Superusers may impersonate a user (HIJACK_PERMISSION_CHECK); each start is audited."""

    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined", "tenant_count")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name", "memberships__tenant__slug")
    inlines = [MembershipInline]
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "language")}),
        (
            _("Platform rights"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    @admin.display(description=_("tenants"))
    def tenant_count(self, obj: User) -> int:
        return obj.memberships.count()

    def get_hijack_success_url(self, request: Any, obj: User) -> str:
        membership = obj.memberships.select_related("tenant").first()
        return membership.tenant.path if membership else "/"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "tenant", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("user__email", "tenant__slug", "tenant__name")
    list_select_related = ("user", "tenant")
    raw_id_fields = ("user",)
