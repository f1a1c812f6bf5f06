package io.anytext2.trainer.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Where a run stands when a checkpoint is taken; saved beside the weights and optimizer moments so
 * that a resumed run continues exactly (TRAINING.md §3.9: the original restores epoch, step and
 * callbacks from its Lightning checkpoint).
 *
 * @param epoch the current epoch (0-based, as Lightning counts); at an end-of-epoch save, the epoch
 *     just finished
 * @param globalStep optimizer steps taken so far (Lightning's {@code global_step})
 * @param batchInEpoch micro-batches of {@code epoch} already consumed (0 at an epoch boundary); the
 *     data pipeline skips this many when resuming mid-epoch
 * @param rngSeeds named seeds or RNG states as longs (e.g. "data", "noise", "epoch_shuffle")
 * @param configHash a hash of the training configuration (see {@link #sha256}); a resume can refuse
 *     a different one
 * @param extra anything else the loop wants back, as strings
 */
public record TrainingState(int epoch, long globalStep, long batchInEpoch, Map<String, Long> rngSeeds,
    String configHash, Map<String, String> extra) {

  public TrainingState {
    if (epoch < 0 || globalStep < 0 || batchInEpoch < 0) {
      throw new IllegalArgumentException("expected non-negative epoch/globalStep/batchInEpoch, found "
          + epoch + "/" + globalStep + "/" + batchInEpoch);
    }
    rngSeeds = Map.copyOf(rngSeeds);
    configHash = Objects.requireNonNull(configHash, "configHash");
    extra = Map.copyOf(extra);
  }

  /** A state with no seeds, hash or extras (tests, first steps). */
  public static TrainingState of(int epoch, long globalStep) {
    return new TrainingState(epoch, globalStep, 0, Map.of(), "", Map.of());
  }

  /** Lowercase hex SHA-256 of the UTF-8 text (e.g. the resolved training config as YAML). */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
