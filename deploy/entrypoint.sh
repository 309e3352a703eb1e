#!/bin/sh
# Entry point of the TenantHawk image. The first argument picks the role:
#   web      gunicorn (config.wsgi), settings from the environment (deploy/gunicorn_conf.py)
#   worker   celery -A config worker
#   beat     celery -A config beat (run exactly one)
#   migrate  migrate_schemas: public, the template schema, then every tenant; then exits
# Anything else is executed as given (`docker compose run --rm web python manage.py shell`).
# Only the one-shot `migrate` service migrates: web, worker and beat never do, so several
# replicas starting together never race on the schema.
set -eu

role="${1:-web}"
case "$role" in
  web)
    shift || true
    exec gunicorn config.wsgi --config python:deploy.gunicorn_conf --no-control-socket "$@"
    ;;
  worker)
    shift
    exec celery -A config worker --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_WORKER_CONCURRENCY:-2}" "$@"
    ;;
  beat)
    shift
    # DatabaseScheduler keeps the schedule in PostgreSQL: no schedule file to persist.
    exec celery -A config beat --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
      --schedule /tmp/celerybeat-schedule "$@"
    ;;
  migrate)
    shift
    # `migrate` is migrate_schemas here: public schema, template schema, then each tenant.
    python manage.py migrate --noinput "$@"
    exit 0
    ;;
  *)
    exec "$@"
    ;;
esac
