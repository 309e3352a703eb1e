from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Orders: a TenantHawk module. Tenant schema (TENANT_APPS via modules/installed.py)."""

    name = "modules.orders"
    label = "orders"
    verbose_name = "Orders"
    default_auto_field = "django.db.models.BigAutoField"
