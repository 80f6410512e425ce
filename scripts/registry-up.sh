#!/usr/bin/env bash
# Start two local container registries for the registry-cache integration tests:
#   127.0.0.1:5000  open, plain HTTP
#   127.0.0.1:5001  basic auth (htpasswd), plain HTTP; user and password below
# Both use Debian's `docker-registry` package, run in the background (no systemd), each
# with its own config file and storage directory. Docker treats 127.0.0.0/8 registries as
# insecure (plain HTTP) without any daemon setting.
#
# Safe to run again: a registry that already responds is left alone.
# Needs root and Debian's package mirror (apt-get).
#
# Environment:
#   SANDBOX_IMAGE_REGISTRY_DIR  config, storage and logs (default: /var/lib/sandbox-image-registry)
set -euo pipefail

root_dir=${SANDBOX_IMAGE_REGISTRY_DIR:-/var/lib/sandbox-image-registry}
# Test-only credentials of the authenticated registry; the integration tests use the same.
auth_user=sandbox-test
auth_password=sandbox-test-password

log() { printf 'registry-up: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/apt-install.sh
. "$(dirname "$0")/lib/apt-install.sh"

# Status of GET /v2/ on a port, such as 200 or 401; 000 when nothing listens.
v2_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/v2/" || true
}

write_config() {
  local name=$1 port=$2 auth_block=$3
  mkdir -p "$root_dir/$name/storage"
  cat >"$root_dir/$name/config.yml" <<EOF
version: 0.1
log:
  level: warn
  fields:
    service: sandbox-image-registry-$name
storage:
  filesystem:
    rootdirectory: $root_dir/$name/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  headers:
    X-Content-Type-Options: [nosniff]
$auth_block
EOF
}

# Starts one registry unless its port already responds with the expected status.
start_registry() {
  local name=$1 port=$2 ready_status=$3 auth_block=$4
  if [ "$(v2_status "$port")" = "$ready_status" ]; then
    log "$name registry already responds on 127.0.0.1:$port"
    return 0
  fi
  write_config "$name" "$port" "$auth_block"
  log "starting $name registry on 127.0.0.1:$port (log: $root_dir/$name/registry.log)"
  nohup docker-registry serve "$root_dir/$name/config.yml" >"$root_dir/$name/registry.log" 2>&1 &
  echo $! >"$root_dir/$name/registry.pid"
  for _ in $(seq 1 30); do
    if [ "$(v2_status "$port")" = "$ready_status" ]; then return 0; fi
    sleep 1
  done
  log "$name registry did not respond on 127.0.0.1:$port within 30s"
  tail -n 20 "$root_dir/$name/registry.log" >&2
  exit 1
}

apt_install docker-registry apache2-utils curl
mkdir -p "$root_dir/auth"
if [ ! -s "$root_dir/auth/htpasswd" ]; then
  htpasswd -Bbn "$auth_user" "$auth_password" >"$root_dir/auth/htpasswd"
fi

start_registry open 5000 200 ""
start_registry auth 5001 401 "auth:
  htpasswd:
    realm: sandbox-image-test
    path: $root_dir/auth/htpasswd"
log "ready: 127.0.0.1:5000 (open), 127.0.0.1:5001 (basic auth)"
