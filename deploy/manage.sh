#!/usr/bin/env bash
# manage.py with the production settings: reads the one environment file (/etc/soket/soket.env, or
# $ENV_FILE) and, when started by root, runs as the soket user, e.g.
#   /srv/soket/deploy/manage.sh grant_many /var/lib/soket/accounts.xlsx --term 2025-2030 --passwords …
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" = 0 ] && id soket >/dev/null 2>&1; then
  exec runuser -u soket -- "$0" "$@"
fi
env_file=${ENV_FILE:-/etc/soket/soket.env}
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
cd "$here"
exec "${PYTHON:-$here/.venv/bin/python}" manage.py "$@"
