"""The tenant admin, served under /t/<slug>/ (the prefix is added by the routing middleware)."""

from django.urls import include, path

from config.api import api
from core import views as core_views
from tenants import views as tenant_views

urlpatterns = [
    path("", tenant_views.home, name="tenant-home"),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("settings/", tenant_views.settings_page, name="tenant-settings"),
    path("billing/", include("billing.urls")),
    path("", include("accounts.urls_tenant")),  # members/, roles/
    path("api/", api.urls),  # API-key auth; exempt from the session gate
    path("", include("modules.urls")),  # /modules/ and every module under /m/<name>/, guarded
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
