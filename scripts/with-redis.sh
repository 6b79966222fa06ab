#!/usr/bin/env bash
# Runs a command with a Redis for the tests: the machine's on 127.0.0.1:6379 when it answers, else a
# throwaway redis-server (no persistence) on a free loopback port, stopped when the command ends.
# The tests read TEST_REDIS_URL (default redis://127.0.0.1:6379/0).
set -u
if [ -n "${TEST_REDIS_URL:-}" ] || (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  exec "$@"
fi
if ! command -v redis-server >/dev/null; then
  echo "WARNING: no Redis on 6379 and no redis-server (scripts/system-deps.sh installs it): the Redis tests will SKIP (fail under CI)."
  exec "$@"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" --daemonize no \
  --logfile "$dir/redis.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
echo "Started a throwaway Redis on 127.0.0.1:$port for the tests."
TEST_REDIS_URL="redis://127.0.0.1:$port/0" "$@"
