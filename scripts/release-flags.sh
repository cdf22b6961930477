# Sourced by scripts/build.sh and scripts/dev.sh, so both build the wasm with the same flags
# (and cargo's cache serves both). Panic locations name the crates' source files: without the
# machine's own cargo folder in them, the wasm is the same byte for byte wherever it is built
# (and a little smaller), so the size check measures the same on every machine.
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src/"
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$registry= --remap-path-prefix=$PWD/="
