#!/usr/bin/env bash
# The default model on a GPU (README "The default model"): the same three stages as train-default.sh
# with the *-gpu.yaml configs (larger batches, more data workers) on 20 000 synthetic images of 1-2
# one-word lines at 18-32 % of the image height, on plain backgrounds and near-upright (synth --simple). The recognizer and the VAE train disjoint weights, so
# they run side by side (the GPU is far from busy with either) and the AnyText2 stage starts from the
# VAE's checkpoint with the recognizer's text_predictor.* (--init-part); the recognizer keeps training beside it
# (REC_BESIDE_AT2=0: not) and the package's OCR judge is its last checkpoint. Step counts default to none;
# TIME_REC / TIME_VAE / TIME_AT2 (seconds) stop a stage early (SIGTERM: the step in progress ends and
# the last checkpoint is written).
# Needs the trainer on CUDA (README "Training on a GPU"). Usage: train-default-gpu.sh [RUN_DIR]
# AT2 overrides the command that runs anytext2 (default: the repository's launcher). ALIGNED=1 draws the synthetic lines as
# their glyph hints (synth --glyph-aligned, README "The default model"; not yet run from scratch).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cfg="$root/trainer/configs/default"
run="${1:-$root/runs/default-gpu}"
images="${IMAGES:-20000}"
read -r -a at2cmd <<< "${AT2:-$root/anytext2}"
source "$cfg/stage.sh"
mkdir -p "$run"
bash "$cfg/synth-default.sh" "$run/synth" "$images" || exit 1
stage recognizer recognizer-gpu.yaml "${STEPS_REC:-100000}" "${TIME_REC:-}" > "$run/recognizer.log" 2>&1 &
rec=$!
stage vae vae-gpu.yaml "${STEPS_VAE:-100000}" "${TIME_VAE:-}" > "$run/vae.log" 2>&1 &
vae=$!
wait $rec || { tail -5 "$run/recognizer.log"; exit 1; }
wait $vae || { tail -5 "$run/vae.log"; exit 1; }
grep -h "^==" "$run/recognizer.log" "$run/vae.log"
# The AnyText2 stage reads (frozen) the recognizer as it is now for its OCR losses and its embedding manager's
# starting point. The GPU is far from busy, so the recognizer run goes on beside it (--resume, same time cap) and
# its final weights become the package's OCR judge (convert --judge: ocr_recognizer.onnx only; the embedding graph keeps
# the recognizer the AnyText2 stage was trained with): the evaluation reads with the better reader.
cp "$run/recognizer/checkpoints/last.safetensors" "$run/recognizer-at-anytext2-start.safetensors"
if [ "${REC_BESIDE_AT2:-1}" = 1 ]; then
  stage recognizer recognizer-gpu.yaml "${STEPS_REC:-100000}" "${TIME_AT2:-}" >> "$run/recognizer.log" 2>&1 &
  rec=$!
fi
stage anytext2 anytext2-gpu.yaml "${STEPS_AT2:-100000}" "${TIME_AT2:-}" --init "$run/vae/checkpoints/last.safetensors" \
    --init-part "text_predictor.=$run/recognizer-at-anytext2-start.safetensors"
if [ "${REC_BESIDE_AT2:-1}" = 1 ]; then wait $rec || { tail -5 "$run/recognizer.log"; exit 1; }; fi
at2 convert --checkpoint "$run/anytext2/checkpoints/last.safetensors" --config "$cfg/model.yaml" \
    --judge "$run/recognizer/checkpoints/last.safetensors" \
    --ocr-dict "$cfg/latin_dict.txt" --out "${PACKAGE:-$run/onnx}" --overwrite --no-sampler
