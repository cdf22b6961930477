#!/usr/bin/env bash
# README command 1: install what is missing, then serve the widget with its built-in carers'
# survey on http://127.0.0.1:8080 (release build, rebuilt on change), with the reference
# collector on http://127.0.0.1:8787 receiving the responses it sends.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
mkdir -p .tmp
cargo build --offline -p survey-collector
# A fresh API token for reading the demo's responses (the exports need one).
./target/debug/survey-collector token revoke demo --db .tmp/demo-collector.sqlite 2>/dev/null || true
token=$(./target/debug/survey-collector token add --name demo --db .tmp/demo-collector.sqlite 2>/dev/null)
# A console account for the demo, with a new random password each run (printed below).
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
./target/debug/survey-collector user remove demo --db .tmp/demo-collector.sqlite 2>/dev/null || true
printf '%s\n' "$password" | ./target/debug/survey-collector user add demo --db .tmp/demo-collector.sqlite 2>/dev/null
./target/debug/survey-collector --port 8787 --db .tmp/demo-collector.sqlite \
  --origin http://127.0.0.1:8080 --surveys public/surveys &
collector=$!
trap 'kill "$collector" 2>/dev/null || true' EXIT INT TERM
# The officer console, the preview page, the survey editor and the event build are their own Trunk targets:
# built first, copied in by the main build's hook. The wasm is built with build.sh's flags.
. scripts/release-flags.sh
trunk build src/entries/console/index.html --release --dist target/console-dist --public-url ./
trunk build src/entries/preview/index.html --release --dist target/preview-dist --public-url ./
trunk build src/entries/editor/index.html --release --dist target/editor-dist --public-url ./
trunk build src/entries/sender/index.html --release --dist target/sender-dist --public-url ./
trunk build src/entries/event/index.html --release --dist target/event-dist --public-url ./
echo "Serving the survey widget on http://127.0.0.1:8080 (Ctrl+C to stop)"
echo "Event mode (one tablet, many people): http://127.0.0.1:8080/event.html, console at /console/"
echo "Embedding: http://127.0.0.1:8080/themes.html; preview page: http://127.0.0.1:8080/survey-widget/0.1.0/preview.html"
echo "Shaping a survey without JSON: http://127.0.0.1:8080/survey-widget/0.1.0/editor.html"
echo "Responses go to the collector on http://127.0.0.1:8787; read them with"
echo "  curl -H 'Authorization: Bearer $token' http://127.0.0.1:8787/surveys/carers-strategy/wide.csv"
echo "The council's console: http://127.0.0.1:8787/console (username demo, password $password);"
echo "the public reference lookup: http://127.0.0.1:8787/lookup"
# No auto-reload: the service worker serves the page from its cache (a new build is taken up
# on the next load after it updates), and a cached page cannot reach the reload socket.
trunk serve --release --no-autoreload
