#!/usr/bin/env bash
# Installs whatever is missing to build (and, with --test, to test) the widget.
# Idempotent: every step checks first, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

TRUNK_VERSION=0.22.1
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  log "installing trunk $TRUNK_VERSION (about 10 minutes, once)"
  # trunk 0.22.1 declares a newer rust-version than it needs.
  cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  # Not --locked: its lockfile pins a webpki-roots the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt 132 (npm binaryen), Playwright, axe-core and SurveyJS (the load benchmark's
# yardstick), exactly as package-lock.json says.
if [[ ! -x node_modules/.bin/wasm-opt || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm tools (binaryen, playwright-core, axe-core, survey-core, survey-js-ui)"
  npm ci --no-audit --no-fund
fi

if $want_test; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v brotli >/dev/null || missing+=(brotli)
  # The collector's PostgreSQL store is tested against a real server (scripts/with-postgres.sh).
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  if ! python3 -c 'import jsonschema' 2>/dev/null; then
    log "installing jsonschema from PyPI (checks public/survey.schema.json)"
    python3 -m pip install --quiet 'jsonschema>=4.18,<5'
  fi
  if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian"
    if [[ " ${missing[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
      # Tests run their own scratch server: do not let the package create and start a cluster
      # that would keep running after them.
      mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 \
      apt-get install -y -qq -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
    # Should the package have created and started a cluster anyway, stop it.
    if command -v pg_lsclusters >/dev/null; then
      pg_lsclusters -h 2>/dev/null | while read -r version cluster _; do
        pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
      done
    fi
  fi
fi

# Trunk builds offline, so every crate must be here first.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
