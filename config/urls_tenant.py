"""The tenant admin, served under /t/<slug>/ (the prefix is added by the routing middleware)."""

from django.urls import include, path

from tenants import views as tenant_views

urlpatterns = [
    path("", tenant_views.home, name="tenant-home"),
    path("billing/", include("billing.urls")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
