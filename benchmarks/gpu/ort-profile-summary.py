#!/usr/bin/env python3
"""Summarises ONNX Runtime profiles (-Danytext2.ort.profile=DIR, run-loop.sh PROFILE=1): per graph file, the
model_run count and time, and per operator type the node events ("*_kernel_time": the host side of a node's
Compute, i.e. for the CUDA provider the launch cost, which bounds a host-bound step), their count and total time.
Usage: ort-profile-summary.py DIR [TOP]"""
import glob, json, os, sys
from collections import defaultdict

def main():
    folder = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    for f in sorted(glob.glob(os.path.join(folder, "*.json"))):
        try:
            events = json.load(open(f))
        except ValueError as e:
            print(f"{os.path.basename(f)}: unreadable ({e})")
            continue
        runs = [e for e in events if e.get("cat") == "Session" and e.get("name") == "model_run"]
        nodes = [e for e in events if e.get("cat") == "Node" and e.get("name", "").endswith("_kernel_time")]
        if not runs and not nodes:
            continue
        by_op = defaultdict(lambda: [0, 0.0])
        by_provider = defaultdict(float)
        for e in nodes:
            a = e.get("args", {})
            op = a.get("op_name", "?")
            by_op[op][0] += 1
            by_op[op][1] += e.get("dur", 0)
            by_provider[a.get("provider", "?")] += e.get("dur", 0)
        run_us = sum(e.get("dur", 0) for e in runs)
        node_us = sum(v[1] for v in by_op.values())
        print(f"== {os.path.basename(f)}: {len(runs)} runs, {run_us / 1000:.1f} ms in model_run, "
              f"{len(nodes)} node events, {node_us / 1000:.1f} ms in nodes "
              + ", ".join(f"{p} {us / 1000:.1f} ms" for p, us in sorted(by_provider.items())))
        for op, (n, us) in sorted(by_op.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"  {op:28s} {n:7d} nodes {us / 1000:9.1f} ms  {us / max(n, 1):7.1f} us/node")

if __name__ == "__main__":
    main()
