"""The Celery app: Redis broker, tasks that run in the schema they were sent from.

tenant-schemas-celery records the current schema when a task is sent and switches to it in the
worker, so a task sent inside a tenant runs in that tenant; one sent from public runs in public.
The beat schedule below is the only place periodic tasks are declared.
"""

import os

from celery.schedules import crontab
from tenant_schemas_celery.app import CeleryApp

from modules.beat import beat_schedule_merger

# The local and test settings start the embedded servers themselves when their URLs are unset.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("tenanthawk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, in one place. django-celery-beat's DatabaseScheduler copies them into the
# database at start-up, where operators can see them in the superadmin.
BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "core-heartbeat": {
        "task": "core.tasks.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    # Trial ends, suspensions, reminders and deletions (tenants/policy.py). Hourly: every step
    # only touches tenants that are due, and a Stripe outage is simply retried next hour.
    "tenants-lifecycle-policy": {
        "task": "tenants.tasks.lifecycle_policy_run",
        "schedule": crontab(minute=7),
    },
}
# Modules declare theirs in their hooks.py; merged in when the app is finalized (docs/modules.md).
app.on_after_finalize.connect(beat_schedule_merger(BEAT_SCHEDULE), weak=False)
app.conf.beat_schedule = BEAT_SCHEDULE
