#!/usr/bin/env bash
# Continues the AnyText2 stage of a train-default-gpu.sh run on a GPU (README "The default model"), beside a fresh
# recognizer run that becomes the package's OCR judge: AnyText2 from RUN/anytext2's last checkpoint (--init: new
# optimizer state) into RUN/anytext2-b for at most TIME_AT2 s, the recognizer (recognizer-gpu.yaml, loose crops) into
# RUN/judge for the same time; then the package from RUN/anytext2-b with its OCR judge (convert --judge: ocr_recognizer.onnx
# only) from RUN/judge, or from JUDGE=checkpoint (the shipped model: JUDGE=RUN/recognizer/checkpoints/last.safetensors,
# the first run's recognizer, which reads better than a fresh one after the same minutes). With JUDGE set no fresh judge
# is trained (it would not be used); JUDGE=none converts with the model's own recognizer as judge (swap
# ocr_recognizer.onnx later from a package converted with the judge you keep).
# CONFIG picks the AnyText2 config (default anytext2-gpu.yaml; anytext2-gpu-late.yaml: a third of its learning rate,
# for a later continuation). REC=checkpoint replaces the stage's frozen recognizer (text_predictor.*: the embedding
# manager's OCR branch and the OCR/CTC losses read with it) by that checkpoint's (--init-part text_predictor.=REC), e.g.
# the judge run's: the stage-1 recognizer the shipped model trained with reads nothing (NED 0 on clean words).
# JUDGE_INIT=checkpoint starts the fresh judge from that checkpoint's recognizer (a judge that reads, fine-tuned on this
# run's data, e.g. after ALIGNED=1 changed how the lines look) instead of random weights; JUDGE_CONFIG picks its config
# (default recognizer-gpu.yaml; recognizer-gpu-tune.yaml: a lower learning rate for such a fine-tune). OCR_DICT names the
# package's dictionary in this folder (default latin_dict.txt; latin_cjk_dict.txt after extend-dict, with LANGUAGES=latin,cjk).
# Usage: continue-default-gpu.sh RUN_DIR   (INIT=checkpoint overrides RUN/anytext2/checkpoints/last.safetensors)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cfg="$root/trainer/configs/default"
run="${1:?usage: continue-default-gpu.sh RUN_DIR}"
init="${INIT:-$run/anytext2/checkpoints/last.safetensors}"
read -r -a at2cmd <<< "${AT2:-$root/anytext2}"
[ -f "$init" ] || { echo "no AnyText2 checkpoint at $init"; exit 1; }
bash "$cfg/synth-default.sh" "$run/synth" "${IMAGES:-20000}" || exit 1
source "$cfg/stage.sh"
judges=()
if [ -z "${JUDGE:-}" ]; then
  judge_init=()
  [ -n "${JUDGE_INIT:-}" ] && judge_init=(--init "$init" --init-part "text_predictor.=$JUDGE_INIT")
  stage judge "${JUDGE_CONFIG:-recognizer-gpu.yaml}" "${STEPS:-100000}" "${TIME_AT2:-}" "${judge_init[@]}" > "$run/judge.log" 2>&1 &
  judge=$!
  judges=(judge)
fi
rec_args=()
[ -n "${REC:-}" ] && rec_args=(--init-part "text_predictor.=$REC")
stage anytext2-b "${CONFIG:-anytext2-gpu.yaml}" "${STEPS:-100000}" "${TIME_AT2:-}" --init "$init" "${rec_args[@]}"
[ -n "${judge:-}" ] && wait $judge
judge_args=(--judge "${JUDGE:-$run/judge/checkpoints/last.safetensors}")
[ "${JUDGE:-}" = none ] && judge_args=()
for s in "${judges[@]}" anytext2-b; do [ -f "$run/$s/checkpoints/last.safetensors" ] || { echo "$s: no checkpoint"; tail -5 "$run/$s.log" 2>/dev/null; exit 1; }; done
"${at2cmd[@]}" convert --checkpoint "$run/anytext2-b/checkpoints/last.safetensors" --config "$cfg/model.yaml" \
    "${judge_args[@]}" \
    --ocr-dict "$cfg/${OCR_DICT:-latin_dict.txt}" --out "${PACKAGE:-$run/onnx}" --overwrite --no-sampler
