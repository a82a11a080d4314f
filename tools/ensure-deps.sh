#!/usr/bin/env bash
# tools/ensure-deps.sh: install the Debian 12 packages metaport needs, and only
# those that are missing. Shared by tests/run and the ./metaport launcher.
#
#   source tools/ensure-deps.sh; metaport_ensure_deps [--quiet]
#   tools/ensure-deps.sh [--quiet] [--list]
#
# Needs root (or password-less sudo) only when something is missing. Runs
# `apt-get update` once, and only then. --quiet keeps apt's output in a log
# that is shown only on failure.

METAPORT_APT_PACKAGES=(
  # Bazel 4.2.3 and the rules it uses offline (shared/notes/offline-bazel.md)
  bazel-bootstrap bazel-rules-cc bazel-rules-java bazel-platforms bazel-skylib
  # C++ libraries
  libboost1.81-dev libboost-json1.81-dev libyaml-cpp-dev libgtest-dev googletest
  libbenchmark-dev libsqlite3-dev libpq-dev libmariadb-dev libgit2-dev libsodium-dev libsimdjson-dev
  libcli11-dev libfmt-dev libzstd-dev zlib1g-dev libjemalloc-dev
  # tools and servers used by tests
  sqlite3 postgresql git
  # MariaDB 10.11 (server, its client tools) and Galera 4 for the 3-node
  # cluster test; rsync carries Galera's state transfers
  mariadb-server mariadb-client galera-4 rsync
  # the reliability tests read zstd dumps with the zstd tool; fuzz/run builds with clang 14 and its libFuzzer
  zstd clang-14 libclang-rt-14-dev
  # the git sync tests serve repositories over smart HTTP (git http-backend as CGI)
  lighttpd
  # bench/run measures wall time and peak memory with /usr/bin/time
  time
)

# Node.js and npm are checked by command, not by package: a machine may carry a
# nodejs build that bundles npm (then Debian's `npm` package must not be added).
metaport_missing_packages() {
  local p missing=() installed
  # One dpkg-query for all packages (this runs on every ./metaport call).
  installed=" $(dpkg-query -W -f='${db:Status-Status}:${Package} ' "${METAPORT_APT_PACKAGES[@]}" 2>/dev/null || true) "
  for p in "${METAPORT_APT_PACKAGES[@]}"; do
    [[ "$installed" == *" installed:$p "* ]] || missing+=("$p")
  done
  if ! command -v node >/dev/null 2>&1; then
    missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
  elif ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
  fi
  ((${#missing[@]})) && printf '%s\n' "${missing[@]}"
  return 0
}

metaport_ensure_deps() {
  local quiet=0
  [[ "${1:-}" == --quiet ]] && quiet=1
  local missing
  mapfile -t missing < <(metaport_missing_packages)
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "metaport: missing Debian packages: ${missing[*]}" >&2
      echo "metaport: run as root (or with sudo): apt-get update && apt-get install -y ${missing[*]}" >&2
      return 1
    fi
  fi

  echo "metaport: installing missing Debian packages: ${missing[*]}" >&2
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/metaport-apt.XXXXXX")"
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0)
  if ((quiet)); then
    if ! { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2
      echo "metaport: apt-get failed (log above)" >&2
      rm -f "$log"
      return 1
    fi
  else
    if ! { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}"; }; then
      echo "metaport: apt-get failed" >&2
      rm -f "$log"
      return 1
    fi
  fi
  rm -f "$log"

  mapfile -t missing < <(metaport_missing_packages)
  if ((${#missing[@]})); then
    echo "metaport: still missing after apt-get install: ${missing[*]}" >&2
    return 1
  fi
  return 0
}

# Executed rather than sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    --list) metaport_missing_packages ;;
    *) metaport_ensure_deps "$@" ;;
  esac
fi
