package io.anytext2.exporter.onnx;

/**
 * The ONNX versions every exported graph declares. One place pins them: opset 17 has
 * LayerNormalization and Shape(start, end), and ONNX Runtime 1.28 accepts opsets up to 26
 * (shared/notes/DEPENDENCIES.md Q2). GroupNormalization (opset 18, redefined in 21) is deliberately
 * out of reach.
 */
public final class Opset {
  private Opset() {}

  /** The default ("ai.onnx") operator-set domain. */
  public static final String DOMAIN = "";

  /** ai.onnx operator-set version. */
  public static final long VERSION = 17;

  /** ONNX IR version (IR 8 is the one that goes with opset 17). */
  public static final long IR_VERSION = 8;

  /** ModelProto.producer_name of every model this package writes. */
  public static final String PRODUCER_NAME = "anytext2-java";
}
