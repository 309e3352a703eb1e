#!/bin/sh
# LiteLLM's own role and database (virtual keys, budgets, spend), separate from TenantHawk's.
# The postgres image runs this only when pg_data is empty; for an existing volume run the same
# two statements by hand (deploy/runbooks/go-live.md, "LiteLLM database").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v litellm_password="$LITELLM_DB_PASSWORD" <<'SQL'
CREATE ROLE litellm LOGIN PASSWORD :'litellm_password';
CREATE DATABASE litellm OWNER litellm;
SQL
