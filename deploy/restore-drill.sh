#!/usr/bin/env bash
# The restore drill: restore a dump made by deploy/backup.sh into a scratch database and check that
# the site reads it, without touching the live database. Run it monthly, and before trusting a
# backup routine. Usage (as a PostgreSQL role that may create databases, e.g. postgres):
#   deploy/restore-drill.sh /var/backups/soket/soket-YYYYmmdd-HHMMSS.dump [ADMIN_URL]
# DUMP may be - to read the dump from stdin (the backups are 0600 and owned by soket; the drill
# runs as postgres: `cat DUMP | runuser -u postgres -- … restore-drill.sh -`).
# ADMIN_URL (default postgres:///postgres, the local socket) is where the scratch database
# soket_restore_drill is created; it is dropped at the end. Prints what the restored site holds.
set -euo pipefail
dump="${1:?usage: restore-drill.sh DUMP [ADMIN_URL]}"
admin="${2:-postgres:///postgres}"
scratch="${DRILL_DATABASE:-soket_restore_drill}"
here="$(cd "$(dirname "$0")/.." && pwd)"
# The site's settings (SECRET_KEY…) from the one environment file, when this user may read it.
env_file="${ENV_FILE:-/etc/soket/soket.env}"
if [ -r "$env_file" ]; then set -a; . "$env_file"; set +a; fi
python="${PYTHON:-$here/.venv/bin/python}"
# The admin URL with the scratch database's name. Built by hand: urlunsplit drops the `//` of a URL
# with no host (postgres:///postgres, the local socket) and libpq then takes it for a database name.
scratch_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(f"{p.scheme}://{p.netloc}/{sys.argv[2]}" + (f"?{p.query}" if p.query else ""))' "$admin" "$scratch")
psql --no-psqlrc -q -v ON_ERROR_STOP=1 -d "$admin" -c "DROP DATABASE IF EXISTS $scratch" -c "CREATE DATABASE $scratch LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' TEMPLATE template0"
trap 'psql --no-psqlrc -q -d "$admin" -c "DROP DATABASE IF EXISTS $scratch WITH (FORCE)"' EXIT
started=$(date +%s)
# --no-owner: the scratch database belongs to whoever runs the drill, whatever owned the original.
if [ "$dump" = - ]; then
  pg_restore --no-owner --no-acl --exit-on-error --dbname="$scratch_url"
else
  pg_restore --no-owner --no-acl --exit-on-error --dbname="$scratch_url" "$dump"
fi
echo "restored $dump in $(( $(date +%s) - started )) s"
# The site itself reads the restored database: schema complete, then what it holds.
export DATABASE_URL="$scratch_url" MIGRATION_CHECK=1
"$python" "$here/manage.py" check_migrations
"$python" "$here/manage.py" shell --no-imports -c '
from django.contrib.auth import get_user_model
from indicators.models import Assessment, Committee, Term
print("terms", Term.objects.count(), "committees", Committee.objects.count(),
      "assessments", Assessment.objects.count(), "users", get_user_model().objects.count())
'
