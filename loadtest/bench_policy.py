"""Benchmark one pass of the lifecycle policy over many tenant rows.

    python loadtest/bench_policy.py --tenants 10000

Creates N tenant rows (bulk_create, no schemas: nothing is due for them — trials that end in more
than 3 days, active and past-due tenants, suspended ones far from deletion), runs one policy pass,
deletes the rows and prints JSON as its last line:
{"tenants": N, "seconds": ..., "stripe_calls": ...}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from billing.stripe_api import calls
    from tenants.models import Tenant
    from tenants.policy import policy_run

    call_command("migrate", verbosity=0)  # the embedded database may be brand new
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    run = uuid.uuid4().hex[:6]
    now = timezone.now()
    states = [
        (Tenant.State.TRIAL, {"trial_ends_at": now + dt.timedelta(days=10)}),
        (Tenant.State.ACTIVE, {}),
        (Tenant.State.PAST_DUE, {}),
        (Tenant.State.SUSPENDED, {"grace_ends_at": now + dt.timedelta(days=12)}),
    ]
    rows = []
    for n in range(args.tenants):
        state, dates = states[n % len(states)]
        slug = f"bench-{run}-{n}"
        rows.append(
            Tenant(
                name=slug,
                slug=slug,
                schema_name=f"b_{run}_{n}",
                state=state,
                notices={"deletion_7d": "x"} if state == "suspended" else {},
                **dates,
            )
        )
    Tenant.objects.bulk_create(rows, batch_size=2000)
    try:
        before = calls.value
        started = time.perf_counter()
        report = policy_run()
        seconds = time.perf_counter() - started
        stripe_calls = calls.value - before
    finally:
        Tenant.objects.filter(slug__startswith=f"bench-{run}-").delete()
    touched = sum(len(v) for v in report.as_dict().values() if isinstance(v, list))
    print(
        f"policy pass over {args.tenants} tenants: {seconds:.3f} s, {touched} touched",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {"tenants": args.tenants, "seconds": round(seconds, 3), "stripe_calls": stripe_calls}
        )
    )


if __name__ == "__main__":
    main()
