package io.anytext2.trainer.model;

import java.util.function.Predicate;

/**
 * Which checkpoint keys the optimizer trains (TRAINING.md §3.1, §3.7): all of the WriteNet
 * ({@code control_model.*}), all of the embedding manager including its font recognizer
 * ({@code embedding_manager.*}) and every UNet parameter of an AttnX layer ({@code attn1x},
 * {@code attn2x}). Everything else — the rest of the UNet, the VAE, CLIP and the glyph recognizer
 * {@code text_predictor} — is frozen. The original's switches {@code sd_locked = False} (also
 * train the UNet decoder and output) and {@code unlockQKV = True} (also train the UNet's
 * {@code attn2.to_q/k/v}, in effect those of the middle and output blocks: the input blocks run
 * without gradient) are available; the released recipe uses neither.
 */
public record TrainableSet(boolean sdLocked, boolean unlockQkv) implements Predicate<String> {
  private static final String UNET = "model.diffusion_model.";

  /** The released recipe: sd_locked = True, unlockQKV = False. */
  public static TrainableSet recipe() {
    return new TrainableSet(true, false);
  }

  @Override
  public boolean test(String key) {
    if (isBuffer(key)) return false; // BatchNorm statistics are buffers, not parameters
    if (key.startsWith("control_model.") || key.startsWith("embedding_manager.")) return true;
    if (!key.startsWith(UNET)) return false;
    if (key.contains(".attn1x.") || key.contains(".attn2x.")) return true;
    if (!sdLocked && (key.startsWith(UNET + "output_blocks.") || key.startsWith(UNET + "out."))) return true;
    // the original runs the UNet input blocks under torch.no_grad(), so their attn2 never get a gradient
    return unlockQkv && !key.startsWith(UNET + "input_blocks.") && key.matches(".*\\.attn2\\.to_[qkv]\\.weight");
  }

  static boolean isBuffer(String key) {
    return key.endsWith(".running_mean") || key.endsWith(".running_var") || key.endsWith(".num_batches_tracked");
  }
}
