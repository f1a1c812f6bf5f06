package io.anytext2.nn.blocks;

import io.anytext2.nn.ops.TensorOps;

/**
 * Sinusoidal timestep features followed by {@code time_embed}: Linear(C→4C) → SiLU →
 * Linear(4C→4C), C = model_channels (MODEL.md §3.1).
 *
 * @param prefix key prefix of the MLP, e.g. {@code "model.diffusion_model.time_embed."}
 */
public record TimestepEmbedding(String prefix, int modelChannels) {

  /** Period of the slowest frequency (MODEL.md §3.1). */
  private static final double MAX_PERIOD = 10000.0;

  public TimestepEmbedding {
    if (modelChannels <= 0 || modelChannels % 2 != 0) {
      throw new IllegalArgumentException("expected an even positive model_channels for the timestep embedding, found " + modelChannels);
    }
  }

  public int embedDim() {
    return 4 * modelChannels;
  }

  /** timesteps [B] float32 → embedding [B, 4C]. */
  public <T> T forward(TensorOps<T> op, T timesteps) {
    T h = Layers.linear(op, prefix + "0", modelChannels, embedDim(), true, sinusoidal(op, timesteps, modelChannels));
    return Layers.linear(op, prefix + "2", embedDim(), embedDim(), true, op.silu(h));
  }

  /**
   * {@code concat(cos(t·f), sin(t·f))} over the last axis — cosine half first — with
   * {@code f_k = exp(-ln(10000)·k/half)}, k = 0..half-1, evaluated in float32 exactly as
   * {@code timestep_embedding} does: ({@code float(-ln 1e4) · k}) / half, then exp.
   */
  public static <T> T sinusoidal(TensorOps<T> op, T timesteps, int dim) {
    T args = op.mul(op.reshape(timesteps, -1, 1), op.constant(frequencies(dim / 2), dim / 2));
    return op.concat(-1, java.util.List.of(op.cos(args), op.sin(args)));
  }

  /** The {@code half} frequencies, rounded to float32 after every step as the float32 torch code does. */
  static float[] frequencies(int half) {
    float negLogPeriod = (float) -Math.log(MAX_PERIOD);
    float[] f = new float[half];
    for (int k = 0; k < half; k++) {
      float scaled = (negLogPeriod * (float) k) / (float) half;
      f[k] = (float) Math.exp(scaled);
    }
    return f;
  }
}
