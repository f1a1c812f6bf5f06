package io.anytext2.trainer.loop;

import ai.djl.ndarray.NDManager;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.log.ImageGrid;
import io.anytext2.trainer.log.RgbImage;
import io.anytext2.trainer.log.TensorBoardWriter;
import io.anytext2.trainer.model.AnyText2TrainingModel;
import io.anytext2.trainer.model.ImageLogSampler;
import io.anytext2.trainer.model.StepNoise;
import io.anytext2.trainer.model.TrainingBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the image log of a micro-batch (TRAINING.md §3.8): one 4-column grid per panel under
 * {@code image_log/train/{key}_gs-…_e-…_b-….png}, the same grids to TensorBoard, and a
 * {@code conditioning} grid that shows each sample's captions. Runs in eval mode without gradient;
 * a failure here is logged and never stops training.
 */
final class ImageLogger {
  private static final Logger LOG = LoggerFactory.getLogger(ImageLogger.class);

  private final ImageLogSampler sampler;
  private final Path runDir;
  private final TensorBoardWriter tb;
  private final TrainingConfig.Log settings;

  ImageLogger(AnyText2TrainingModel model, Path runDir, TensorBoardWriter tb, TrainingConfig.Log settings) {
    this.sampler = new ImageLogSampler(model);
    this.runDir = runDir;
    this.tb = tb;
    this.settings = settings;
  }

  void log(DjlOps op, NDManager root, TrainingBatch batch, StepNoise noise, long globalStep, int epoch, long batchIdx) {
    try (NDManager scope = root.newSubManager()) {
      NDManager old = op.scope(scope);
      try {
        ImageLogSampler.Panels p = sampler.render(op, batch, noise, settings.imageSteps(), settings.imageCfg(), globalStep + 1);
        int plane = 3 * p.size() * p.size();
        for (Map.Entry<String, float[]> e : p.images().entrySet()) {
          List<RgbImage> tiles = new ArrayList<>();
          for (int i = 0; i < p.count(); i++) {
            float[] one = java.util.Arrays.copyOfRange(e.getValue(), i * plane, (i + 1) * plane);
            tiles.add(RgbImage.fromSigned(one, 3, p.size(), p.size(), true));
          }
          List<String> captions = e.getKey().equals("img") ? p.captions() : null;
          Path file = ImageGrid.save(runDir, e.getKey(), globalStep, epoch, batchIdx, tiles, captions);
          tb.addImage("train/" + e.getKey(), javax.imageio.ImageIO.read(file.toFile()), globalStep);
        }
      } finally {
        op.scope(old);
      }
    } catch (RuntimeException | java.io.IOException e) {
      LOG.warn("image log at step {} failed: {}", globalStep, e.toString());
    }
  }
}
