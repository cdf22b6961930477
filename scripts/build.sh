#!/usr/bin/env bash
# Builds the release: the officer console (its own Trunk target and wasm, issue #10), the
# web teams' preview page (issue #11), the survey editor (issue #25) and the widget with event mode (the `event` feature,
# its own wasm so respondents' pages never load it) first, then the respondent's widget, whose post-build
# hooks make the artefact dist/survey-widget/<version>/ (with the preview in it), add
# event.html and themes.html, copy the console into dist/console/ and fill in the service
# worker. Extra arguments (e.g. --public-url
# /have-your-say/) go to the widget's build; the console's paths are relative, so it works in
# any folder as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
. scripts/release-flags.sh
trunk build src/entries/console/index.html --release --dist target/console-dist --public-url ./
trunk build src/entries/preview/index.html --release --dist target/preview-dist --public-url ./
trunk build src/entries/editor/index.html --release --dist target/editor-dist --public-url ./
trunk build src/entries/sender/index.html --release --dist target/sender-dist --public-url ./
trunk build src/entries/event/index.html --release --dist target/event-dist --public-url ./
trunk build index.html --release "$@"
