#!/usr/bin/env bash
# Replays a fuzz target's committed corpus (seeds and every crash ever found):
# each input must pass the target's checks without a crash.
set -euo pipefail
target="$1" corpus="$2"
[[ -d "$corpus" ]] || { echo "FAIL: no corpus at $corpus"; exit 1; }
exec "$target" "$corpus"
