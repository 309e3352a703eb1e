from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """Orders: a TenantHawk module. Tenant schema (TENANT_APPS via modules/installed.py)."""

    name = "modules.orders"
    label = "orders"
    verbose_name = _("Orders")
    default_auto_field = "django.db.models.BigAutoField"
