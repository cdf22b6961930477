#!/usr/bin/env bash
# Benchmarks: builds the release bundle, prints its sizes, then the load benchmark
# (median time to the first control on a throttled phone profile, beside SurveyJS loading the
# same survey in the same runs, and a warm start from the service worker) and the save benchmark
# (input event to committed IndexedDB write, median and p95), and the sync benchmark
# (1,000 queued responses sent to the local reference collector, responses per second), then
# the collector's own benchmarks (scripts/bench-collector.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
./scripts/build.sh
node tests/budget/size.mjs dist || true
node tests/bench/load.mjs
MODE=element node tests/bench/load.mjs
MODE=iframe node tests/bench/load.mjs
node tests/bench/save.mjs
node tests/bench/event.mjs
node tests/bench/language.mjs
cargo build -p survey-collector
node tests/bench/sync.mjs
COUNT=60 HANG=0.05 node tests/bench/sync.mjs
./scripts/bench-collector.sh
