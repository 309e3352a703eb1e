"""Everything outside /t/<slug>/: the public site, login, the superadmin, health, webhooks."""

from django.contrib import admin
from django.urls import include, path

from billing import views as billing_views
from billing.webhooks import stripe_webhook
from core import views as core_views

admin.site.site_header = "TenantHawk superadmin"
admin.site.site_title = "TenantHawk superadmin"
admin.site.index_title = "Platform"

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("healthz", core_views.healthz, name="healthz"),
    path("pricing/", billing_views.pricing, name="pricing"),
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("superadmin/hijack/", include("hijack.urls")),
    path("superadmin/", admin.site.urls),
    path("", include("accounts.urls")),  # workspaces/, accounts/sessions/
    path("", include("accounts.urls_invites")),  # invites/<token>/
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
