#!/usr/bin/env bash
# Install the Debian packages the test suite uses, when missing and when we can (root + apt).
set -u
need=()
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v msgfmt >/dev/null || need+=(gettext)
command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)  # scripts/with-redis.sh starts one when 6379 is free
# deploy/'s checks (tests/test_deploy.py): the units, the nginx site, its test certificate.
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { need+=(nginx-light); installs_nginx=1; }
command -v openssl >/dev/null || need+=(openssl)
command -v pg_dump >/dev/null || need+=(postgresql-client)
command -v java >/dev/null || need+=(default-jre-headless)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
[ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)  # the workbook's Calc round trip
/usr/bin/python3 -c "import uno" 2>/dev/null || need+=(python3-uno)  # … and typing into it
ldconfig -p 2>/dev/null | grep -q "libcairo.so.2" || need+=(libcairo2)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# WeasyPrint subsets the PDF's fonts with HarfBuzz when it finds this library, else with the slower fontTools.
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || need+=(libharfbuzz-subset0)
command -v npm >/dev/null || need+=(npm)
fc-list 2>/dev/null | grep -q "Liberation Serif" || need+=(fonts-liberation2)
fc-list 2>/dev/null | grep -q "DejaVu Sans" || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "WARNING: could not install ${need[*]}; tests that need them will skip (and fail under CI)."
  # The tests only run nginx's binary (nginx -t, and on loopback ports): the service Debian starts on
  # port 80 at install is not wanted on a test machine.
  if [ "${installs_nginx:-0}" = 1 ] && command -v systemctl >/dev/null; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
else
  echo "WARNING: missing system packages (${need[*]}) and not root: tests needing them will SKIP."
fi
exit 0
