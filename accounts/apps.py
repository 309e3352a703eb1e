from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Global users, tenant memberships and API keys. Public schema (SHARED_APPS)."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account import signals as allauth_signals
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import pre_delete

        from core.signals import tenant_deleted

        from . import receivers
        from .models import User

        for signal, name in (
            (allauth_signals.password_changed, "changed"),
            (allauth_signals.password_set, "set"),
            (allauth_signals.password_reset, "reset"),
        ):
            signal.connect(
                receivers.on_password_changed, dispatch_uid=f"accounts.sessions.password_{name}"
            )
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="accounts.sessions.logout")
        pre_delete.connect(
            receivers.on_user_deleted, sender=User, dispatch_uid="accounts.sessions.user_deleted"
        )
        tenant_deleted.connect(receivers.on_tenant_deleted, dispatch_uid="accounts.tenant_deleted")
