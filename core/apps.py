from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting pieces: the audit log, e-mail delivery, the public pages and health check.

    In both SHARED_APPS and TENANT_APPS: the audit table exists in the public schema (platform
    events) and in every tenant schema (that tenant's events).
    """

    name = "core"
    verbose_name = _("Core")
