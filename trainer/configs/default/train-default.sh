#!/usr/bin/env bash
# The default model's stages on a CPU (README "The default model"; the shipped package came from
# train-default-gpu.sh + anytext2-continue.yaml): synthetic data, then the three stages (recognizer ->
# VAE -> AnyText2 from scratch), each reading the previous stage's last checkpoint, then the fp32
# package. The step counts fit a 2-core CPU in about an hour, far too few for text; raise them
# (STEPS_VAE=... STEPS_REC=... STEPS_AT2=...) where time allows. Usage: trainer/configs/default/train-default.sh [RUN_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cfg="$root/trainer/configs/default"
run="${1:-$root/runs/default}"
images="${IMAGES:-3000}"
steps_vae="${STEPS_VAE:-200}"
steps_rec="${STEPS_REC:-150}"
steps_at2="${STEPS_AT2:-200}"
at2() { "$root/anytext2" "$@"; }

mkdir -p "$run"
# 1. synthetic AnyWord-style data: 128 px, Latin words (the recognizer dictionary is Latin)
bash "$cfg/synth-default.sh" "$run/synth" "$images"
data="$run/synth/anyword.json"
# 2. the three stages
at2 train --config "$cfg/recognizer.yaml" --data "$data" --out "$run/recognizer" --max-steps "$steps_rec"
at2 train --config "$cfg/vae.yaml" --data "$data" --out "$run/vae" --max-steps "$steps_vae" \
    --init "$run/recognizer/checkpoints/last.safetensors"
at2 train --config "$cfg/anytext2.yaml" --data "$data" --out "$run/anytext2" --max-steps "$steps_at2" \
    --init "$run/vae/checkpoints/last.safetensors"
# 3. the package (fp32); ./anytext2 generate uses $root/onnx when --model is not given
at2 convert --checkpoint "$run/anytext2/checkpoints/last.safetensors" --config "$cfg/model.yaml" \
    --ocr-dict "$cfg/latin_dict.txt" --out "${PACKAGE:-$run/onnx}" --overwrite --no-sampler
