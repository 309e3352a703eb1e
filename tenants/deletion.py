"""Cascade delete of a tenant, archive first, and restoring one from its archive.

Deleting: `pg_dump -n <schema> -Fc` into TENANT_ARCHIVE_DIR with a JSON sidecar (the tenant's
fields and its members' e-mails and roles), then in one transaction: drop the schema, delete the
users left with no other tenant, delete the memberships, mark the row "deleted" (a tombstone; its
Domain goes, so /t/<slug>/ answers 404), audit in public and send core.signals.tenant_deleted
(sessions and API keys are revoked by its receivers). A failed dump deletes nothing.

Restoring: pg_restore the schema, drop rows that point at users who no longer exist (or re-point
them by e-mail), recreate the Domain and the memberships of users who still exist, and bring the
tenant back "suspended" with a fresh grace period, so an owner can reactivate billing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from core.services import audit_record
from core.signals import tenant_deleted

from .lifecycle import tenant_owner_emails, tenant_transition
from .models import Domain, Tenant
from .schema import schema_drop

logger = logging.getLogger(__name__)


class ArchiveError(Exception):
    """pg_dump / pg_restore failed, or an archive is unusable."""


def pg_binary(name: str) -> str:
    """pg_dump/pg_restore from the pgserver wheel when installed (matches the embedded server,
    and is new enough for older servers), else the one on PATH."""
    try:
        import pgserver

        candidate = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise ArchiveError(f"{name} not found: install the PostgreSQL client tools")
    return found


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict  # the live connection's (a test run's database name too)
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGUSER": str(db.get("USER") or "postgres")}
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host")
    if host:
        env["PGHOST"] = str(host)
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ArchiveError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:2000]}")


def archive_dir() -> Path:
    path = Path(settings.TENANT_ARCHIVE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _members(tenant: Tenant) -> list[dict[str, Any]]:
    from accounts.roles.models import Member

    with schema_context(tenant.schema_name):
        return [
            {
                "user_id": m.user_id,
                "email": m.user.email,
                "roles": sorted(r.name for r in m.roles.all()),
            }
            for m in Member.objects.select_related("user").prefetch_related("roles")
        ]


def tenant_archive(*, tenant: Tenant) -> Path:
    """Dump the tenant's schema (custom format) with a JSON sidecar; return the dump's path."""
    if not schema_exists(tenant.schema_name):
        raise ArchiveError(f"schema {tenant.schema_name} does not exist")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    dump = archive_dir() / f"{tenant.slug}-{stamp}.dump"
    _run([pg_binary("pg_dump"), "-n", tenant.schema_name, "-Fc", "--no-owner", "-f", str(dump)])
    sidecar = {
        "format": 1,
        "archived_at": timezone.now().isoformat(),
        "tenant": {
            "id": tenant.pk,
            "name": tenant.name,
            "slug": tenant.slug,
            "schema_name": tenant.schema_name,
            "plan": tenant.plan,
            "billing_email": tenant.billing_email,
            "stripe_customer_id": tenant.stripe_customer_id,
            "stripe_subscription_id": tenant.stripe_subscription_id,
            "created_at": tenant.created_at.isoformat(),
        },
        "members": _members(tenant),
    }
    dump.with_suffix(".json").write_text(json.dumps(sidecar, indent=2))
    return dump


def tenant_delete_cascade(*, tenant: Tenant, actor: Any = None, reason: str = "") -> Path:
    """Archive, then delete the tenant as one unit. Returns the archive's path.

    The dump runs before the transaction (pg_dump is another connection and needs committed
    data); if it fails nothing is deleted.
    """
    from accounts.models import Membership

    if tenant.is_public:
        raise ValueError("refusing to delete the public tenant")
    archive = tenant_archive(tenant=tenant)
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        owners = tenant_owner_emails(tenant=locked)
        user_ids = list(Membership.objects.filter(tenant=locked).values_list("user_id", flat=True))
        others = set(
            Membership.objects.filter(user_id__in=user_ids)
            .exclude(tenant=locked)
            .values_list("user_id", flat=True)
        )
        orphan_ids = [uid for uid in user_ids if uid not in others]
        Membership.objects.filter(tenant=locked).delete()
        with connection.cursor() as cursor:
            # Deleting rows queued deferred FK checks; run them now, or PostgreSQL refuses to
            # drop tables with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The schema goes first: with it go its rows that point at the users (Member, module
        # links), so the users left with no tenant can then be deleted from public.
        schema_drop(locked.schema_name)
        from accounts.services import user_delete

        for user in get_user_model().objects.filter(pk__in=orphan_ids):
            user_delete(user=user, actor=actor)
        Domain.objects.filter(tenant=locked).delete()
        tenant_transition(
            tenant=locked,
            to_state=Tenant.State.DELETED,
            actor=actor,
            reason=reason or "cascade delete",
            recipients=owners,
        )
        audit_record(
            action="tenant.deleted",
            actor=actor,
            target=locked,
            after={
                "archive": archive.name,
                "members": len(user_ids),
                "deleted_users": len(orphan_ids),
                "reason": reason,
            },
        )
        tenant_deleted.send(
            sender=Tenant, tenant=locked, user_ids=user_ids, deleted_user_ids=orphan_ids
        )
    tenant.state = Tenant.State.DELETED
    logger.info("tenant %s deleted; archive %s", tenant.slug, archive)
    return archive


def _tenant_user_foreign_keys() -> list[tuple[Any, Any]]:
    """(model, field) for every tenant-schema model with a foreign key to the user."""
    user_model = get_user_model()
    shared = set(settings.SHARED_APPS)
    found = []
    for model in apps.get_models():
        if model._meta.app_config.name in shared:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                found.append((model, field))
    return found


def tenant_restore(*, archive: Path, actor: Any = None) -> Tenant:
    """Bring a deleted tenant back from `archive` (a .dump with its .json sidecar)."""
    from accounts.models import Membership

    sidecar_path = archive.with_suffix(".json")
    if not archive.is_file() or not sidecar_path.is_file():
        raise ArchiveError(f"{archive} and its {sidecar_path.name} sidecar must both exist")
    meta = json.loads(sidecar_path.read_text())
    info = meta["tenant"]
    schema = info["schema_name"]
    tenant = Tenant.objects.filter(pk=info["id"]).first()
    if tenant is not None and tenant.state != Tenant.State.DELETED:
        raise ArchiveError(f"tenant {tenant.slug} is not deleted (state {tenant.state})")
    if Domain.objects.filter(domain=info["slug"]).exists():
        raise ArchiveError(f"the address {info['slug']} is in use by another tenant")
    if schema_exists(schema):
        raise ArchiveError(f"schema {schema} already exists: drop it or restore elsewhere")

    restore = [
        pg_binary("pg_restore"),
        "--no-owner",
        "-d",
        str(connection.settings_dict["NAME"]),
    ]
    _run([*restore, "--section=pre-data", str(archive)])
    try:
        _run([*restore, "--section=data", "--disable-triggers", str(archive)])
        User = get_user_model()
        by_email = {
            u.email: u.pk
            for u in User.objects.filter(email__in=[m["email"] for m in meta["members"]])
        }
        remap = {m["user_id"]: by_email.get(m["email"]) for m in meta["members"]}
        existing = set(User.objects.values_list("pk", flat=True))
        with schema_context(schema):
            for model, field in _tenant_user_foreign_keys():
                column = field.column
                for old, new in remap.items():
                    if new is not None and new != old:
                        model._base_manager.filter(**{column: old}).update(**{column: new})
                stale = model._base_manager.exclude(**{f"{column}__in": existing}).exclude(
                    **{f"{column}__isnull": True}
                )
                if field.null:
                    stale.update(**{column: None})
                else:
                    stale.delete()
        _run([*restore, "--section=post-data", str(archive)])
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        raise

    with transaction.atomic():
        if tenant is None:
            tenant = Tenant(
                pk=info["id"],
                name=info["name"],
                slug=info["slug"],
                schema_name=schema,
                state=Tenant.State.DELETED,
                plan=info.get("plan") or "base",
                billing_email=info.get("billing_email", ""),
                stripe_customer_id=info.get("stripe_customer_id", ""),
            )
            tenant.save()
        Domain.objects.create(domain=tenant.slug, tenant=tenant, is_primary=True)
        for member in meta["members"]:
            user_id = by_email.get(member["email"])
            if user_id is not None:
                Membership.objects.get_or_create(user_id=user_id, tenant=tenant)
        tenant_transition(
            tenant=tenant,
            to_state=Tenant.State.SUSPENDED,
            actor=actor,
            reason=f"restored from {archive.name}",
        )
        audit_record(
            action="tenant.restored", actor=actor, target=tenant, after={"archive": archive.name}
        )
    return tenant


def archives_prune(*, now: dt.datetime | None = None) -> int:
    """Delete archives older than TENANT_ARCHIVE_RETENTION_DAYS; return how many dumps went."""
    limit = (now or timezone.now()) - dt.timedelta(days=settings.TENANT_ARCHIVE_RETENTION_DAYS)
    folder = Path(settings.TENANT_ARCHIVE_DIR)
    if not folder.is_dir():
        return 0
    removed = 0
    for dump in folder.glob("*.dump"):
        if dt.datetime.fromtimestamp(dump.stat().st_mtime, tz=dt.UTC) < limit:
            dump.unlink(missing_ok=True)
            dump.with_suffix(".json").unlink(missing_ok=True)
            removed += 1
    return removed
