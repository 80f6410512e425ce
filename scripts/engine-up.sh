#!/usr/bin/env bash
# Start a Docker engine for the integration tests and make sure the offline base
# image `debian:bookworm-slim` exists in it.
#
# Safe to run again: every step is skipped when its result is already there.
# Needs root and Debian's package mirror (apt-get); needs no container registry.
#
# Environment:
#   SANDBOX_IMAGE_CACHE_DIR  where the debootstrap tarball is kept between runs
#                            (default: /var/cache/sandbox-image-test)
#   DOCKERD_LOG              dockerd's log file (default: /tmp/sandbox-image-dockerd.log)
set -euo pipefail

cache_dir=${SANDBOX_IMAGE_CACHE_DIR:-/var/cache/sandbox-image-test}
dockerd_log=${DOCKERD_LOG:-/tmp/sandbox-image-dockerd.log}
base_image=debian:bookworm-slim

log() { printf 'engine-up: %s\n' "$*" >&2; }

# shellcheck source=scripts/lib/apt-install.sh
. "$(dirname "$0")/lib/apt-install.sh"

wait_for() {
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not answer within ${seconds}s"
  return 1
}

start_docker() {
  if docker info >/dev/null 2>&1; then
    log "a Docker engine already answers"
    return 0
  fi
  apt_install docker.io iptables ca-certificates
  log "starting dockerd (log: $dockerd_log)"
  nohup dockerd >"$dockerd_log" 2>&1 &
  wait_for dockerd 60 docker info || { tail -n 30 "$dockerd_log" >&2; exit 1; }
}

# shellcheck source=scripts/lib/base-tarball.sh
. "$(dirname "$0")/lib/base-tarball.sh"

provide_base_image() {
  if docker image inspect "$base_image" >/dev/null 2>&1; then
    log "$base_image is present"
    return 0
  fi
  if timeout 60 docker pull -q "$base_image" >/dev/null 2>&1; then
    log "pulled $base_image"
    return 0
  fi
  log "cannot pull $base_image; importing it from debootstrap"
  docker import --change 'CMD ["bash"]' "$(base_tarball "$cache_dir")" "$base_image" >/dev/null
}

start_docker
provide_base_image
log "ready: $(docker version --format 'Docker Engine {{.Server.Version}}')"
