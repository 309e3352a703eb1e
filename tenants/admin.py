from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Domain, Tenant


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "state", "trial_ends_at", "grace_ends_at", "created_at")
    list_filter = ("state",)
    search_fields = ("name", "slug")
    readonly_fields = ("schema_name", "created_at", "updated_at")
    inlines = [DomainInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tenant]:
        return super().get_queryset(request).exclude(schema_name="public")


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "tenant", "is_primary")
    search_fields = ("domain", "tenant__name")
    list_select_related = ("tenant",)
