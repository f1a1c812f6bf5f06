package io.anytext2.nn.ops;

/** Padding helpers in the {top, left, bottom, right} order {@link TensorOps#conv2d} takes. */
public final class Pads {
  private Pads() {}

  /** The same zero padding on all four sides. */
  public static int[] same(int p) {
    return new int[] {p, p, p, p};
  }

  /** No padding. */
  public static int[] none() {
    return new int[] {0, 0, 0, 0};
  }

  /** Zero padding on the bottom and right only (the VAE downsampler, MODEL.md §6 item 7). */
  public static int[] bottomRight(int p) {
    return new int[] {0, 0, p, p};
  }
}
