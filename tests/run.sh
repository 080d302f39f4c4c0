#!/usr/bin/env bash
# The test command of the README: installs what the tests need and runs them all.
#  - system servers and tools the integration tests talk to (Dovecot, PostgreSQL, gnome-keyring,
#    poppler-utils, isync for the benchmark peer) from Debian/Ubuntu packages when missing;
#  - the project with its test extra into ./.venv;
#  - then lint, types and the pytest suite (unit, integration with real servers, UI offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(dovecot-imapd postgresql gnome-keyring dbus dbus-user-session libsecret-tools
          poppler-utils isync fonts-dejavu-core xvfb libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
          appstream desktop-file-utils
          libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3)
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check desktop ui tests
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
