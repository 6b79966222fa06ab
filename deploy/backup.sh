#!/usr/bin/env bash
# Nightly database backup (deploy/systemd/soket-backup.timer): `pg_dump -Fc` of DATABASE_URL into
# BACKUP_DIR as soket-YYYYmmdd-HHMMSS.dump, readable by its owner only (it holds password hashes),
# checked to read back (pg_restore --list), then dumps older than BACKUP_KEEP_DAYS days deleted.
# This is the production backup; `manage.py backup` is for moving terms between installations.
set -euo pipefail
umask 077
: "${DATABASE_URL:?DATABASE_URL is not set: run with the environment of /etc/soket/soket.env}"
dir="${BACKUP_DIR:-/var/backups/soket}"
keep="${BACKUP_KEEP_DAYS:-14}"
mkdir -p "$dir"
chmod 0700 "$dir"
stamp=$(date +%Y%m%d-%H%M%S)
final="$dir/soket-$stamp.dump"
partial="$dir/.soket-$stamp.dump.partial"
trap 'rm -f "$partial"' EXIT
started=$(date +%s)
# libpq reads postgres://user:password@host:port/name?host=/socket URLs as they are.
pg_dump --format=custom --compress=6 --file="$partial" --dbname="$DATABASE_URL"
pg_restore --list "$partial" >/dev/null   # a dump that does not read back is no backup
chmod 0600 "$partial"
mv "$partial" "$final"
find "$dir" -maxdepth 1 -name 'soket-*.dump' -type f -mtime +"$keep" -print -delete | sed 's/^/deleted /'
echo "backup: $final ($(du -h "$final" | cut -f1), $(( $(date +%s) - started )) s)"
