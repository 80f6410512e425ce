#!/bin/sh
# Provisions a sandbox image. sandbox-image copies this script and the recipe's values into
# /.sandbox-image during the build and runs it as root:
#
#   sh /.sandbox-image/provision.sh provision   packages, user, sudo, sshd, directories
#   sh /.sandbox-image/provision.sh finish      verify downloads
#
# Every value is read from a file under values/, directories/ or downloads/ next to this
# script, and used as data (quoted arguments, awk's ENVIRON), never evaluated as code. Each
# step prints one line starting with "sandbox-image:", so a failed build names its step.
#
# Distribution families, decided from ID and ID_LIKE in /etc/os-release:
#
#   family  os-release ID (or ID_LIKE)                       package manager
#   debian  debian, ubuntu                                   apt-get
#   alpine  alpine                                           apk
#   fedora  fedora, rhel, centos, rocky, almalinux, amzn, ol  dnf, microdnf or yum, first found
#   suse    opensuse-*, sles, suse                           zypper
#   arch    arch, archarm, manjaro                           pacman
#
# Without /etc/os-release, or with another ID, the first of apt-get apk dnf microdnf yum
# zypper pacman found on PATH is used. With no package manager the recipe works as long as
# it needs no package; otherwise the build fails naming the managers looked for.
#
# Package names are Debian's. These differ per family and are mapped; any other name is
# passed unchanged:
#
#   Debian name     alpine     fedora            suse             arch
#   openssh-server  -          -                 -                openssh
#   openssh-client  -          openssh-clients   openssh-clients  openssh
#   dnsutils        bind-tools bind-utils        bind-utils       bind
#   iputils-ping    iputils    iputils           iputils          iputils
#   procps          -          procps-ng         -                procps-ng
#   python3         -          -                 -                python
#   python3-pip     py3-pip    -                 -                python-pip
#   xz-utils        xz         xz                xz               xz
#
# Accounts are edited with the shadow tools (useradd, usermod, groupadd, ...) when they are
# installed, else by rewriting /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow with
# awk, which also works where only busybox exists.
#
# NOTE: only Debian-family and busybox-only bases are built for real in this project's
# tests; for the other families the commands are checked against stub package managers.
set -eu
umask 022

context=$(cd "$(dirname "$0")" && pwd)
all_managers="apt-get apk dnf microdnf yum zypper pacman"
# Images that set their own PATH may leave out the sbin directories of useradd and sshd.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH

say() { printf 'sandbox-image: %s\n' "$*"; }
fail() { printf 'sandbox-image: error: %s\n' "$*" >&2; exit 1; }
value() { cat "$context/values/$1"; }
has() { command -v "$1" >/dev/null 2>&1; }

# --- distribution family and package manager ---------------------------------------------

os_release_field() {
  [ -r /etc/os-release ] || return 0
  sed -n "s/^$1=//p" /etc/os-release | head -n 1 | tr -d "\"'"
}

# Prints debian, alpine, fedora, suse, arch, or nothing for an unknown distribution.
distribution_family() {
  for id in $(os_release_field ID) $(os_release_field ID_LIKE); do
    case "$id" in
      debian|ubuntu) echo debian; return 0 ;;
      alpine) echo alpine; return 0 ;;
      fedora|rhel|centos|rocky|almalinux|amzn|ol) echo fedora; return 0 ;;
      opensuse*|sles|suse) echo suse; return 0 ;;
      arch|archarm|manjaro) echo arch; return 0 ;;
    esac
  done
  return 0
}

family_managers() {
  case "$1" in
    debian) echo apt-get ;;
    alpine) echo apk ;;
    fedora) echo dnf microdnf yum ;;
    suse) echo zypper ;;
    arch) echo pacman ;;
    *) echo "$all_managers" ;;
  esac
}

find_package_manager() {
  for candidate in $1; do
    if has "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 0
}

# Maps a Debian package name to its name in the given family (see the table above).
package_name() {
  case "$1:$2" in
    openssh-server:arch) echo openssh ;;
    openssh-client:fedora|openssh-client:suse) echo openssh-clients ;;
    openssh-client:arch) echo openssh ;;
    dnsutils:alpine) echo bind-tools ;;
    dnsutils:fedora|dnsutils:suse) echo bind-utils ;;
    dnsutils:arch) echo bind ;;
    iputils-ping:alpine|iputils-ping:fedora|iputils-ping:suse|iputils-ping:arch) echo iputils ;;
    procps:fedora|procps:arch) echo procps-ng ;;
    python3:arch) echo python ;;
    python3-pip:alpine) echo py3-pip ;;
    python3-pip:arch) echo python-pip ;;
    xz-utils:alpine|xz-utils:fedora|xz-utils:suse|xz-utils:arch) echo xz ;;
    *) echo "$1" ;;
  esac
}

install_packages() {
  manager=$1
  shift
  say "installing with $manager: $*"
  case "$manager" in
    apt-get) install_with_apt "$@" ;;
    apk) apk add --no-cache "$@" ;;
    dnf)
      dnf install -y --setopt=install_weak_deps=False --setopt=tsflags=nodocs "$@"
      dnf clean all
      rm -rf /var/cache/dnf /var/cache/libdnf5
      ;;
    microdnf)
      microdnf install -y --nodocs --setopt=install_weak_deps=0 "$@"
      microdnf clean all
      ;;
    yum)
      yum install -y --setopt=tsflags=nodocs "$@"
      yum clean all
      rm -rf /var/cache/yum
      ;;
    zypper)
      zypper --non-interactive install --no-recommends "$@"
      zypper clean --all
      ;;
    pacman)
      # Arch supports only full upgrades (-Syu); a bare -Sy would leave a partial upgrade.
      pacman -Syu --noconfirm --needed "$@"
      rm -rf /var/cache/pacman/pkg/* /var/lib/pacman/sync/*
      ;;
  esac
}

# apt-get without recommends, documentation, manual pages or translations, with dpkg's
# unsafe-io (the build layer is written once), and with every package list, archive and
# log removed in the same layer.
install_with_apt() {
  excludes=/etc/dpkg/dpkg.cfg.d/zz-sandbox-image-excludes
  mkdir -p /etc/dpkg/dpkg.cfg.d
  printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
    'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
    'path-exclude=/usr/share/groff/*' 'path-exclude=/usr/share/lintian/*' \
    'path-exclude=/usr/share/linda/*' 'path-exclude=/usr/share/locale/*' \
    'path-include=/usr/share/locale/locale.alias' >"$excludes"
  DEBIAN_FRONTEND=noninteractive
  export DEBIAN_FRONTEND
  status=0
  apt-get -qq -o Acquire::Languages=none -o Acquire::GzipIndexes=true update || status=$?
  if [ "$status" -eq 0 ]; then
    apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 \
      -o Dpkg::Options::=--force-unsafe-io -o Dpkg::Options::=--force-confdef \
      -o Dpkg::Options::=--force-confold "$@" || status=$?
  fi
  rm -f "$excludes"
  apt-get clean
  rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt/* /var/log/dpkg.log \
    /var/cache/debconf/*-old /var/lib/dpkg/*-old
  return "$status"
}

# Appends a package name to the space-separated list `package_list` unless it is there already.
add_package() {
  case " $package_list " in
    *" $1 "*) ;;
    *) package_list="${package_list:+$package_list }$1" ;;
  esac
}

# Installs the recipe's packages, mapped for the family, and sudo and sshd when missing.
provision_packages() {
  family=$(distribution_family)
  package_list=
  while IFS= read -r package; do
    if [ -n "$package" ]; then add_package "$(package_name "$package" "$family")"; fi
  done <"$context/values/packages"
  if [ "$want_user" = 1 ] && [ "$want_sudo" = nopasswd ] && ! has sudo; then add_package sudo; fi
  if [ "$want_ssh" = 1 ] && ! has sshd; then add_package "$(package_name openssh-server "$family")"; fi
  [ -n "$package_list" ] || return 0

  looked_for=$(family_managers "$family")
  manager=$(find_package_manager "$looked_for")
  if [ -z "$manager" ]; then
    fail "no package manager found in $(value base) (${family:-unknown} family; looked for: $looked_for), so these packages cannot be installed: $package_list." \
      "Use a base image with a package manager, or remove the packages from the recipe (sudo = \"none\" and ssh = false when sudo or openssh-server is listed)."
  fi
  # The package names are validated to contain no white space or shell syntax.
  # shellcheck disable=SC2086
  install_packages "$manager" $package_list
}

# --- accounts ----------------------------------------------------------------------------

# Prints field `want` of the first entry in `file` whose field `column` equals `key`.
entry_field() {
  KEY=$2 awk -F: -v column="$3" -v want="$4" '$column == ENVIRON["KEY"] { print $want; exit }' "$1"
}
passwd_field() { entry_field /etc/passwd "$@"; }
group_field() { entry_field /etc/group "$@"; }

# Replaces `file` with `file.sandbox-image`, keeping the inode, owner and mode of `file`.
replace_with_new() {
  cat "$1.sandbox-image" >"$1"
  rm -f "$1.sandbox-image"
}

# Sets field `field` to `new` in the entries of `file` whose field `column` equals `key`.
edit_entry() {
  [ -f "$1" ] || return 0
  KEY=$2 NEW=$5 awk -F: -v OFS=: -v column="$3" -v field="$4" \
    '$column == ENVIRON["KEY"] { $field = ENVIRON["NEW"] } { print }' "$1" >"$1.sandbox-image"
  replace_with_new "$1"
}

delete_entry() {
  [ -f "$1" ] || return 0
  KEY=$2 awk -F: '$1 != ENVIRON["KEY"] { print }' "$1" >"$1.sandbox-image"
  replace_with_new "$1"
}

# Renames a member in the member lists (fourth field) of /etc/group and /etc/gshadow, or
# removes it when the new name is empty.
rename_member() {
  for file in /etc/group /etc/gshadow; do
    [ -f "$file" ] || continue
    OLD=$1 NEW=$2 awk -F: -v OFS=: '
      NF >= 4 {
        count = split($4, members, ",")
        list = ""
        for (i = 1; i <= count; i++) {
          member = members[i] == ENVIRON["OLD"] ? ENVIRON["NEW"] : members[i]
          if (member != "") list = list (list == "" ? "" : ",") member
        }
        $4 = list
      }
      { print }' "$file" >"$file.sandbox-image"
    replace_with_new "$file"
  done
}

ensure_group() {
  [ -z "$(group_field "$gid" 3 1)" ] || return 0
  if [ -n "$(group_field "$user_name" 1 1)" ]; then
    say "changing the GID of group $user_name to $gid"
    if has groupmod; then groupmod -g "$gid" "$user_name"; else edit_entry /etc/group "$user_name" 1 3 "$gid"; fi
  else
    say "creating group $user_name (GID $gid)"
    if has groupadd; then
      groupadd -g "$gid" "$user_name"
    else
      printf '%s:x:%s:\n' "$user_name" "$gid" >>/etc/group
      if [ -f /etc/gshadow ]; then printf '%s:!::\n' "$user_name" >>/etc/gshadow; fi
    fi
  fi
}

# Removes an account. Like userdel, the edit without shadow tools also removes the group of
# the same name when it is the account's primary group and has no members.
remove_account() {
  say "removing account $1"
  if has userdel; then
    userdel "$1"
    return 0
  fi
  primary_gid=$(passwd_field "$1" 1 4)
  delete_entry /etc/passwd "$1"
  delete_entry /etc/shadow "$1"
  rename_member "$1" ""
  if [ "$(group_field "$1" 1 3)" = "$primary_gid" ] && [ -z "$(group_field "$1" 1 4)" ]; then
    delete_entry /etc/group "$1"
    delete_entry /etc/gshadow "$1"
  fi
}

# Gives account $1, which has the requested UID, the sandbox user's name; its group of the
# same name is renamed too, and its home moves when that directory belongs to it.
take_over_account() {
  old=$1
  old_home=$(passwd_field "$old" 1 6)
  say "UID $uid belongs to account $old; taking it over as $user_name"
  if [ -n "$(passwd_field "$user_name" 1 1)" ]; then remove_account "$user_name"; fi
  if [ -n "$(group_field "$old" 1 1)" ] && [ -z "$(group_field "$user_name" 1 1)" ]; then
    if has groupmod; then
      groupmod -n "$user_name" "$old"
    else
      edit_entry /etc/group "$old" 1 1 "$user_name"
      edit_entry /etc/gshadow "$old" 1 1 "$user_name"
    fi
  fi
  if has usermod; then
    usermod -l "$user_name" "$old"
  else
    edit_entry /etc/passwd "$old" 1 1 "$user_name"
    edit_entry /etc/shadow "$old" 1 1 "$user_name"
  fi
  rename_member "$old" "$user_name"
  # Only a home owned by the account moves; shared directories such as / or /usr/sbin stay.
  if [ -n "$old_home" ] && [ "$old_home" != / ] && [ "$old_home" != "$home" ] && [ -d "$old_home" ] && [ ! -e "$home" ] &&
    [ -n "$(find "$old_home" -maxdepth 0 -user "$uid")" ]; then
    say "moving home $old_home to $home"
    mkdir -p "$(dirname "$home")"
    mv "$old_home" "$home"
  fi
}

create_account() {
  say "creating user $user_name (UID $uid, GID $gid)"
  if has useradd; then
    # -l keeps the UID out of lastlog, which would otherwise grow to a sparse file of UID x 292 bytes.
    useradd -l -M -u "$uid" -g "$gid" -d "$home" -s "$shell" "$user_name"
  else
    printf '%s:x:%s:%s::%s:%s\n' "$user_name" "$uid" "$gid" "$home" "$shell" >>/etc/passwd
    if [ -f /etc/shadow ]; then printf '%s:!:::::::\n' "$user_name" >>/etc/shadow; fi
  fi
}

# Sets the UID, GID, home and shell of the existing account, changing only what differs.
update_account() {
  set --
  [ "$(passwd_field "$user_name" 1 3)" = "$uid" ] || set -- "$@" -u "$uid"
  [ "$(passwd_field "$user_name" 1 4)" = "$gid" ] || set -- "$@" -g "$gid"
  [ "$(passwd_field "$user_name" 1 6)" = "$home" ] || set -- "$@" -d "$home"
  [ "$(passwd_field "$user_name" 1 7)" = "$shell" ] || set -- "$@" -s "$shell"
  [ $# -gt 0 ] || return 0
  say "updating account $user_name: $*"
  if has usermod; then
    usermod "$@" "$user_name"
  else
    edit_entry /etc/passwd "$user_name" 1 3 "$uid"
    edit_entry /etc/passwd "$user_name" 1 4 "$gid"
    edit_entry /etc/passwd "$user_name" 1 6 "$home"
    edit_entry /etc/passwd "$user_name" 1 7 "$shell"
  fi
}

read_user_values() {
  user_name=$(value user_name) uid=$(value uid) gid=$(value gid)
  home=$(value home) shell=$(value shell) policy=$(value uid_conflict)
}

# Fails before any package is installed when the policy is "fail" and the UID is taken.
check_uid_conflict() {
  holder=$(passwd_field "$uid" 3 1)
  if [ "$policy" = fail ] && [ -n "$holder" ] && [ "$holder" != "$user_name" ]; then
    fail "UID $uid already belongs to account '$holder' in the base image $(value base)." \
      "Set uid_conflict (uidConflict in code) to \"take-over\" to rename '$holder' to $user_name, or to \"remove\" to delete '$holder'; or choose another user ID."
  fi
  if [ "$(passwd_field "$user_name" 1 3)" = 0 ]; then
    fail "account $user_name has UID 0 (root) in the base image $(value base); choose another user name."
  fi
}

provision_user() {
  if [ ! -x "$shell" ]; then
    say "shell $shell is not installed; using /bin/sh"
    shell=/bin/sh
  fi
  holder=$(passwd_field "$uid" 3 1)
  if [ -n "$holder" ] && [ "$holder" != "$user_name" ]; then
    case "$policy" in
      remove) remove_account "$holder" ;;
      *) take_over_account "$holder" ;;
    esac
  fi
  ensure_group
  if [ -z "$(passwd_field "$user_name" 1 1)" ]; then create_account; else update_account; fi

  home_is_new=0
  if [ ! -d "$home" ]; then
    mkdir -p "$home"
    if [ -d /etc/skel ]; then cp -a /etc/skel/. "$home"/; fi
    home_is_new=1
  fi
  # A home outside /home that existed before, such as /opt/app, may hold files of other
  # accounts, so only the directory itself changes owner there.
  case "$home_is_new:$home" in
    1:*|*:/home/*) chown -R "$uid:$gid" "$home" ;;
    *)
      if [ -n "$(find "$home" -maxdepth 0 -user "$uid")" ]; then chown -R "$uid:$gid" "$home"; else chown "$uid:$gid" "$home"; fi
      ;;
  esac
  [ "$(passwd_field "$user_name" 1 3)" = "$uid" ] || fail "user $user_name does not have UID $uid after provisioning"
}

provision_sudo() {
  say "granting $user_name passwordless sudo"
  drop_in=/etc/sudoers.d/sandbox-image
  mkdir -p /etc/sudoers.d
  printf '%s ALL=(ALL:ALL) NOPASSWD:ALL\n' "$user_name" >"$drop_in"
  chmod 0440 "$drop_in"
  # `#includedir` is the spelling every sudo version reads; 1.9.1 and later also read `@includedir`.
  if [ -f /etc/sudoers ] && ! grep -Eq '^[@#]includedir[[:space:]]+/etc/sudoers.d' /etc/sudoers; then
    printf '#includedir /etc/sudoers.d\n' >>/etc/sudoers
  fi
  if has visudo; then visudo -cq -f "$drop_in" >/dev/null || fail "visudo rejected $drop_in"; fi
}

provision_ssh() {
  say "preparing sshd"
  mkdir -p /var/run/sshd
  chmod 0755 /var/run/sshd
  # Debian's package makes host keys when installed, Alpine's does not; -A makes only missing ones.
  if has ssh-keygen; then ssh-keygen -A >/dev/null; fi
}

provision_directories() {
  index=0
  while [ -d "$context/directories/$index" ]; do
    entry=$context/directories/$index
    path=$(cat "$entry/path")
    say "creating directory $path"
    mkdir -p "$path"
    chmod "$(cat "$entry/mode")" "$path"
    chown "$(cat "$entry/owner")" "$path"
    index=$((index + 1))
  done
}

provision() {
  say "base: $(value base) ($(os_release_field PRETTY_NAME))"
  want_user=$(value create_user)
  want_sudo=$(value sudo)
  want_ssh=$(value ssh)
  if [ "$want_user" = 1 ]; then
    read_user_values
    check_uid_conflict
  fi

  provision_packages
  if [ "$want_ssh" = 1 ]; then provision_ssh; fi

  if [ "$want_user" = 1 ]; then
    provision_user
    if [ "$want_sudo" = nopasswd ]; then provision_sudo; fi
    owner="$uid:$gid"
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
  index=0
  while [ -d "$context/downloads/$index" ]; do
    entry=$context/downloads/$index
    path=$(cat "$entry/path") url=$(cat "$entry/url") expected=$(cat "$entry/sha256")
    say "verifying $path"
    [ -f "$path" ] || fail "the download of $url did not produce the file $path; is $path an existing directory?"
    has sha256sum || fail "sha256sum is not installed in the image, so the download of $url cannot be verified"
    actual=$(sha256sum "$path" | cut -d ' ' -f 1)
    if [ "$actual" != "$expected" ]; then
      fail "checksum mismatch for $url: expected sha256 $expected, got $actual." \
        "Update the sha256 in the recipe if the file changed on purpose."
    fi
    chmod "$(cat "$entry/mode")" "$path"
    index=$((index + 1))
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
