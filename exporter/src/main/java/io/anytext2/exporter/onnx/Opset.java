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

  /**
   * ONNX Runtime's contrib operator domain, imported only by graphs that use one of its operators
   * (the opt-in {@link Fusions}: MultiHeadAttention, GroupNorm, BiasSplitGelu); ONNX Runtime is then the
   * only runtime that can load the graph.
   */
  public static final String MICROSOFT_DOMAIN = "com.microsoft";

  /** The com.microsoft operator-set version (its operators are all version 1). */
  public static final long MICROSOFT_VERSION = 1;

  /** The version a graph imports for operator-set {@code domain}. */
  static long versionOf(String domain) {
    if (DOMAIN.equals(domain)) return VERSION;
    if (MICROSOFT_DOMAIN.equals(domain)) return MICROSOFT_VERSION;
    throw new IllegalArgumentException(
        "expected the operator domain '' or '" + MICROSOFT_DOMAIN + "', found '" + domain + "'");
  }

  /** ONNX IR version (IR 8 is the one that goes with opset 17). */
  public static final long IR_VERSION = 8;

  /** ModelProto.producer_name of every model this package writes. */
  public static final String PRODUCER_NAME = "anytext2-java";
}
