#!/usr/bin/env bash
# Start Podman's Docker-compatible API service for the integration tests and make sure the
# offline base image `docker.io/library/debian:bookworm-slim` exists in Podman's storage.
#
# Safe to run again: every step is skipped when its result is already there. Needs root and
# Debian's package mirror (apt-get); needs no container registry. The base image comes from
# the debootstrap tarball that scripts/engine-up.sh keeps, made here when it is missing.
#
# Environment:
#   SANDBOX_IMAGE_CACHE_DIR      where the debootstrap tarball is kept
#                                (default: /var/cache/sandbox-image-test)
#   SANDBOX_IMAGE_PODMAN_SOCKET  socket of the API service
#                                (default: /run/sandbox-image-podman.sock)
#   PODMAN_LOG                   the service's log file (default: /tmp/sandbox-image-podman.log)
set -euo pipefail

cache_dir=${SANDBOX_IMAGE_CACHE_DIR:-/var/cache/sandbox-image-test}
socket=${SANDBOX_IMAGE_PODMAN_SOCKET:-/run/sandbox-image-podman.sock}
podman_log=${PODMAN_LOG:-/tmp/sandbox-image-podman.log}
base_image=docker.io/library/debian:bookworm-slim

log() { printf 'podman-up: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/apt-install.sh
. "$(dirname "$0")/lib/apt-install.sh"

# The API returns `OK` for `GET /_ping` once it is ready.
service_answers() {
  curl -fsS --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1
}

wait_for_service() {
  for _ in $(seq 1 60); do
    if service_answers; then return 0; fi
    sleep 1
  done
  log "podman system service did not answer on $socket within 60s"
  tail -n 30 "$podman_log" >&2
  return 1
}

# shellcheck source=scripts/lib/base-tarball.sh
. "$(dirname "$0")/lib/base-tarball.sh"

provide_base_image() {
  if podman image exists "$base_image"; then
    log "$base_image is present in Podman's storage"
    return 0
  fi
  log "importing $base_image into Podman's storage from debootstrap"
  podman import --change 'CMD ["bash"]' "$(base_tarball "$cache_dir")" "$base_image" >/dev/null
}

start_service() {
  if service_answers; then
    log "podman system service already answers on $socket"
    return 0
  fi
  rm -f "$socket"
  log "starting podman system service on $socket (log: $podman_log)"
  # runc and cgroupfs work on cgroup v1, v2 and hybrid hosts without systemd; Debian 12's
  # default crun rejects hybrid cgroup hosts ("cgroups in hybrid mode not supported").
  nohup podman --runtime runc --cgroup-manager cgroupfs system service --time=0 "unix://$socket" >"$podman_log" 2>&1 &
  wait_for_service
}

apt_install podman runc curl ca-certificates
provide_base_image
start_service
log "ready: Podman $(podman version --format '{{.Server.Version}}')"
