#!/usr/bin/env bash
# Builds the release: the officer console first (its own Trunk target and wasm, issue #10),
# then the respondent's widget, whose post-build hooks add event.html, copy the console into
# dist/console/ and fill in the service worker. Extra arguments (e.g. --public-url
# /have-your-say/) go to the widget's build; the console's paths are relative, so it works in
# any folder as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
trunk build src/entries/console/index.html --release --dist target/console-dist --public-url ./
trunk build index.html --release "$@"
