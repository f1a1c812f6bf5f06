#!/usr/bin/env bash
# The default model's synthetic data (README "The default model"), one definition for train-default.sh,
# train-default-gpu.sh and continue-default-gpu.sh: COUNT AnyWord-format images at 128 px of 1-2 one-word
# Latin lines at 18-32 % of the height, near-upright on plain backgrounds (synth --simple), seed 11, into OUT;
# nothing is done when OUT/anyword.json exists. AT2 overrides the command that runs anytext2. ALIGNED=1 adds
# --glyph-aligned (every line drawn as its glyph hint: the ControlNet's glyph input and the text coincide); LANGUAGES
# replaces latin (e.g. latin,cjk: half the lines Chinese, with the configs and dictionary for it, anytext2-gpu-cjk.yaml).
# Usage: synth-default.sh OUT COUNT
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out="${1:?usage: synth-default.sh OUT COUNT}"
count="${2:?usage: synth-default.sh OUT COUNT}"
[ -f "$out/anyword.json" ] && exit 0
read -r -a at2cmd <<< "${AT2:-$root/anytext2}"
exec "${at2cmd[@]}" synth --out "$out" --count "$count" --size 128 --seed 11 --languages "${LANGUAGES:-latin}" \
    --max-lines 2 --max-words 1 --text-height 0.18,0.32 --simple ${ALIGNED:+--glyph-aligned}
