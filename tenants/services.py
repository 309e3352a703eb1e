"""Writes on tenants: provisioning and (later) the lifecycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.services import audit_record

from .models import RESERVED_SLUGS, Domain, Tenant, slug_validator
from .schema import schema_clone

DEFAULT_TRIAL_DAYS = 14


def tenant_validate_new(*, name: str, slug: str) -> None:
    """Raise ValidationError, keyed by field, if a tenant cannot be created with these values."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors.setdefault("name", []).append(_("A name is required."))
    elif len(name) > 100:
        errors.setdefault("name", []).append(_("At most 100 characters."))
    try:
        slug_validator(slug)
    except ValidationError as error:
        errors.setdefault("slug", []).extend(error.messages)
    else:
        if slug in RESERVED_SLUGS:
            errors.setdefault("slug", []).append(_("This address is reserved."))
        elif Tenant.objects.filter(slug=slug).exists():
            errors.setdefault("slug", []).append(_("This address is already taken."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tenant_provision(
    *,
    name: str,
    slug: str,
    owner: Any = None,
    trial_days: int = DEFAULT_TRIAL_DAYS,
    actor: Any = None,
) -> Tenant:
    """Create a tenant on a trial: its row, its /t/<slug>/ route and its schema, cloned.

    The schema is a copy of the template (tenants/schema.py), which already holds the built-in
    roles; this adds the owner (if given) and the first audit event. One transaction: a failure
    leaves no row and no schema behind.
    """
    name = name.strip()
    tenant_validate_new(name=name, slug=slug)
    if trial_days < 0:
        raise ValidationError({"trial_days": [_("The trial cannot be negative.")]})
    tenant = Tenant(
        schema_name=Tenant.schema_name_for(slug),
        name=name,
        slug=slug,
        state=Tenant.State.TRIAL,
        trial_ends_at=timezone.now() + dt.timedelta(days=trial_days),
    )
    tenant.save()
    Domain.objects.create(domain=slug, tenant=tenant, is_primary=True)
    schema_clone(tenant.schema_name)
    audit_record(action="tenant.provisioned", actor=actor, target=tenant, after={"slug": slug})

    with schema_context(tenant.schema_name):
        audit_record(action="tenant.created", actor=actor, target=tenant, after={"name": name})

    if owner is not None:
        from accounts.roles.definitions import OWNER
        from accounts.services import membership_add

        membership_add(user=owner, tenant=tenant, role=OWNER, actor=actor)
    return tenant


@transaction.atomic
def tenant_update_settings(
    *, tenant: Tenant, name: str, eu_data_residency: bool, actor: Any = None
) -> Tenant:
    """Change the tenant's display name and its EU data residency requirement."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("A name is required.")]})
    if len(name) > 100:
        raise ValidationError({"name": [_("At most 100 characters.")]})
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    before = {"name": locked.name, "eu_data_residency": locked.eu_data_residency}
    after = {"name": name, "eu_data_residency": eu_data_residency}
    if before == after:
        return locked
    locked.name = name
    locked.eu_data_residency = eu_data_residency
    locked.save(update_fields=["name", "eu_data_residency", "updated_at"])
    with schema_context(locked.schema_name):
        audit_record(
            action="tenant.settings_changed", actor=actor, target=locked, before=before, after=after
        )
    return locked
