#!/usr/bin/env python
"""Time tenant provisioning (clone of the template schema + seeding) against the configured DB.

    python loadtest/bench_provisioning.py --tenants 20

Uses DATABASE_URL, or the embedded PostgreSQL when it is unset; migrates first if needed. The
tenants it creates are removed afterwards unless --keep is given. The last line is JSON:
{"tenants": N, "p50_ms": ..., "p95_ms": ..., "max_ms": ...}
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave the tenants in the database")
    args = parser.parse_args()
    if args.tenants < 1:
        parser.error("--tenants must be at least 1")

    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import schema_exists

    from accounts.services import user_create
    from tenants.models import Domain, Tenant
    from tenants.schema import schema_drop, template_schema_name
    from tenants.services import tenant_provision

    if not schema_exists(template_schema_name()):
        call_command("migrate", interactive=False, verbosity=0)

    run = secrets.token_hex(3)
    owner = user_create(email=f"bench-{run}@bench.example", password=secrets.token_urlsafe(16))
    timings: list[float] = []
    created: list[Tenant] = []
    try:
        for index in range(args.tenants):
            started = time.perf_counter()
            tenant = tenant_provision(
                name=f"Bench {index}", slug=f"bench-{run}-{index}", owner=owner
            )
            timings.append((time.perf_counter() - started) * 1000)
            created.append(tenant)
    finally:
        if not args.keep:
            for tenant in created:
                schema_drop(tenant.schema_name)
                Domain.objects.filter(tenant=tenant).delete()
                tenant.memberships.all().delete()
                Tenant.objects.filter(pk=tenant.pk).delete()
            owner.memberships.all().delete()
            owner.delete()

    result = {
        "tenants": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
    }
    print(f"provisioned {len(timings)} tenants (clone of {template_schema_name()!r} + seeding)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
