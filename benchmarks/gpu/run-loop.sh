#!/usr/bin/env bash
# GPU run of the sampler-graph and fused-attention work (README "Benchmarks"), one device call: builds the
# full-size fp16 packages of random weights the chosen variants need (plain attention, and/or
# com.microsoft.MultiHeadAttention: RandomPackage's "fp16+fused"), then runs EndToEnd once per variant,
# each in its own JVM so that nvidia-smi's peak memory belongs to one variant, and prints one summary table.
#
# Expects the runtime parts p1..p3 of ../shared/gpu/stage-ort-cuda.sh in /tmp/gp (earlier calls), .gpu/p4 +
# .gpu/env, and in .gpu-bench/: native/, fontdir/, fonts.conf (see run-gpu.sh) and loop/ (this script,
# anytext2-benchmarks.jar, lib/ without the onnxruntime CPU jar, ort-profile-summary.py).
#
# Env:
#   VARIANTS  space-separated, run in this order (default: "plain fused fused-nhwc"). The "lowmem" variants run with the
#             SDK's default low-GPU-memory mode (arena shrinkage after every call, one image per VAE decoder call); all
#             others pass EndToEnd --keep-gpu-arenas (the mode every variant had before low memory became the default):
#               plain        fp16 package, standard attention, sampler graph in chunks of 5 steps
#               fused        fp16+fused package, chunks of 5 (+ agreement with the plain package if REFERENCE=1)
#               fused-nhwc   fp16+fused package, chunks of 5, CUDA option prefer_nhwc=1
#               plain-nhwc   fp16 package, chunks of 5, prefer_nhwc=1
#               stepwise     fp16 package, batched + pinned UNet calls (no sampler graph)
#               loop20 / fused-loop20   all 20 steps in one sampler call
#               fused-lowmem fp16+fused package, chunks of 5, --low-gpu-memory (weights outside the arenas,
#                            arena shrinkage after every call)
#               fused-lowmem-ws  as fused-lowmem, plus cudnn_conv_use_max_workspace=0
#               fused-2brows fused package whose manifest describes its sampler graph as converters before
#                            2026-11-26 wrote it (taking the control maps, not the ControlNet's inputs): the SDK
#                            then samples step by step (one warning), as for packages converted before the change
#               gn-nhwc      fp16+fused package with GroupNorm (+SiLU) as com.microsoft.GroupNorm (channels-last,
#                            CUDA only; RandomPackage kind "+gn"), one sampler call, prefer_nhwc=1
#               gn-nchw      the same package without prefer_nhwc
#               gn-lowmem    gn-nhwc with --low-gpu-memory;  gn-heur  gn-nhwc with cuDNN's heuristic algorithm choice
#                            (cudnn_conv_algo_search=HEURISTIC: no trial runs with large workspaces);  gn-lowmem-heur  both
#                            (gn-nhwc, gn-nchw and gn-lowmem pass cudnn_conv_algo_search=EXHAUSTIVE: the SDK's default for
#                            fused-GroupNorm packages is HEURISTIC since those runs)
#               gg-heur      gn-heur's options on an fp16+fused+gn+geglu package: the GEGLU feed-forwards as
#                            com.microsoft.BiasSplitGelu too (CUDA only; RandomPackage kind "+geglu")
#               ggp-heur     gg-heur's options on fp16+fused+gn+geglu+packed: also one MatMul for q, k, v of the
#                            attention (packed MultiHeadAttention inputs; RandomPackage kind "+packed")
#               ggp-lowmem-heur  ggp-heur with --low-gpu-memory
#               ggp-p2 / ggp-lowmem-p2  ggp-heur / ggp-lowmem-heur with arena_extend_strategy=kNextPowerOfTwo instead of the
#                            SDK's kSameAsRequested (ONNX Runtime issue 14474: with kSameAsRequested a Loop's iterations
#                            may not reuse the arena's memory; the 20-step request peaks 2.3 GiB above the level before)
#               ggp-lowmem-ws  ggp-lowmem-heur with cudnn_conv_use_max_workspace=0 (cuDNN's convolution workspace capped)
#               ggp-lowmem-nchw  ggp-lowmem-heur without channels-last (prefer_nhwc=0: cuDNN's legacy convolution API instead of
#                            the frontend's execution plans, whose runtime-compiled kernels stay loaded)
#               ggp-lowmem-cublas  ggp-lowmem-heur with CUBLAS_WORKSPACE_CONFIG=:4096:1 (one 4 MiB cuBLAS workspace per handle
#                            instead of the library's default for the GPU)
#               ggp-lowmem-l5 / ggp-lowmem-l1  ggp-lowmem-heur with the sampler graph in calls of 5 / 1 steps (a progress
#                            listener's chunks; the arena shrinks after each call)
#   CASES     requests per variant (default 20x1,20x4)      RUNS   timed requests per case (default 2)
#   WARMUP    untimed requests per case before them (default 1; more: the JIT-compiled preprocessing of a server)
#   PROFILE   1: ONNX Runtime's per-node profile of every graph (-Danytext2.ort.profile), summarised per operator type by
#             ort-profile-summary.py (beside this script) into res/<variant>-profile.txt; use with WARMUP=1 RUNS=1 (large)
#   PROBE     1: EndToEnd --memory-probe (peak above the level before for the VAE decoder alone, 1-step requests and
#             5/10/20-step 1-image requests; meaningful in the lowmem variants, whose arenas shrink after every call)
#   PLACEMENTS 1: ONNX Runtime's verbose node placements for the first variant's sampler graph (res/placements.log)
#   SESSIONS  1: first SessionMemory (resident GPU memory per graph session, and of one more session) on the first variant's package
#   BUDGET    seconds for the whole call (default 560)      SECS   limit per variant (default 120)
#   REFERENCE 1 (default): the "fused", "gn-nhwc", "gg-heur" and "ggp-heur" variants also compare their images and
#             UNet/ControlNet/VAE outputs with the plain package (EndToEnd --reference; runs after the timed requests and the
#             memory readings, so it changes neither)
#   JARS      folder with anytext2-benchmarks.jar and lib/ (default: .gpu-bench/loop)
#   REBUILD   1: rebuild packages even if $W/pkg-*/manifest.json exists (a warm machine keeps /tmp/work)
set -u
START=$(date +%s); el() { echo $(( $(date +%s) - START )); }
BUDGET=${BUDGET:-560}; CASES=${CASES:-20x1,20x4}; RUNS=${RUNS:-2}; SECS=${SECS:-120}
VARIANTS=${VARIANTS:-plain fused fused-nhwc}; REFERENCE=${REFERENCE:-1}
OUTD=${OUT:-/tmp/out}; mkdir -p "$OUTD"; W=/tmp/work; mkdir -p $W/res
exec > >(tee -a "$OUTD/log.txt") 2>&1
B=.gpu-bench
mkdir -p /tmp/gp && cp .gpu/p4/* /tmp/gp/
source .gpu/env/env.sh || { echo "runtime parts missing"; ls -la /tmp/gp; exit 3; }
JARS=${JARS:-$B/loop}
CP="$ORT_API_JAR:$JARS/anytext2-benchmarks.jar:$JARS/lib/*"
export LD_LIBRARY_PATH=$PWD/$B/native:$LD_LIBRARY_PATH
sed "s#FONTDIR#$PWD/$B/fontdir#" $B/fonts.conf > /tmp/fonts.conf; export FONTCONFIG_FILE=/tmp/fonts.conf
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
JOPTS="-Xmx20g -Djava.awt.headless=true $ORT_OPTS"
save() { tar -C $W -czf "$OUTD/results.tgz" res 2>/dev/null; }
echo "[t=$(el)] runtime ready; variants: $VARIANTS; cases $CASES"
if [ "${PROBE:-0}" = 1 ]; then
  # what nvidia-smi shows for a PyTorch process beyond its caching allocator (the original's peaks in ../shared/baselines
  # read like the allocator's): see torch-overhead.py beside this script
  python3 "$(dirname "${BASH_SOURCE[0]}")/torch-overhead.py" 2>&1 | tail -1
fi

# variant NAME -> PKG (RandomPackage kind), SAMPLER (EndToEnd --sampler), CUDA_OPTS (anytext2.cuda.options)
variant() {
  CUDA_OPTS=""; LOWMEM=(--keep-gpu-arenas); LEGACY_ROWS=0; VENV=() # the variants without "lowmem" in their name keep the arenas
  local base=$1
  while :; do case $base in  # environment suffixes, any variant: +ws4m (CUBLAS_WORKSPACE_CONFIG=:4096:1), +ws128k (:16:8),
    *+ws4m) VENV+=(CUBLAS_WORKSPACE_CONFIG=:4096:1); base=${base%+ws4m} ;;   # +lazy (CUDA_MODULE_LOADING=LAZY)
    *+ws128k) VENV+=(CUBLAS_WORKSPACE_CONFIG=:16:8); base=${base%+ws128k} ;;
    *+lazy) VENV+=(CUDA_MODULE_LOADING=LAZY); base=${base%+lazy} ;;
    *) break ;; esac; done
  case $base in
    plain)        PKG=fp16;       SAMPLER=loop5 ;;
    fused)        PKG=fp16+fused; SAMPLER=loop5 ;;
    fused-nhwc)   PKG=fp16+fused; SAMPLER=loop5; CUDA_OPTS=prefer_nhwc=1 ;;
    plain-nhwc)   PKG=fp16;       SAMPLER=loop5; CUDA_OPTS=prefer_nhwc=1 ;;
    stepwise)     PKG=fp16;       SAMPLER=stepwise ;;
    loop20)       PKG=fp16;       SAMPLER=loop20 ;;
    fused-loop20) PKG=fp16+fused; SAMPLER=loop20 ;;
    fused-lowmem) PKG=fp16+fused; SAMPLER=loop5; LOWMEM=() ;;
    fused-lowmem-ws) PKG=fp16+fused; SAMPLER=loop5; LOWMEM=(); CUDA_OPTS=cudnn_conv_use_max_workspace=0 ;;
    fused-2brows) PKG=fp16+fused; SAMPLER=loop5; LEGACY_ROWS=1 ;;
    gn-nhwc)      PKG=fp16+fused+gn; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=EXHAUSTIVE ;;
    gn-nchw)      PKG=fp16+fused+gn; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=0,cudnn_conv_algo_search=EXHAUSTIVE ;;
    gn-lowmem)    PKG=fp16+fused+gn; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=EXHAUSTIVE; LOWMEM=() ;;
    gn-lowmem-heur) PKG=fp16+fused+gn; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC; LOWMEM=() ;;
    gn-heur)      PKG=fp16+fused+gn; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC ;;
    gg-heur)      PKG=fp16+fused+gn+geglu; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC ;;
    ggp-heur)     PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC ;;
    ggp-lowmem-heur) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC; LOWMEM=() ;;
    ggp-p2)       PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=arena_extend_strategy=kNextPowerOfTwo ;;
    ggp-lowmem-p2) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=arena_extend_strategy=kNextPowerOfTwo; LOWMEM=() ;;
    ggp-lowmem-ws) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC,cudnn_conv_use_max_workspace=0; LOWMEM=() ;;
    ggp-lowmem-nchw) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=0,cudnn_conv_algo_search=HEURISTIC; LOWMEM=() ;;
    ggp-lowmem-cublas) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop20; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC; LOWMEM=(); VENV=(CUBLAS_WORKSPACE_CONFIG=:4096:1) ;;
    ggp-lowmem-l5) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop5; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC; LOWMEM=() ;;
    ggp-lowmem-l1) PKG=fp16+fused+gn+geglu+packed; SAMPLER=loop1; CUDA_OPTS=prefer_nhwc=1,cudnn_conv_algo_search=HEURISTIC; LOWMEM=() ;;
    *) echo "unknown variant '$1' (plain fused fused-nhwc plain-nhwc stepwise loop20 fused-loop20 fused-lowmem fused-lowmem-ws fused-2brows gn-nhwc gn-nchw gn-lowmem gn-lowmem-heur gn-heur gg-heur ggp-heur ggp-lowmem-heur ggp-p2 ggp-lowmem-p2 ggp-lowmem-l5 ggp-lowmem-l1 ggp-lowmem-ws ggp-lowmem-nchw ggp-lowmem-cublas)"; return 1 ;;
  esac
}
pkgdir() { echo "$W/pkg-${1//+/-}"; }   # fp16+fused -> /tmp/work/pkg-fp16-fused

# the packages the variants need, built in parallel (a bare 'wait' would also wait for the tee above)
KINDS=""
for v in $VARIANTS; do variant $v || exit 2; case " $KINDS " in *" $PKG "*) ;; *) KINDS="$KINDS $PKG" ;; esac; done
[ "$REFERENCE" = 1 ] && case " $VARIANTS " in *" fused "*|*" gn-nhwc "*|*" gg-heur "*|*" ggp-heur "*) case " $KINDS " in *" fp16 "*) ;; *) KINDS="$KINDS fp16" ;; esac ;; esac
pids=""
for k in $KINDS; do
  d=$(pkgdir $k)
  if [ "${REBUILD:-0}" != 1 ] && [ -f $d/manifest.json ]; then echo "reusing $d"; continue; fi
  ( timeout 260 $JAVA $JOPTS -Xmx12g -cp "$CP" io.anytext2.bench.RandomPackage $d $k 1 > $W/res/convert-${k//+/-}.log 2>&1 ) &
  pids="$pids $!"
done
[ -n "$pids" ] && wait $pids
for k in $KINDS; do d=$(pkgdir $k); tail -n1 $W/res/convert-${k//+/-}.log 2>/dev/null; du -sh $d
  grep -o '"fusedAttention" : [a-z]*' $d/manifest.json || echo "no manifest in $d"; done
echo "[t=$(el)] packages ready"; save

e2e() { # variant name
  local name=$1 left=$(( BUDGET - $(el) )) secs=$SECS extra=()
  variant $name || return
  if [ $left -lt 40 ]; then echo "[t=$(el)] skip $name (time)"; return; fi
  case $name in fused|gn-nhwc|gg-heur|ggp-heur) [ "$REFERENCE" = 1 ] && { extra=(--reference $(pkgdir fp16)); secs=$(( SECS + 30 )); } ;; esac
  [ $secs -gt $left ] && secs=$left
  local pkg=$(pkgdir $PKG)
  if [ "$LEGACY_ROWS" = 1 ]; then # same files, manifest of the older sampler form (its ControlNet context input renamed)
    local legacy=$pkg-2brows; rm -rf $legacy; mkdir -p $legacy
    for f in $pkg/*; do [ "$(basename $f)" = manifest.json ] || ln -s $f $legacy/; done
    sed 's/"control_context"/"control_00"/' $pkg/manifest.json > $legacy/manifest.json; pkg=$legacy
  fi
  local prof=()
  [ "${PROFILE:-0}" = 1 ] && { rm -rf $W/res/$name-prof; prof=(-Danytext2.ort.profile=$W/res/$name-prof); }
  echo "[t=$(el)] run $name: package $pkg, sampler $SAMPLER, cuda options '${CUDA_OPTS}' ${LOWMEM[*]} ${VENV[*]} (limit ${secs}s)"
  timeout $secs env "${VENV[@]}" $JAVA $JOPTS "${prof[@]}" -Danytext2.cuda.options="$CUDA_OPTS" -cp "$CP" io.anytext2.bench.EndToEnd --provider cuda \
    --size 512 --out $W/res/$name --package $pkg --runs $RUNS --probe-batches none --sampler $SAMPLER \
    --cases $CASES --warmup ${WARMUP:-1} ${PROBE:+--memory-probe} "${LOWMEM[@]}" "${extra[@]}" > $W/res/$name.log 2>&1
  echo "[t=$(el)] $name rc=$?"; grep "^\[bench\]\|peak\|GPU\|probe" $W/res/$name.log | tail -14
  grep -i "exception\|error" $W/res/$name.log | head -5
  if [ "${PROFILE:-0}" = 1 ]; then # the raw profiles are large: keep the summary only
    python3 "$(dirname "${BASH_SOURCE[0]}")/ort-profile-summary.py" $W/res/$name-prof 25 > $W/res/$name-profile.txt 2>&1
    head -30 $W/res/$name-profile.txt; rm -rf $W/res/$name-prof
  fi
  save
}
if [ "${SESSIONS:-0}" = 1 ]; then # resident memory per graph session (SessionMemory) on the first variant's package
  variant ${VARIANTS%% *}; echo "[t=$(el)] session memory, package $(pkgdir $PKG)"
  timeout 120 env "${VENV[@]}" $JAVA $JOPTS -Danytext2.cuda.options="$CUDA_OPTS" -cp "$CP" io.anytext2.bench.SessionMemory $(pkgdir $PKG) 2>&1 | grep "^\[mem\]\|rror"
fi
if [ "${PLACEMENTS:-0}" = 1 ]; then # ONNX Runtime's node placements in the first variant's sampler graph (CPU nodes, Memcpy)
  variant ${VARIANTS%% *}; echo "[t=$(el)] node placements, sampler graph of $(pkgdir $PKG)"
  timeout 120 $JAVA $JOPTS -Danytext2.ort.verbose=true -cp "$CP" io.anytext2.bench.SessionMemory $(pkgdir $PKG) sampler \
    > $W/res/placements.log 2>&1
  grep -n -i "placed on\|memcpy" $W/res/placements.log | cut -c1-300 | head -40
  wc -l < $W/res/placements.log
fi
for v in $VARIANTS; do e2e $v; done

for v in $VARIANTS; do echo "== $v"; grep "^|" $W/res/$v/report.md 2>/dev/null | grep -v "^|---"; done
# one line per variant: ms per CFG step and request times per case, peak memory (from report.json)
python3 - $W/res $VARIANTS <<'PY' || true
import json, os, sys
root, names = sys.argv[1], sys.argv[2:]
print("| variant | attention | cuda options | case | ms/CFG step | min ms | median ms | phases (median ms) | peak GiB 1 img / all |")
print("|---|---|---|---|---|---|---|---|---|")
def num(v, spec):  # EndToEnd writes NaN (one sampler call per request: no per-step time) as a string
    return format(v, spec) if isinstance(v, (int, float)) else str(v)
for n in names:
    f = os.path.join(root, n, "report.json")
    if not os.path.exists(f):
        print(f"| {n} | | | no report | | | | | |"); continue
    r = json.load(open(f))
    att = "fused" if r.get("fused_attention") else "standard"
    mem = f"{r.get('peak_gpu_mib_1_image', 0) / 1024:.1f} / {r.get('peak_gpu_mib_all', 0) / 1024:.1f}"
    for c in r.get("requests", []):
        print(f"| {n} | {att} | {r.get('cuda_options', '')} | {c['case']} | "
              f"{num(c['cfg_step_median_ms'], '.2f')} | {num(c['min_ms'], '.0f')} | {num(c['median_ms'], '.0f')} | "
              + " / ".join(f"{k} {v:.0f}" for k, v in c.get("phase_median_ms", {}).items()) + f" | {mem} |")
    print(f"| {n} memory | | | sessions open {r.get('gpu_memory_after_sessions_mib')} MiB, after the first request "
          f"{r.get('gpu_memory_after_first_request_mib')} MiB (before {r.get('gpu_memory_before_mib')}) | | | | | |")
    ref = r.get("reference")
    if ref: print(f"| {n} vs {ref.get('package')} | | | " + ", ".join(f"{k} {v:.4g}" for k, v in ref.items() if k != "package") + " | | | | | |")
PY
echo "[t=$(el)] done"; save
