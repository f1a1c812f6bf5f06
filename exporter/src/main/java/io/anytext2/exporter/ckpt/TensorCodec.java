package io.anytext2.exporter.ckpt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Conversions between tensor bytes (little-endian, as stored in safetensors and, on every common
 * machine, in PyTorch checkpoints) and Java arrays, including IEEE binary16 (F16) and bfloat16
 * (BF16), which Java 17 has no type for.
 */
public final class TensorCodec {
  private TensorCodec() {}

  // ---- scalar half-precision conversions ----

  /** The float value of IEEE 754 binary16 bits (exact: every half is a float). */
  public static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) { // inf or NaN; keep the payload's top bits
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign); // ±0
      }
      // subnormal half: mant * 2^-24, exactly representable as a normal float
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
  }

  /** Rounds a float to the nearest binary16 (ties to even), as {@code torch.half()} does. */
  public static short floatToHalf(float value) {
    int f = Float.floatToRawIntBits(value);
    int sign = (f >>> 16) & 0x8000;
    int exp = (f >>> 23) & 0xff;
    int mant = f & 0x7fffff;
    if (exp == 0xff) { // inf or NaN (a NaN stays a quiet NaN)
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15; // re-biased exponent
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00); // overflow to infinity
    }
    if (e <= 0) { // subnormal half or zero
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to ±0
      }
      int m = mant | 0x800000; // implicit leading one
      int shift = 14 - e; // 14..24
      int half = m >>> shift;
      int rest = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
      half++; // may carry into the exponent, up to infinity: correct rounding
    }
    return (short) (sign | half);
  }

  /** The float value of bfloat16 bits (the top half of a float). */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Rounds a float to the nearest bfloat16 (ties to even); NaN stays NaN. */
  public static short floatToBf16(float value) {
    int f = Float.floatToRawIntBits(value);
    if ((f & 0x7fffffff) > 0x7f800000) {
      return (short) ((f >>> 16) | 0x40); // quiet NaN
    }
    int rounding = 0x7fff + ((f >>> 16) & 1);
    return (short) ((f + rounding) >>> 16);
  }

  // ---- whole-array encoders (little-endian) ----

  /** Float values as bytes of a floating-point {@code dtype} (F32, F16, BF16 or F64), rounding as torch does. */
  public static byte[] encodeFloats(float[] values, DType dtype) {
    ByteBuffer out = allocate(values.length, dtype);
    switch (dtype) {
      case F32 -> out.asFloatBuffer().put(values);
      case F64 -> {
        for (float v : values) {
          out.putDouble(v);
        }
      }
      case F16 -> {
        for (float v : values) {
          out.putShort(floatToHalf(v));
        }
      }
      case BF16 -> {
        for (float v : values) {
          out.putShort(floatToBf16(v));
        }
      }
      default -> throw new IllegalArgumentException("expected a floating-point dtype, found " + dtype);
    }
    return out.array();
  }

  /** Double values as F64 bytes. */
  public static byte[] encodeDoubles(double[] values) {
    ByteBuffer out = allocate(values.length, DType.F64);
    out.asDoubleBuffer().put(values);
    return out.array();
  }

  /**
   * Integer values as bytes of an integer {@code dtype} (I64, I32, I16, I8, U8 or BOOL); a value that
   * does not fit the type is rejected rather than wrapped.
   */
  public static byte[] encodeLongs(long[] values, DType dtype) {
    ByteBuffer out = allocate(values.length, dtype);
    for (long v : values) {
      switch (dtype) {
        case I64 -> out.putLong(v);
        case I32 -> out.putInt((int) checkRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE, dtype));
        case I16 -> out.putShort((short) checkRange(v, Short.MIN_VALUE, Short.MAX_VALUE, dtype));
        case I8 -> out.put((byte) checkRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE, dtype));
        case U8 -> out.put((byte) checkRange(v, 0, 255, dtype));
        case BOOL -> out.put((byte) checkRange(v, 0, 1, dtype));
        default -> throw new IllegalArgumentException("expected an integer dtype, found " + dtype);
      }
    }
    return out.array();
  }

  private static long checkRange(long v, long min, long max, DType dtype) {
    if (v < min || v > max) {
      throw new IllegalArgumentException("expected a value in [" + min + ", " + max + "] for " + dtype + ", found " + v);
    }
    return v;
  }

  private static ByteBuffer allocate(int count, DType dtype) {
    long size = (long) count * dtype.byteSize();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("expected at most 2 GB of tensor bytes, found " + size);
    }
    return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
  }

  // ---- whole-array decoders ----

  /** Decodes little-endian bytes of {@code dtype} to float32 (see {@link Checkpoint#readFloats}). */
  public static float[] decodeFloats(byte[] bytes, DType dtype) {
    float[] out = new float[elementCount(bytes, dtype)];
    decodeFloats(littleEndian(bytes), dtype, out, 0, out.length);
    return out;
  }

  /** Decodes little-endian bytes of {@code dtype} to float64. */
  public static double[] decodeDoubles(byte[] bytes, DType dtype) {
    double[] out = new double[elementCount(bytes, dtype)];
    decodeDoubles(littleEndian(bytes), dtype, out, 0, out.length);
    return out;
  }

  /** Decodes little-endian bytes of an integer or BOOL {@code dtype} to int64. */
  public static long[] decodeLongs(byte[] bytes, DType dtype) {
    long[] out = new long[elementCount(bytes, dtype)];
    decodeLongs(littleEndian(bytes), dtype, out, 0, out.length);
    return out;
  }

  private static int elementCount(byte[] bytes, DType dtype) {
    if (bytes.length % dtype.byteSize() != 0) {
      throw new IllegalArgumentException(
          "expected a multiple of " + dtype.byteSize() + " bytes for " + dtype + ", found " + bytes.length);
    }
    return bytes.length / dtype.byteSize();
  }

  private static ByteBuffer littleEndian(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  // ---- chunk decoders used by the readers: src is positioned, little-endian ----

  static void decodeFloats(ByteBuffer src, DType dtype, float[] dst, int from, int count) {
    switch (dtype) {
      case F32 -> {
        src.asFloatBuffer().get(dst, from, count);
        src.position(src.position() + 4 * count);
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = halfToFloat(src.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = bf16ToFloat(src.getShort());
        }
      }
      case F64 -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = (float) src.getDouble();
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = readInteger(src, dtype);
        }
      }
    }
  }

  static void decodeDoubles(ByteBuffer src, DType dtype, double[] dst, int from, int count) {
    switch (dtype) {
      case F64 -> {
        src.asDoubleBuffer().get(dst, from, count);
        src.position(src.position() + 8 * count);
      }
      case F32 -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = src.getFloat();
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = halfToFloat(src.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = bf16ToFloat(src.getShort());
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          dst[from + i] = readInteger(src, dtype);
        }
      }
    }
  }

  static void decodeLongs(ByteBuffer src, DType dtype, long[] dst, int from, int count) {
    if (dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("expected an integer or BOOL tensor, found " + dtype);
    }
    if (dtype == DType.I64) {
      src.asLongBuffer().get(dst, from, count);
      src.position(src.position() + 8 * count);
      return;
    }
    for (int i = 0; i < count; i++) {
      dst[from + i] = readInteger(src, dtype);
    }
  }

  private static long readInteger(ByteBuffer src, DType dtype) {
    return switch (dtype) {
      case I64 -> src.getLong();
      case I32 -> src.getInt();
      case I16 -> src.getShort();
      case I8 -> src.get();
      case U8 -> src.get() & 0xff;
      case BOOL -> src.get() != 0 ? 1 : 0;
      default -> throw new IllegalStateException("not an integer type: " + dtype);
    };
  }

  /** Reverses the byte order of each {@code elementSize}-byte element of {@code bytes[from, from+len)}. */
  static void swapBytes(byte[] bytes, int from, int len, int elementSize) {
    if (elementSize == 1) {
      return;
    }
    for (int e = from; e < from + len; e += elementSize) {
      for (int i = 0, j = elementSize - 1; i < j; i++, j--) {
        byte t = bytes[e + i];
        bytes[e + i] = bytes[e + j];
        bytes[e + j] = t;
      }
    }
  }
}
