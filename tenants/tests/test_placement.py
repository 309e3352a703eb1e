"""Every model lives in a schema on purpose (ARCHITECTURE.md, "Tenancy")."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings


def _placement(model) -> tuple[bool, bool]:
    name = model._meta.app_config.name
    return name in settings.SHARED_APPS, name in settings.TENANT_APPS


def test_every_model_is_placed_in_shared_or_tenant_apps():
    unplaced = [
        model._meta.label for model in apps.get_models() if _placement(model) == (False, False)
    ]
    assert unplaced == [], f"put these apps in SHARED_APPS or TENANT_APPS: {unplaced}"


def test_no_foreign_key_from_a_shared_table_into_a_tenant_only_table():
    offenders = []
    for model in apps.get_models():
        shared, _ = _placement(model)
        if not shared:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            target_shared, _ = _placement(field.related_model)
            if not target_shared:
                offenders.append(
                    f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
                )
    assert offenders == []


def test_the_placement_check_can_fail():
    """The check above is real: a tenant-only model is reported as not shared."""
    from accounts.roles.models import Member

    assert _placement(Member) == (False, True)
