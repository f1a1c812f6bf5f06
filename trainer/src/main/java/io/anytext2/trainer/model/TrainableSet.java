package io.anytext2.trainer.model;

import java.util.function.Predicate;

/**
 * Which checkpoint keys the optimizer trains.
 *
 * <p>Stage {@link TrainingStage#ANYTEXT2} follows TRAINING.md §3.1, §3.7: all of the WriteNet
 * ({@code control_model.*}), all of the embedding manager including its font recognizer
 * ({@code embedding_manager.*}) and every UNet parameter of an AttnX layer ({@code attn1x},
 * {@code attn2x}). Everything else — the rest of the UNet, the VAE, CLIP and the glyph recognizer
 * {@code text_predictor} — is frozen. The original's switches {@code sd_locked = False} (also
 * train the UNet decoder and output) and {@code unlockQKV = True} (also train the UNet's
 * {@code attn2.to_q/k/v}, in effect those of the middle and output blocks: the input blocks run
 * without gradient) are available; the released recipe uses neither.
 *
 * <p>{@code fromScratch} departs from the original: with no pretrained SD1.5 base there is nothing
 * to keep frozen, so the whole UNet and the CLIP text encoder ({@code cond_stage_model.*}) train as
 * well. The VAE and {@code text_predictor} stay frozen: they come from their own pre-training
 * stages and {@code text_predictor} judges the OCR losses.
 *
 * <p>The pre-training stages train only their own network: {@code first_stage_model.*}
 * ({@link TrainingStage#VAE}) or {@code text_predictor.*} ({@link TrainingStage#RECOGNIZER}).
 */
public record TrainableSet(boolean sdLocked, boolean unlockQkv, boolean fromScratch, TrainingStage stage) implements Predicate<String> {
  private static final String UNET = "model.diffusion_model.";

  public TrainableSet {
    if (stage == null) throw new IllegalArgumentException("expected a training stage, found null");
  }

  /** The AnyText2 stage with the original's two switches. */
  public TrainableSet(boolean sdLocked, boolean unlockQkv) {
    this(sdLocked, unlockQkv, false, TrainingStage.ANYTEXT2);
  }

  /** The released recipe: sd_locked = True, unlockQKV = False. */
  public static TrainableSet recipe() {
    return new TrainableSet(true, false);
  }

  @Override
  public boolean test(String key) {
    if (isBuffer(key)) return false; // BatchNorm statistics are buffers, not parameters
    if (stage == TrainingStage.VAE) return key.startsWith("first_stage_model.");
    if (stage == TrainingStage.RECOGNIZER) return key.startsWith("text_predictor.");
    if (key.startsWith("control_model.") || key.startsWith("embedding_manager.")) return true;
    if (fromScratch && (key.startsWith(UNET) || key.startsWith("cond_stage_model."))) return true;
    if (!key.startsWith(UNET)) return false;
    if (key.contains(".attn1x.") || key.contains(".attn2x.")) return true;
    if (!sdLocked && (key.startsWith(UNET + "output_blocks.") || key.startsWith(UNET + "out."))) return true;
    // the original runs the UNet input blocks under torch.no_grad(), so their attn2 never get a gradient
    return unlockQkv && !key.startsWith(UNET + "input_blocks.") && key.matches(".*\\.attn2\\.to_[qkv]\\.weight");
  }

  static boolean isBuffer(String key) {
    return key.endsWith(".running_mean") || key.endsWith(".running_var") || key.endsWith(".num_batches_tracked")
        || key.endsWith(".position_ids");
  }
}
