package io.anytext2.exporter.ckpt;

import java.util.Arrays;
import java.util.Optional;

/**
 * Element types a checkpoint tensor may have, with the names used by the two file formats: the
 * safetensors {@code dtype} string and the legacy PyTorch typed-storage class that {@code torch.save}
 * pickles as a global ({@code torch.FloatStorage}, ...).
 */
public enum DType {
  F32(4, "F32", "FloatStorage"),
  F16(2, "F16", "HalfStorage"),
  BF16(2, "BF16", "BFloat16Storage"),
  F64(8, "F64", "DoubleStorage"),
  I64(8, "I64", "LongStorage"),
  I32(4, "I32", "IntStorage"),
  I16(2, "I16", "ShortStorage"),
  /** Signed 8-bit; PyTorch calls its storage "CharStorage" (C's signed char). */
  I8(1, "I8", "CharStorage"),
  U8(1, "U8", "ByteStorage"),
  /** One byte per element, 0 or 1. */
  BOOL(1, "BOOL", "BoolStorage");

  private final int byteSize;
  private final String safetensorsName;
  private final String torchStorageName;

  DType(int byteSize, String safetensorsName, String torchStorageName) {
    this.byteSize = byteSize;
    this.safetensorsName = safetensorsName;
    this.torchStorageName = torchStorageName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The {@code dtype} string of a safetensors header ("F32", "BF16", ...). */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** The simple name of the {@code torch.*Storage} class ("FloatStorage", ...). */
  public String torchStorageName() {
    return torchStorageName;
  }

  /** True for F32, F16, BF16 and F64. */
  public boolean isFloatingPoint() {
    return this == F32 || this == F16 || this == BF16 || this == F64;
  }

  /** The type with this safetensors name, if it is one of ours. */
  public static Optional<DType> fromSafetensorsName(String name) {
    return Arrays.stream(values()).filter(d -> d.safetensorsName.equals(name)).findFirst();
  }

  /** The type whose storage class has this simple name, if it is one of ours. */
  public static Optional<DType> fromTorchStorageName(String name) {
    return Arrays.stream(values()).filter(d -> d.torchStorageName.equals(name)).findFirst();
  }
}
