package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorCodecTest {

  @Test
  void halfKnownBitPatterns() {
    assertEquals((short) 0x3c00, TensorCodec.floatToHalf(1f));
    assertEquals((short) 0xc000, TensorCodec.floatToHalf(-2f));
    assertEquals((short) 0x7bff, TensorCodec.floatToHalf(65504f)); // largest half
    assertEquals((short) 0x0001, TensorCodec.floatToHalf(0x1p-24f)); // smallest subnormal
    assertEquals((short) 0x0400, TensorCodec.floatToHalf(0x1p-14f)); // smallest normal
    assertEquals((short) 0x8000, TensorCodec.floatToHalf(-0f));
    assertEquals((short) 0x7c00, TensorCodec.floatToHalf(Float.POSITIVE_INFINITY));
    assertEquals((short) 0x7c00, TensorCodec.floatToHalf(65520f)); // rounds past the largest half
    assertEquals((short) 0x7bff, TensorCodec.floatToHalf(65519f));
    assertTrue(Float.isNaN(TensorCodec.halfToFloat(TensorCodec.floatToHalf(Float.NaN))));
    assertEquals(0.333251953125f, TensorCodec.halfToFloat(TensorCodec.floatToHalf(1f / 3)));
  }

  @Test
  void everyFiniteHalfSurvivesARoundTrip() {
    for (int h = 0; h < 0x10000; h++) {
      float f = TensorCodec.halfToFloat((short) h);
      if (!Float.isNaN(f)) {
        assertEquals((short) h, TensorCodec.floatToHalf(f), "half bits " + Integer.toHexString(h));
      }
    }
  }

  /** Between two neighbouring halves, floats round to the nearer one and ties go to the even one. */
  @Test
  void halfRoundingIsNearestTiesToEven() {
    for (int h = 0; h < 0x7bff; h++) {
      float a = TensorCodec.halfToFloat((short) h);
      float b = TensorCodec.halfToFloat((short) (h + 1));
      float mid = (a + b) / 2; // exact: halves have 11 significant bits, floats 24
      short even = (short) ((h & 1) == 0 ? h : h + 1);
      assertEquals(even, TensorCodec.floatToHalf(mid), "tie between " + a + " and " + b);
      assertEquals((short) h, TensorCodec.floatToHalf(Math.nextDown(mid)));
      assertEquals((short) (h + 1), TensorCodec.floatToHalf(Math.nextUp(mid)));
      assertEquals((short) (h | 0x8000), TensorCodec.floatToHalf(-Math.nextDown(mid)));
    }
  }

  @Test
  void bfloat16RoundsToNearestEven() {
    assertEquals((short) 0x3f80, TensorCodec.floatToBf16(1f));
    assertEquals(1f, TensorCodec.bf16ToFloat((short) 0x3f80));
    float one = 1f;
    float ulp = 0x1p-7f; // bf16 spacing at 1
    assertEquals(1f, TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(one + ulp / 2))); // tie to even (1.0)
    assertEquals(one + 2 * ulp, TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(one + 1.5f * ulp))); // tie to even
    assertEquals(one + ulp, TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(Math.nextUp(one + ulp / 2))));
    assertEquals(Float.POSITIVE_INFINITY, TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(Float.MAX_VALUE)));
    assertTrue(Float.isNaN(TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(Float.intBitsToFloat(0x7f800001)))));
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = TensorCodec.bf16ToFloat((short) bits);
      if (!Float.isNaN(f)) {
        assertEquals((short) bits, TensorCodec.floatToBf16(f));
      }
    }
  }

  @Test
  void encodeAndDecodeArrays() {
    float[] values = {1f, -2.5f, 0.1f, 1e-3f};
    assertArrayEquals(values, TensorCodec.decodeFloats(TensorCodec.encodeFloats(values, DType.F32), DType.F32));
    double[] asDouble = TensorCodec.decodeDoubles(TensorCodec.encodeFloats(values, DType.F64), DType.F64);
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], asDouble[i], 0.0);
    }
    long[] ints = {-128, 0, 127};
    assertArrayEquals(ints, TensorCodec.decodeLongs(TensorCodec.encodeLongs(ints, DType.I8), DType.I8));
    assertArrayEquals(new long[] {0, 255}, TensorCodec.decodeLongs(new byte[] {0, (byte) 255}, DType.U8));
    byte[] allOnes = {(byte) 0xff, (byte) 0xff};
    assertArrayEquals(new float[] {-1f, -1f}, TensorCodec.decodeFloats(allOnes, DType.I8));
    assertArrayEquals(new float[] {255f, 255f}, TensorCodec.decodeFloats(allOnes, DType.U8));
    assertArrayEquals(new float[] {-1f}, TensorCodec.decodeFloats(allOnes, DType.I16));
    assertArrayEquals(new long[] {1, 1}, TensorCodec.decodeLongs(allOnes, DType.BOOL));
    assertThrows(IllegalArgumentException.class, () -> TensorCodec.encodeLongs(new long[] {256}, DType.U8));
    assertThrows(IllegalArgumentException.class, () -> TensorCodec.encodeFloats(values, DType.I32));
    assertThrows(IllegalArgumentException.class, () -> TensorCodec.decodeLongs(new byte[4], DType.F32));
    assertThrows(IllegalArgumentException.class, () -> TensorCodec.decodeFloats(new byte[3], DType.F16));
  }
}
