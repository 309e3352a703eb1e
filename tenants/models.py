"""Tenants and their URL slugs. Public schema (SHARED_APPS)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from billing.plans import BASE, PLAN_CHOICES

SLUG_PATTERN = r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$"
slug_validator = RegexValidator(
    SLUG_PATTERN,
    _("3 to 40 characters: lowercase letters, digits and hyphens, starting with a letter."),
)
# Slugs that would shadow a schema or read as something official.
RESERVED_SLUGS = frozenset(
    {
        "public",
        "template",
        "tenant-template",
        "admin",
        "superadmin",
        "api",
        "www",
        "static",
        "media",
        "accounts",
        "billing",
        "stripe",
        "healthz",
        "pg-catalog",
        "information-schema",
    }
)


class Tenant(TenantMixin):
    """A customer: one PostgreSQL schema, a lifecycle state, a trial and a grace period."""

    class State(models.TextChoices):
        TRIAL = "trial", _("Trial")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Past due")
        EXPIRED = "expired", _("Expired")
        CANCELED = "canceled", _("Canceled")
        SUSPENDED = "suspended", _("Suspended")
        DELETED = "deleted", _("Deleted")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, validators=[slug_validator])
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.TRIAL, db_index=True
    )
    trial_ends_at = models.DateTimeField(_("trial ends"), null=True, blank=True)
    grace_ends_at = models.DateTimeField(_("grace period ends"), null=True, blank=True)
    plan = models.CharField(_("plan"), max_length=16, choices=PLAN_CHOICES, default=BASE)
    billing_email = models.EmailField(
        _("billing e-mail"),
        blank=True,
        help_text=_("Where Stripe sends invoices; empty means the first owner's address."),
    )
    # Stripe is the authority on billing; these ids are the pointers the lifecycle policy needs
    # for its live check without joining dj-stripe's mirror.
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    # Lifecycle e-mails already sent in the current period (key -> ISO time): each goes once.
    notices = models.JSONField(default=dict, blank=True, editable=False)
    eu_data_residency = models.BooleanField(
        _("EU data residency"),
        default=False,
        help_text=_("Keep AI processing on EU-hosted models only (used by the AI integration)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Provisioning clones the template schema itself (tenants/schema.py); deletion archives the
    # schema before dropping it. Neither may happen as a side effect of save() or delete().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        # The lifecycle policy asks "who is due?" by state and date: these keep that an index scan
        # however many tenants there are.
        indexes = [
            models.Index(fields=["state", "trial_ends_at"], name="tenant_state_trial_idx"),
            models.Index(fields=["state", "grace_ends_at"], name="tenant_state_grace_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def email(self) -> str:
        """The billing address (dj-stripe's subscriber model needs an `email`)."""
        if self.billing_email:
            return self.billing_email
        from .lifecycle import tenant_owner_emails

        owners = tenant_owner_emails(tenant=self) if not self.is_public else []
        return owners[0] if owners else ""

    @staticmethod
    def schema_name_for(slug: str) -> str:
        return "t_" + slug.replace("-", "_")

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"

    @property
    def path(self) -> str:
        """The tenant's home, under the /t/ prefix."""
        return f"/t/{self.slug}/"


class Domain(DomainMixin):
    """The routing key: django-tenants' subfolder routing looks the /t/<slug>/ part up here."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain
