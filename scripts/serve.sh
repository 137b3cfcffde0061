#!/usr/bin/env bash
# Builds a release of the browser app and serves it on http://localhost:8080 with Debian's
# nginx and the repository's config (deploy/nginx/), in the foreground: Ctrl-C stops it.
# Installs whatever is missing first (scripts/setup.sh --web --server).
#   PORT=8081 scripts/serve.sh           another port
#   LISTEN=0.0.0.0:8080 scripts/serve.sh  reachable from other machines (default: loopback)
#   SKIP_BUILD=1 scripts/serve.sh        serve the existing dist/ as it is
# Nothing under /etc/nginx is touched: the rendered config, pid file, logs and temp files live
# in target/nginx/run/.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
listen=${LISTEN:-127.0.0.1:$port}

scripts/setup.sh --web --server
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  scripts/build-web.sh
fi
rundir=target/nginx/run
conf=$(scripts/render-nginx.sh --root dist --rundir "$rundir" --listen "$listen" \
  --csp target/nginx/sepsis-risk-csp.conf)
nginx=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx" -t -q -p "$PWD/$rundir" -e "$PWD/$rundir/error.log" -c "$conf"
echo "==> serving dist/ on http://localhost:$port (listen $listen); Ctrl-C stops" >&2
echo "    access log: $rundir/access.log" >&2
# exec: nginx gets Ctrl-C (SIGINT) directly and shuts down at once.
exec "$nginx" -p "$PWD/$rundir" -e "$PWD/$rundir/error.log" -c "$conf"
