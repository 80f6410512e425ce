#!/usr/bin/env bash
# Start a second, independent Docker engine ("engine B") for the registry-cache integration
# tests: its own data root, exec root, pidfile, containerd and socket, so it shares no image
# with the main engine.
#
# Networking stays apart from the main engine's: engine B gets its own bridge (sbximg-b0,
# made here) and runs with `--iptables=false --ip-masq=false`, so its containers have no
# route out; the tests run them with `--network none`. `--bridge=none` is not an option:
# dockerd 20.10 then deletes the host's `docker0` interface at startup
# (removeDefaultBridgeInterface in moby's daemon_unix.go), which cuts the main engine's
# containers off.
#
# Safe to run again: a daemon that already responds on the socket is left alone. Stop it with
# `kill "$(cat /var/run/sandbox-image-engine-b.pid)"`; the main engine is never touched.
# Needs root and the docker.io package (scripts/engine-up.sh installs it); installs iproute2
# from Debian's package mirror when `ip` is missing.
#
# Environment:
#   SANDBOX_IMAGE_ENGINE_B_SOCKET  socket path (default: /var/run/sandbox-image-engine-b.sock)
#   SANDBOX_IMAGE_ENGINE_B_TCP     a second, plain TCP listener for the remote-engine test
#                                  (default: 127.0.0.1:23750); it has no TLS, so keep it on
#                                  a loopback address
#   SANDBOX_IMAGE_ENGINE_B_ROOT    data root (default: /var/lib/sandbox-image-engine-b)
#   SANDBOX_IMAGE_ENGINE_B_LOG     dockerd's log file (default: /tmp/sandbox-image-engine-b.log)
set -euo pipefail

socket=${SANDBOX_IMAGE_ENGINE_B_SOCKET:-/var/run/sandbox-image-engine-b.sock}
tcp_address=${SANDBOX_IMAGE_ENGINE_B_TCP:-127.0.0.1:23750}
data_root=${SANDBOX_IMAGE_ENGINE_B_ROOT:-/var/lib/sandbox-image-engine-b}
daemon_log=${SANDBOX_IMAGE_ENGINE_B_LOG:-/tmp/sandbox-image-engine-b.log}
exec_root=/var/run/sandbox-image-engine-b
pidfile=/var/run/sandbox-image-engine-b.pid
bridge=sbximg-b0
# A host-only subnet for the bridge; nothing routes to or from it.
bridge_address=172.31.254.1/24

log() { printf 'second-engine-up: %s\n' "$*" >&2; }
engine_b() { docker -H "unix://$socket" "$@"; }

if engine_b info >/dev/null 2>&1; then
  log "engine B already responds on unix://$socket"
  exit 0
fi
command -v dockerd >/dev/null || { log "dockerd is missing; run scripts/engine-up.sh first"; exit 1; }
if ! command -v ip >/dev/null; then
  log "installing iproute2"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 >/dev/null
fi

mkdir -p "$data_root" "$exec_root"
if ! ip link show "$bridge" >/dev/null 2>&1; then
  log "creating bridge $bridge ($bridge_address)"
  ip link add "$bridge" type bridge
  ip addr add "$bridge_address" dev "$bridge"
  ip link set "$bridge" up
fi
log "starting dockerd on unix://$socket (log: $daemon_log)"
nohup dockerd \
  --host "unix://$socket" \
  --host "tcp://$tcp_address" \
  --data-root "$data_root" \
  --exec-root "$exec_root" \
  --pidfile "$pidfile" \
  --containerd-namespace sandbox-image-engine-b \
  --containerd-plugins-namespace sandbox-image-engine-b-plugins \
  --bridge "$bridge" --iptables=false --ip-masq=false \
  >"$daemon_log" 2>&1 &

for _ in $(seq 1 60); do
  if engine_b info >/dev/null 2>&1; then
    log "ready: $(engine_b version --format 'Docker Engine {{.Server.Version}}') on unix://$socket"
    exit 0
  fi
  sleep 1
done
log "engine B did not respond on unix://$socket within 60s"
tail -n 30 "$daemon_log" >&2
exit 1
