#!/usr/bin/env bash
# README command 1: install what is missing, then serve the widget with its built-in carers'
# survey on http://127.0.0.1:8080 (release build, rebuilt on change).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
echo "Serving the survey widget on http://127.0.0.1:8080 (Ctrl+C to stop)"
exec trunk serve --release
