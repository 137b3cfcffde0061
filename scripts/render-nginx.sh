#!/usr/bin/env bash
# Renders the repository's nginx config (deploy/nginx/) into a run directory, ready for
#   nginx -p RUNDIR -e RUNDIR/error.log -c RUNDIR/nginx.conf      (foreground: daemon off)
#
#   scripts/render-nginx.sh --root DIST --rundir DIR [--listen 127.0.0.1:8080] [--csp FILE]
#
# --root    the document root (Trunk's dist/), made absolute
# --rundir  created if missing; gets nginx.conf, sepsis-risk-server.conf, sepsis-risk-csp.conf,
#           and later the pid file, logs and temp directories
# --listen  what nginx's `listen` gets (default 127.0.0.1:8080)
# --csp     the include written by scripts/csp-hashes.sh (default: target/nginx/sepsis-risk-csp.conf)
# Used by scripts/serve.sh and by the serving and end-to-end tests, so all of them run exactly
# the committed config.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root="" rundir="" listen="127.0.0.1:8080" csp="$repo/target/nginx/sepsis-risk-csp.conf"
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --rundir) rundir="$2"; shift 2 ;;
    --listen) listen="$2"; shift 2 ;;
    --csp) csp="$2"; shift 2 ;;
    *) echo "render-nginx: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$root" ] || [ -z "$rundir" ]; then
  echo "usage: $0 --root DIST --rundir DIR [--listen ADDR:PORT] [--csp FILE]" >&2
  exit 2
fi
if [ ! -d "$root" ]; then
  echo "render-nginx: document root $root does not exist (build first: scripts/build-web.sh)" >&2
  exit 2
fi
if [ ! -f "$csp" ]; then
  echo "render-nginx: $csp not found (scripts/build-web.sh writes it)" >&2
  exit 2
fi
mkdir -p "$rundir"
root=$(cd "$root" && pwd)
rundir=$(cd "$rundir" && pwd)

# As root, nginx's workers would otherwise run as `nobody`, which cannot read a checkout under
# /root or a test's private temp directory. This config only ever listens where it is told
# (loopback by default) and serves static files; the container of issue 4 runs nginx as a
# non-root user, where no `user` directive applies.
user=""
if [ "$(id -u)" = 0 ]; then
  user="user root;"
fi

conf=$(<"$repo/deploy/nginx/nginx.conf.template")
conf=${conf//@LISTEN@/"$listen"}
conf=${conf//@ROOT@/"$root"}
conf=${conf//@RUNDIR@/"$rundir"}
conf=${conf//@USER@/"$user"}
printf '%s\n' "$conf" > "$rundir/nginx.conf"
cp "$repo/deploy/nginx/sepsis-risk-server.conf" "$rundir/sepsis-risk-server.conf"
cp "$csp" "$rundir/sepsis-risk-csp.conf"
echo "$rundir/nginx.conf"
