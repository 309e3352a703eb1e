from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Global users, tenant memberships and API keys. Public schema (SHARED_APPS)."""

    name = "accounts"
    verbose_name = "Accounts"
