#!/usr/bin/env bash
# GPU run of the sampler-graph work (README "Benchmarks"): builds a full-size fp16 package of random
# weights (with the sampler graph), then EndToEnd with the step-by-step UNet calls (the earlier default:
# batched + pinned) and with the sampler graph (chunks of 5 steps, and all 20 steps in one call), each in
# its own JVM so that nvidia-smi's peak memory belongs to one variant. Expects the runtime parts p1..p3 of
# ../shared/gpu/stage-ort-cuda.sh in /tmp/gp (earlier calls), .gpu/p4 + .gpu/env, and in .gpu-bench/:
# native/, fontdir/, fonts.conf (see run-gpu.sh) and loop/ (this script, anytext2-benchmarks.jar, lib/
# without the onnxruntime CPU jar). Env: BUDGET (seconds), CASES (20x1,20x4).
set -u
START=$(date +%s); el() { echo $(( $(date +%s) - START )); }
BUDGET=${BUDGET:-500}; CASES=${CASES:-20x1,20x4}
OUTD=${OUT:-/tmp/out}; mkdir -p "$OUTD"; W=/tmp/work; mkdir -p $W/res
exec > >(tee -a "$OUTD/log.txt") 2>&1
B=.gpu-bench
mkdir -p /tmp/gp && cp .gpu/p4/* /tmp/gp/
source .gpu/env/env.sh || { echo "runtime parts missing"; ls -la /tmp/gp; exit 3; }
CP="$ORT_API_JAR:$B/loop/anytext2-benchmarks.jar:$B/loop/lib/*"
export LD_LIBRARY_PATH=$PWD/$B/native:$LD_LIBRARY_PATH
sed "s#FONTDIR#$PWD/$B/fontdir#" $B/fonts.conf > /tmp/fonts.conf; export FONTCONFIG_FILE=/tmp/fonts.conf
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
JOPTS="-Xmx20g -Djava.awt.headless=true $ORT_OPTS"
save() { tar -C $W -czf "$OUTD/results.tgz" res 2>/dev/null; }
echo "[t=$(el)] runtime ready"
timeout 260 $JAVA $JOPTS -Xmx12g -cp "$CP" io.anytext2.bench.RandomPackage $W/pkg-fp16 fp16 1 > $W/res/convert-fp16.log 2>&1
tail -n1 $W/res/convert-fp16.log; du -sh $W/pkg-fp16; echo "[t=$(el)] package ready"; save
e2e() { # name, seconds, args...
  local name=$1 secs=$2; shift 2
  local left=$(( BUDGET - $(el) ))
  if [ $left -lt 40 ]; then echo "[t=$(el)] skip $name (time)"; return; fi
  [ $secs -gt $left ] && secs=$left
  echo "[t=$(el)] run $name (limit ${secs}s)"
  timeout $secs $JAVA $JOPTS -cp "$CP" io.anytext2.bench.EndToEnd --provider cuda --size 512 --out $W/res/$name \
    --package $W/pkg-fp16 --runs 2 --probe-batches none "$@" > $W/res/$name.log 2>&1
  echo "[t=$(el)] $name rc=$?"; grep "^\[bench\]\|peak\|GPU" $W/res/$name.log | tail -12
  grep -i "exception\|error" $W/res/$name.log | head -5; save
}
e2e loop5 110 --sampler loop5 --cases $CASES
e2e stepwise 110 --sampler stepwise --cases $CASES
e2e loop20 90 --sampler loop20 --cases $CASES
for n in loop5 stepwise loop20; do echo "== $n"; grep "^|" $W/res/$n/report.md 2>/dev/null | grep -v "^|---"; done
echo "[t=$(el)] done"; save
