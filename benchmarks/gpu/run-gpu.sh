#!/usr/bin/env bash
# The GPU benchmark run of README "Benchmarks" (one device call, after the runtime parts p1..p3 of
# ../shared/gpu/stage-ort-cuda.sh were copied to /tmp/gp by earlier calls). It expects, in the working
# tree's .gpu-bench/: anytext2-benchmarks.jar, lib/ (benchmarks/target/lib without the onnxruntime CPU jar),
# native/ (libfontconfig, libexpat, libfreetype, libharfbuzz, libgraphite2, libglib-2.0, libpcre2-8,
# libpng16, libbrotli*: the jlink'd JRE's font manager needs them and the GPU image has no fonts),
# fontdir/DejaVuSans.ttf and fonts.conf (this folder's).
# Env: PROVIDER (cuda), SIZE (512), BUILD (1 = build the random packages), PRECISIONS (packages to build, "fp32 fp16";
# RandomPackage kinds, e.g. fp16+fused for com.microsoft.MultiHeadAttention), PKGDIR, BUDGET (seconds, 560)
set -u
START=$(date +%s)
el() { echo $(( $(date +%s) - START )); }
BUDGET=${BUDGET:-560}
OUTD=${OUT:-/tmp/out}; mkdir -p "$OUTD"
W=${WORK:-/tmp/work}; mkdir -p $W/res
exec > >(tee -a "$OUTD/log.txt") 2>&1
B=.gpu-bench
PROVIDER=${PROVIDER:-cuda}; SIZE=${SIZE:-512}; CASES=${CASES:-20x1,50x1,20x4}
if [ "${LOCAL:-0}" = 1 ]; then
  JAVA=java; CP="$B/anytext2-benchmarks.jar:$B/lib/*:$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.28.0/onnxruntime-1.28.0.jar"; ORT_OPTS=""
else
  mkdir -p /tmp/gp && cp .gpu/p4/* /tmp/gp/ && ls /tmp/gp
  source .gpu/env/env.sh || { echo "runtime parts missing"; exit 3; }
  CP="$ORT_API_JAR:$B/anytext2-benchmarks.jar:$B/lib/*"
  # the jlink'd (Debian) JRE's font manager needs fontconfig, freetype and harfbuzz, which the image lacks
  export LD_LIBRARY_PATH=$PWD/$B/native:$LD_LIBRARY_PATH
  sed "s#FONTDIR#$PWD/$B/fontdir#" $B/fonts.conf > /tmp/fonts.conf; export FONTCONFIG_FILE=/tmp/fonts.conf
  [ -f $B/G.class ] && $JAVA --add-exports java.desktop/sun.font=ALL-UNNAMED -Djava.awt.headless=true -cp $B G fonts/DejaVuSans.ttf 2>&1 | head -3
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
  nproc; free -g | head -2; df -h /tmp | tail -1
fi
JOPTS="-Xmx20g -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.showDateTime=true $ORT_OPTS"
save() { tar -C $W -czf "$OUTD/results.tgz" res 2>/dev/null; }
echo "[t=$(el)] runtime ready"

PK=${PKGDIR:-$W}
if [ "${BUILD:-1}" = 1 ]; then
  pids=""  # (a bare 'wait' would also wait for the tee above, forever)
  for p in ${PRECISIONS:-fp32 fp16}; do
    ( timeout 200 $JAVA $JOPTS -Xmx12g -cp "$CP" io.anytext2.bench.RandomPackage $PK/pkg-$p $p 1 > $W/res/convert-$p.log 2>&1 ) &
    pids="$pids $!"
  done
  wait $pids
  tail -n1 $W/res/convert-*.log; du -sh $PK/pkg-* ; save
fi
echo "[t=$(el)] packages ready"
[ "${SKIP_CHECKS:-0}" = 1 ] || ( timeout 60 $JAVA $JOPTS -cp "$CP" io.anytext2.bench.ProviderCheck $PK/pkg-fp16 > $W/res/provider-check.log 2>&1 ); cat $W/res/provider-check.log | grep -v "^\s*$" | tail -8
# pageable host->device bandwidth, the path ORT's CUDA provider copies graph inputs through
[ "${SKIP_CHECKS:-0}" = 1 ] || ( timeout 30 python3 - > $W/res/h2d.txt 2>&1 <<'PY'
import torch, time
for mb in (27, 54):
    n = mb * 2**20 // 4
    h = torch.randn(n); d = torch.empty(n, device="cuda"); d.copy_(h); torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(20): d.copy_(h)
    torch.cuda.synchronize(); dt = (time.perf_counter() - t) / 20
    print(f"pageable H2D {mb} MB: {dt*1e3:.2f} ms, {mb*2**20/dt/1e9:.1f} GB/s")
PY
) ; cat $W/res/h2d.txt; save

e2e() { # name, seconds, args...
  local name=$1 secs=$2; shift 2
  local left=$(( BUDGET - $(el) ))
  if [ $left -lt 40 ]; then echo "[t=$(el)] skip $name (time)"; return; fi
  [ $secs -gt $left ] && secs=$left
  echo "[t=$(el)] run $name (limit ${secs}s)"
  timeout $secs $JAVA $JOPTS "${EXTRA[@]}" -cp "$CP" io.anytext2.bench.EndToEnd --provider $PROVIDER --size $SIZE --out $W/res/$name "$@" \
    > $W/res/$name.log 2>&1
  echo "[t=$(el)] $name rc=$?"; grep "^\[bench\]" $W/res/$name.log | tail -20; grep -i "exception\|error" $W/res/$name.log | head -5; save
}
EXTRA=()
e2e fp16 110 --package $PK/pkg-fp16 --cases $CASES --runs 2 --probe-batches 1,2 --reference $PK/pkg-fp32
e2e fp32 70 --package $PK/pkg-fp32 --cases $CASES --runs 2 --probe-batches 1,2
e2e fp16-unbatched 50 --package $PK/pkg-fp16 --cases 20x1 --runs 2 --probe-batches 1 --sampler unbatched
[ -d $PK/pkg-fp16-fp32-norms ] && e2e fp16-fp32norms 80 --package $PK/pkg-fp16-fp32-norms --cases 20x1 --runs 2 --reference $PK/pkg-fp32
echo "[t=$(el)] done"; save
