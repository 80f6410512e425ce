# shellcheck shell=bash
# Shared by the scripts that provide the offline base image; source it after
# scripts/lib/apt-install.sh.

# Prints the path of a minimal Debian bookworm root file system as a tarball in directory $1,
# made once with debootstrap and kept for later runs.
base_tarball() {
  local cache_dir=$1
  local tarball=$cache_dir/bookworm-minbase.tar
  if [ ! -s "$tarball" ]; then
    apt_install debootstrap
    local root
    root=$(mktemp -d)
    log "debootstrap --variant=minbase bookworm (about 30 s)"
    debootstrap --variant=minbase bookworm "$root" >/dev/null
    # The official slim images ship without apt's package lists; keep the same state.
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
    mkdir -p "$cache_dir"
    tar -C "$root" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    rm -rf "$root"
  fi
  printf '%s\n' "$tarball"
}
