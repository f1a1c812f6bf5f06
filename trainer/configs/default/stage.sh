# Sourced by train-default-gpu.sh and continue-default-gpu.sh (they set root, cfg, run and at2cmd first): one training
# stage of the default model.
at2() { "${at2cmd[@]}" "$@"; }
stage() { # name config max-steps time-cap [init args...]: RUN/name from RUN/synth, resumed if it has a checkpoint
  local name=$1 conf=$2 steps=$3 cap=$4; shift 4
  local args=(train --config "$cfg/$conf" --data "$run/synth/anyword.json" --out "$run/$name" --max-steps "$steps")
  if [ -f "$run/$name/checkpoints/last.safetensors" ]; then args+=(--resume); else args+=("$@"); fi
  echo "== $name: $(date -u +%T) (max $steps steps${cap:+, at most $cap s})"
  if [ -n "$cap" ]; then timeout -s TERM "$cap" "${at2cmd[@]}" "${args[@]}"; else at2 "${args[@]}"; fi
  local rc=$?
  [ -f "$run/$name/checkpoints/last.safetensors" ] || { echo "$name: no checkpoint (exit $rc)"; exit 1; }
  echo "== $name done: $(date -u +%T), exit $rc, last: $(grep -o '"global_step"[^,}]*' "$run/$name/checkpoints/last.json" 2>/dev/null)"
}
