#!/usr/bin/env bash
# Install, idempotently, every Debian package that building and testing RediORM needs: the
# union of the lists in scripts/deps/*.txt (one package per line, # for comments; each
# feature keeps its own list), plus scripts/deps/optional/NAME.txt for each `--with NAME`
# (e.g. --with fuzz for clang). Uses apt-get as root, sudo otherwise; does nothing when every
# package is already installed.
set -euo pipefail
cd "$(dirname "$0")"

lists=(deps/*.txt)
while [ $# -gt 0 ]; do
  case "$1" in
    --with)
      [ -f "deps/optional/$2.txt" ] || { echo "install-deps: no list deps/optional/$2.txt" >&2; exit 2; }
      lists+=("deps/optional/$2.txt")
      shift 2
      ;;
    *)
      echo "usage: install-deps.sh [--with NAME]..." >&2
      exit 2
      ;;
  esac
done

mapfile -t packages < <(cat "${lists[@]}" | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
