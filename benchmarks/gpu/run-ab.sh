#!/usr/bin/env bash
# A/B of two exporter builds on one warm GPU machine (README "Tokens channels-last"): run-loop.sh's variant V (default
# ggp-heur) on the package RandomPackage builds with the previous exporter (OLD_JARS: a folder with its anytext2-exporter and
# anytext2-nn jars), then with this one (run-loop.sh's JARS folder), then the old package again; one summary line per run.
# Same staging as run-loop.sh (runtime parts in /tmp/gp, .gpu/p4 + .gpu/env, .gpu-bench/{loop,native,fontdir,fonts.conf}).
# Usage: OLD_JARS=.gpu-bench/oldjars [V=ggp-heur] bash benchmarks/gpu/run-ab.sh
set -u
V=${V:-ggp-heur}; NEW=${JARS:-.gpu-bench/loop}; OLD_JARS=${OLD_JARS:?folder with the previous exporter and nn jars}
LOOP="$(dirname "${BASH_SOURCE[0]}")/run-loop.sh"
mkdir -p /tmp/loop-old && cp -r "$NEW"/* /tmp/loop-old/ && cp "$OLD_JARS"/*.jar /tmp/loop-old/lib/
for k in old new old2; do
  J=$NEW; case $k in old*) J=/tmp/loop-old ;; esac
  pkg=/tmp/work/pkg-fp16-fused-gn-geglu-packed   # the package of the ggp-* variants
  [ $k = old2 ] && { rm -rf $pkg; mv /tmp/keep-old $pkg; }
  VARIANTS=$V WARMUP=${WARMUP:-3} RUNS=${RUNS:-5} REFERENCE=0 JARS=$J BUDGET=100 SECS=70 bash "$LOOP" 2>&1 | grep "^| $V \|rror" | sed "s/^/$k /"
  [ $k = old ] && mv $pkg /tmp/keep-old
done
