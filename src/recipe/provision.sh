#!/bin/sh
# Provisions a sandbox image. sandbox-image copies this script and the recipe's values into
# /tmp/.sandbox-image during the build and runs it as root:
#
#   sh /tmp/.sandbox-image/provision.sh provision   packages, user, sudo, sshd, directories
#   sh /tmp/.sandbox-image/provision.sh finish      verify downloads, then clean up
#
# Every value is read from a file under values/, directories/ or downloads/ and used as
# data (quoted arguments, awk variables), never evaluated as code. Each step prints one
# line starting with "sandbox-image:", so a failed build names the step that failed.
set -eu

context=/tmp/.sandbox-image
package_managers="apt-get apk dnf microdnf yum zypper pacman"

say() { printf 'sandbox-image: %s\n' "$*"; }
fail() { printf 'sandbox-image: error: %s\n' "$*" >&2; exit 1; }
value() { cat "$context/values/$1"; }
has() { command -v "$1" >/dev/null 2>&1; }

# --- distribution and package manager ---------------------------------------------------

os_release_field() {
  [ -r /etc/os-release ] || return 0
  sed -n "s/^$1=//p" /etc/os-release | head -n 1 | tr -d '"'
}

find_package_manager() {
  for manager in $package_managers; do
    if has "$manager"; then printf '%s\n' "$manager"; return 0; fi
  done
  return 0
}

# Maps a generic package name to the name used by the given package manager.
package_name() {
  case "$1:$2" in
    openssh-server:pacman) printf 'openssh\n' ;;
    shadow-tools:apt-get) printf 'passwd\n' ;;
    shadow-tools:apk|shadow-tools:zypper|shadow-tools:pacman) printf 'shadow\n' ;;
    shadow-tools:*) printf 'shadow-utils\n' ;;
    *) printf '%s\n' "$1" ;;
  esac
}

install_packages() {
  manager=$1
  shift
  [ $# -gt 0 ] || return 0
  say "installing packages with $manager: $*"
  case "$manager" in
    apt-get) install_with_apt "$@" ;;
    apk) apk add --no-cache "$@" ;;
    dnf) dnf install -y --setopt=install_weak_deps=False --nodocs "$@" && dnf clean all && rm -rf /var/cache/dnf ;;
    microdnf) microdnf install -y --nodocs --setopt=install_weak_deps=0 "$@" && microdnf clean all ;;
    yum) yum install -y "$@" && yum clean all && rm -rf /var/cache/yum ;;
    zypper) zypper --non-interactive install --no-recommends "$@" && zypper clean --all ;;
    pacman) pacman -Sy --noconfirm --needed "$@" && rm -rf /var/cache/pacman/pkg/* /var/lib/pacman/sync/* ;;
  esac
}

# apt-get without recommends, translations or documentation, with dpkg's unsafe-io (the
# build layer is written once), and with every list and archive removed in the same layer.
install_with_apt() {
  excludes=/etc/dpkg/dpkg.cfg.d/sandbox-image-excludes
  mkdir -p /etc/dpkg/dpkg.cfg.d
  printf '%s\n' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
    'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
    'path-exclude=/usr/share/lintian/*' >"$excludes"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq -o Acquire::Languages=none -o Acquire::GzipIndexes=true update
  status=0
  apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-unsafe-io \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" || status=$?
  rm -f "$excludes"
  apt-get clean
  rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt/* /var/log/dpkg.log
  return "$status"
}

# --- accounts: shadow tools when present, else direct edits of /etc/passwd and /etc/group --

passwd_field() { awk -F: -v key="$1" -v column="$2" -v want="$3" '$column == key { print $want; exit }' /etc/passwd; }
group_field() { awk -F: -v key="$1" -v column="$2" -v want="$3" '$column == key { print $want; exit }' /etc/group; }

# Rewrites one field of the entry whose field `column` equals `key`, in /etc/passwd or /etc/group.
edit_entry() {
  file=$1 key=$2 column=$3 field=$4 new=$5
  awk -F: -v OFS=: -v key="$key" -v column="$column" -v field="$field" -v new="$new" \
    '$column == key { $field = new } { print }' "$file" >"$file.sandbox-image" && cat "$file.sandbox-image" >"$file"
  rm -f "$file.sandbox-image"
}

delete_entry() {
  file=$1 name=$2
  [ -f "$file" ] || return 0
  awk -F: -v name="$name" '$1 != name { print }' "$file" >"$file.sandbox-image" && cat "$file.sandbox-image" >"$file"
  rm -f "$file.sandbox-image"
}

ensure_group() {
  name=$1 gid=$2
  holder=$(group_field "$gid" 3 1)
  [ -z "$holder" ] || return 0
  if [ -n "$(group_field "$name" 1 1)" ]; then
    say "changing the GID of group $name to $gid"
    if has groupmod; then groupmod -g "$gid" "$name"; else edit_entry /etc/group "$name" 1 3 "$gid"; fi
  else
    say "creating group $name ($gid)"
    if has groupadd; then groupadd -g "$gid" "$name"; else printf '%s:x:%s:\n' "$name" "$gid" >>/etc/group; fi
  fi
}

remove_account() {
  say "removing account $1"
  if has userdel; then userdel "$1"; else delete_entry /etc/passwd "$1"; delete_entry /etc/shadow "$1"; fi
}

# Renames account $1 (which has the requested UID) to the sandbox user and moves its home.
take_over_account() {
  old=$1
  old_home=$(passwd_field "$old" 1 6)
  say "taking over account $old (UID $uid) as $user_name"
  if [ "$old" != "$user_name" ] && [ -n "$(passwd_field "$user_name" 1 1)" ]; then remove_account "$user_name"; fi
  if [ "$(group_field "$old" 1 1)" = "$old" ] && [ "$old" != "$user_name" ] && [ -z "$(group_field "$user_name" 1 1)" ]; then
    if has groupmod; then groupmod -n "$user_name" "$old"; else edit_entry /etc/group "$old" 1 1 "$user_name"; fi
  fi
  if has usermod; then
    usermod -l "$user_name" "$old"
  else
    edit_entry /etc/passwd "$old" 1 1 "$user_name"
    [ -f /etc/shadow ] && edit_entry /etc/shadow "$old" 1 1 "$user_name"
  fi
  if [ -n "$old_home" ] && [ "$old_home" != "$home" ] && [ -d "$old_home" ] && [ ! -e "$home" ]; then
    mkdir -p "$(dirname "$home")"
    mv "$old_home" "$home"
  fi
}

create_account() {
  say "creating user $user_name (UID $uid, GID $gid)"
  if has useradd; then
    # -l keeps large UIDs out of lastlog, which would otherwise become a huge sparse file.
    useradd -l -M -u "$uid" -g "$gid" -d "$home" -s "$shell" "$user_name"
  else
    printf '%s:x:%s:%s::%s:%s\n' "$user_name" "$uid" "$gid" "$home" "$shell" >>/etc/passwd
    if [ -f /etc/shadow ]; then printf '%s:!:1::::::\n' "$user_name" >>/etc/shadow; fi
  fi
}

set_account_fields() {
  if has usermod; then
    usermod -u "$uid" -g "$gid" -d "$home" -s "$shell" "$user_name"
  else
    edit_entry /etc/passwd "$user_name" 1 3 "$uid"
    edit_entry /etc/passwd "$user_name" 1 4 "$gid"
    edit_entry /etc/passwd "$user_name" 1 6 "$home"
    edit_entry /etc/passwd "$user_name" 1 7 "$shell"
  fi
}

provision_user() {
  user_name=$(value user_name) uid=$(value uid) gid=$(value gid)
  home=$(value home) shell=$(value shell) policy=$(value uid_conflict)
  [ -x "$shell" ] || shell=/bin/sh

  ensure_group "$user_name" "$gid"
  holder=$(passwd_field "$uid" 3 1)
  if [ -n "$holder" ] && [ "$holder" != "$user_name" ]; then
    case "$policy" in
      fail) fail "UID $uid already belongs to account '$holder' in the base image; set uid_conflict to \"take-over\" or \"remove\", or choose another user_id" ;;
      remove) remove_account "$holder"; holder= ;;
      take-over) take_over_account "$holder"; holder=$user_name ;;
    esac
  fi
  if [ -z "$holder" ] && [ -z "$(passwd_field "$user_name" 1 1)" ]; then create_account; fi
  set_account_fields

  new_home=0
  [ -d "$home" ] || new_home=1
  mkdir -p "$home"
  if [ "$new_home" -eq 1 ] && [ -d /etc/skel ]; then cp -a /etc/skel/. "$home"/ 2>/dev/null || true; fi
  chown -R "$uid:$gid" "$home"
  [ "$(passwd_field "$user_name" 1 3)" = "$uid" ] || fail "user $user_name does not have UID $uid after provisioning"
}

provision_sudo() {
  say "granting $user_name passwordless sudo"
  mkdir -p /etc/sudoers.d
  printf '%s ALL=(ALL:ALL) NOPASSWD:ALL\n' "$user_name" >/etc/sudoers.d/sandbox-image
  chmod 0440 /etc/sudoers.d/sandbox-image
  if [ -f /etc/sudoers ] && ! grep -Eq '^[@#]includedir[[:space:]]+/etc/sudoers.d' /etc/sudoers; then
    printf '#includedir /etc/sudoers.d\n' >>/etc/sudoers
  fi
}

provision_directories() {
  for entry in "$context"/directories/*; do
    [ -d "$entry" ] || continue
    path=$(cat "$entry/path")
    say "creating directory $path"
    mkdir -p "$path"
    chmod "$(cat "$entry/mode")" "$path"
    chown "$(cat "$entry/owner")" "$path"
  done
}

provision() {
  say "base: $(value base) ($(os_release_field PRETTY_NAME))"
  want_user=$(value create_user)
  want_sudo=$(value sudo)
  want_ssh=$(value ssh)

  # Packages: the recipe's own, plus sudo, sshd and account tools when they are missing.
  manager=$(find_package_manager)
  set --
  while IFS= read -r package; do
    [ -n "$package" ] && set -- "$@" "$package"
  done <"$context/values/packages"
  if [ "$want_user" = 1 ] && [ "$want_sudo" = nopasswd ] && ! has sudo; then set -- "$@" sudo; fi
  if [ "$want_ssh" = 1 ] && ! has sshd && [ ! -x /usr/sbin/sshd ]; then set -- "$@" "$(package_name openssh-server "$manager")"; fi
  if [ $# -gt 0 ]; then
    [ -n "$manager" ] || fail "no package manager found in $(value base) (looked for: $package_managers); cannot install: $*. Use a base image with a package manager, or remove the packages (set sudo = \"none\" and ssh = false if they are the ones listed)"
    install_packages "$manager" "$@"
  fi

  if [ "$want_ssh" = 1 ]; then
    say "preparing sshd"
    mkdir -p /var/run/sshd
    chmod 0755 /var/run/sshd
  fi

  if [ "$want_user" = 1 ]; then
    provision_user
    [ "$want_sudo" = nopasswd ] && provision_sudo
    owner="$(value uid):$(value gid)"
  else
    say "running as root; no user is created"
    owner=0:0
  fi

  workdir=$(value workdir)
  say "preparing working directory $workdir"
  mkdir -p "$workdir"
  chown "$owner" "$workdir"
  provision_directories
}

verify_downloads() {
  for entry in "$context"/downloads/*; do
    [ -d "$entry" ] || continue
    path=$(cat "$entry/path") url=$(cat "$entry/url") expected=$(cat "$entry/sha256")
    say "verifying $path"
    has sha256sum || fail "sha256sum is not installed in the image, so the download of $url cannot be verified"
    actual=$(sha256sum "$path" | cut -d ' ' -f 1)
    if [ "$actual" != "$expected" ]; then
      rm -f "$path"
      fail "checksum mismatch for $url: expected sha256 $expected, got $actual. Update the sha256 in the recipe if the file changed on purpose"
    fi
    chmod "$(cat "$entry/mode")" "$path"
  done
}

phase=${1:-}
case "$phase" in
  provision) provision ;;
  finish) verify_downloads ;;
  *) fail "usage: provision.sh provision|finish" ;;
esac
# The last phase removes the context; later Dockerfile instructions do not need it.
if [ "$(value last_phase)" = "$phase" ]; then rm -rf "$context"; fi
say "done: $phase"
