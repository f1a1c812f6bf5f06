"""What nvidia-smi shows for a PyTorch process beyond its caching allocator, on the GPU machine.

The original's peak memory figures in ../shared/baselines equal 1.5 B fp16 parameters plus ≈ 0.6 GiB, which reads
like the allocator's peak (torch.cuda.max_memory_allocated): no CUDA context, no library handles, no kernel code.
Our benchmarks read nvidia-smi (the process's whole use). To compare the two, this runs fp16 work of the original's
kinds at SD1.5's shapes (convolutions, GroupNorm + SiLU, fused SDPA attention, LayerNorm, Linear + GELU, up/down
sampling, a 512² VAE-decoder convolution) so that the libraries and their kernels are loaded as in a real request,
then prints the process's nvidia-smi reading next to the allocator's. Usage: python3 torch-overhead.py
"""
import os
import subprocess

import torch
import torch.nn as nn
import torch.nn.functional as F

dev, h = "cuda", torch.half
with torch.no_grad():
    for c, s in [(320, 64), (640, 32), (1280, 16), (1280, 8)]:
        t = torch.randn(2, c, s, s, device=dev, dtype=h)
        y = nn.Conv2d(c, c, 3, padding=1).to(dev, h)(F.silu(nn.GroupNorm(32, c).to(dev, h)(t)))
        q = torch.randn(2, 8, s * s, c // 8, device=dev, dtype=h)
        F.scaled_dot_product_attention(q, q, q)
        k = torch.randn(2, 8, 77, c // 8, device=dev, dtype=h)
        F.scaled_dot_product_attention(q, k, k)
        z = nn.Linear(c, c * 8).to(dev, h)(nn.LayerNorm(c).to(dev, h)(t.flatten(2).transpose(1, 2)))
        F.gelu(z)
        nn.Conv2d(c, c, 3, stride=2, padding=1).to(dev, h)(y)
        F.interpolate(y, scale_factor=2.0, mode="nearest")
    big = torch.randn(1, 128, 512, 512, device=dev, dtype=h)
    nn.Conv2d(128, 128, 3, padding=1).to(dev, h)(F.silu(nn.GroupNorm(32, 128).to(dev, h)(big)))
    torch.cuda.synchronize()
rows = subprocess.run(["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
                      capture_output=True, text=True).stdout.splitlines()
used = sum(int(r.split(",")[1]) for r in rows if int(r.split(",")[0]) == os.getpid())
reserved = torch.cuda.memory_reserved() / 2**20
print(f"torch overhead: process {used} MiB in nvidia-smi, allocator reserved {reserved:.0f} MiB, max allocated "
      f"{torch.cuda.max_memory_allocated() / 2**20:.0f} MiB -> {used - reserved:.0f} MiB outside the allocator"
      f" (torch {torch.__version__}, {torch.cuda.get_device_name()})")
