package io.anytext2.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.onnx.Precision;
import org.junit.jupiter.api.Test;

/** The package kinds run-loop.sh asks RandomPackage for: precision, then options in any order, each once. */
class RandomPackageSpecTest {
  @Test
  void kindsOfTheRunLoopVariants() {
    assertEquals(new RandomPackage.Spec(Precision.FP16, false, false, false, false), RandomPackage.Spec.parse("fp16"));
    assertEquals(new RandomPackage.Spec(Precision.FP16, true, true, false, false), RandomPackage.Spec.parse("fp16+fused+gn"));
    assertEquals(new RandomPackage.Spec(Precision.FP16, true, true, true, false), RandomPackage.Spec.parse("fp16+fused+gn+geglu"));
    assertEquals(new RandomPackage.Spec(Precision.FP16, true, true, true, true),
        RandomPackage.Spec.parse("fp16+fused+gn+geglu+packed"));
    assertEquals(new RandomPackage.Spec(Precision.FP32, false, true, false, false), RandomPackage.Spec.parse("fp32+gn"));
  }

  @Test
  void unknownOrRepeatedOptionsFailInOneLine() {
    for (String bad : new String[] {"fp16+fused+fused", "fp16+nhwc", "fp16+", "fp8+fused"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomPackage.Spec.parse(bad));
      assertTrue(e.getMessage().contains(bad) && !e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
