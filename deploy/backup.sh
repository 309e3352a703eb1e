#!/bin/sh
# Nightly backup of the TenantHawk stack: the whole PostgreSQL database (every tenant schema,
# public, the template schema) and LiteLLM's database as pg_dump custom-format files, plus the
# n8n volume. Run from the repository root on the server, e.g. from cron (runbooks/backup-restore.md):
#   15 2 * * * cd /srv/tenanthawk && deploy/backup.sh >> /var/log/tenanthawk-backup.log 2>&1
# Keeps BACKUP_KEEP_DAYS (default 14) days locally; copy BACKUP_DIR off the machine as well.
set -eu

compose="docker compose -f deploy/compose.yaml --env-file deploy/.env.production"
backup_dir="${BACKUP_DIR:-deploy/backups}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$backup_dir"

# pg_dump runs inside the db container (same major version as the server). -Fc: compressed,
# restorable table by table or schema by schema with pg_restore.
$compose exec -T db sh -c 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Fc' \
  > "$backup_dir/tenanthawk-$stamp.dump"
$compose exec -T db sh -c 'pg_dump -U "$POSTGRES_USER" -d litellm -Fc' \
  > "$backup_dir/litellm-$stamp.dump"
# n8n: SQLite database and settings (credentials inside stay encrypted with N8N_ENCRYPTION_KEY).
$compose exec -T n8n tar -C /home/node/.n8n -czf - . > "$backup_dir/n8n-$stamp.tar.gz"

# A dump that pg_restore cannot list is not a backup: fail loudly now, not on restore day.
for dump in "$backup_dir/tenanthawk-$stamp.dump" "$backup_dir/litellm-$stamp.dump"; do
  $compose exec -T db pg_restore --list < "$dump" > /dev/null
done

find "$backup_dir" -type f \( -name '*.dump' -o -name '*.tar.gz' \) -mtime +"$keep_days" -delete
echo "backup $stamp written to $backup_dir"
