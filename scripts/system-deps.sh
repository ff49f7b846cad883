#!/usr/bin/env bash
# Installs the system packages the tests use, when missing: chromium (+ driver) and postgresql.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "kefu tests need: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
# The Debian package starts a cluster of its own; the tests run their own throw-away server.
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for cluster in /etc/postgresql/*/main; do
    [ -d "$cluster" ] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null || true
  done
fi
