#!/usr/bin/env bash
# Builds DJL 0.36.0's PyTorch JNI (libdjl_torch.so) against the libtorch of a local PyTorch install, so
# that the DJL trainer runs on that libtorch's CUDA (README "Training on a GPU"). DJL publishes CUDA
# natives only up to libtorch 2.7.1 / CUDA 12.8; a GPU machine with another libtorch (here: 2.11, CUDA 13)
# needs a JNI compiled against it. Two steps, because the GPU machine has no JDK and no network:
#
#   kit   DJL_SRC KIT      on a machine with a JDK: copy DJL v0.36.0's JNI sources (a checkout of
#                          github.com/deepjavalibrary/djl at tag v0.36.0), generate the JNI header with
#                          javac -h, and copy jni.h, into the folder KIT (≈ 0.5 MB).
#   build KIT OUT [TORCH]  on the GPU machine: compile with g++ against TORCH (default: python3's torch
#                          package) and write OUT/libdjl_torch.so.
#
# Then run the trainer with  PYTORCH_LIBRARY_PATH=<TORCH>/lib PYTORCH_VERSION=<torch version>
# PYTORCH_FLAVOR=cu<nnn>  and libdjl_torch.so copied into <TORCH>/lib (DJL looks for the JNI library in
# the libtorch folder first), without the pytorch-native-cpu and pytorch-jni jars on the class path.
set -euo pipefail
cmd=${1:?usage: build-djl-jni.sh kit DJL_SRC KIT | build KIT OUT [TORCH_DIR]}
case "$cmd" in
kit)
  src=$(cd "${2:?DJL source checkout}" && pwd); kit=${3:?kit folder}
  native="$src/engines/pytorch/pytorch-native/src/main/native"
  [ -f "$native/djl_pytorch_utils.h" ] || { echo "error: $src is not a DJL checkout (no $native)" >&2; exit 2; }
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  rm -rf "$kit"; mkdir -p "$kit/native" "$kit/include" "$kit/jni/linux" "$kit/utils/djl"
  cp "$native"/*.cc "$native"/*.h "$kit/native/"
  cp "$src/api/src/main/native/djl/utils.h" "$kit/utils/djl/"
  cp "$jdk/include/jni.h" "$kit/jni/"; cp "$jdk/include/linux/jni_md.h" "$kit/jni/linux/"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  javac -nowarn -sourcepath "$src/engines/pytorch/pytorch-engine/src/main/java:$src/api/src/main/java" \
    -h "$kit/include" -d "$tmp" "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
  echo "kit ready: $kit ($(du -sh "$kit" | cut -f1))"
  ;;
build)
  kit=$(cd "${2:?kit folder}" && pwd); out=${3:?output folder}; mkdir -p "$out"
  torch=${4:-$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')}
  abi=$(python3 -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))' 2>/dev/null || echo 1)
  cuda_inc=""
  for d in /usr/local/cuda/include /usr/local/cuda-*/targets/x86_64-linux/include; do
    [ -f "$d/cuda_runtime_api.h" ] && { cuda_inc="-I$d -DUSE_CUDA"; break; }
  done
  flags="-O2 -fPIC -std=c++17 -w -D_GLIBCXX_USE_CXX11_ABI=$abi -I$kit/include -I$kit/jni -I$kit/jni/linux -I$kit/utils
    -I$torch/include -I$torch/include/torch/csrc/api/include $cuda_inc"
  obj=$(mktemp -d)
  echo "compiling $(ls "$kit"/native/*.cc | wc -l) files against $torch (cxx11 abi $abi${cuda_inc:+, CUDA})"
  ls "$kit"/native/*.cc | xargs -P "$(nproc)" -I{} sh -c 'g++ '"$(echo $flags)"' -c "$1" -o "$2/$(basename "$1" .cc).o" || exit 255' _ {} "$obj"
  cuda_libs=""; [ -n "$cuda_inc" ] && [ -f "$torch/lib/libtorch_cuda.so" ] && cuda_libs="-ltorch_cuda -lc10_cuda"
  g++ -shared -o "$out/libdjl_torch.so" "$obj"/*.o -L"$torch/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu $cuda_libs -lc10 \
    -Wl,--as-needed -Wl,-rpath,'$ORIGIN'
  rm -rf "$obj"
  echo "built $out/libdjl_torch.so ($(du -h "$out/libdjl_torch.so" | cut -f1))"
  ;;
*) echo "usage: build-djl-jni.sh kit DJL_SRC KIT | build KIT OUT [TORCH_DIR]" >&2; exit 2 ;;
esac
