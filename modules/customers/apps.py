from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Customers: a TenantHawk module. Tenant schema (TENANT_APPS via modules/installed.py)."""

    name = "modules.customers"
    label = "customers"
    verbose_name = "Customers"
    default_auto_field = "django.db.models.BigAutoField"
