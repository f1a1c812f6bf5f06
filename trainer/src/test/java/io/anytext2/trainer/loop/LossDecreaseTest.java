package io.anytext2.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.CheckpointValidator;
import io.anytext2.trainer.TinyModels;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.ParameterStore;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.model.AnyText2TrainingModel;
import io.anytext2.trainer.model.LossSettings;
import io.anytext2.trainer.model.ModelSpec;
import io.anytext2.trainer.model.PreparedSample;
import io.anytext2.trainer.model.StepNoise;
import io.anytext2.trainer.model.TrainableSet;
import io.anytext2.trainer.model.TrainingBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizer lowers the loss: a few AdamW steps on one micro-batch with fixed noise (all loss terms on). */
class LossDecreaseTest {
  @TempDir Path tmp;

  @Test
  void lossDropsOverAFewStepsOnAFixedBatch() throws Exception {
    ModelSpec spec = TinyModels.spec();
    try (NDManager root = NDManager.newBaseManager();
        Checkpoint ckpt = Checkpoints.open(TinyModels.randomCheckpoint(tmp, 9));
        ParameterStore store = ParameterStore.fromCheckpoint(root, ckpt, CheckpointValidator.requiredWeights(spec.config()),
            TrainableSet.recipe());
        AdamW opt = new AdamW(store, new AdamW.Settings(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f))) {
      AnyText2TrainingModel model = new AnyText2TrainingModel(spec.config(), store, spec.tokenizer(),
          new LossSettings(0.003f, 0.01f, 1f, true), OcrDictionary.read(TinyModels.DICTIONARY));
      List<PreparedSample> prepared = new ArrayList<>();
      for (TrainingSample s : TinyRuns.samples(3)) prepared.add(model.prepare(s));
      TrainingBatch batch = new TrainingBatch(prepared);
      StepNoise noise = model.drawNoise(4, 0, batch);
      DjlOps op = new DjlOps(store, null);
      List<Float> losses = new ArrayList<>();
      for (int step = 0; step < 6; step++) {
        try (NDManager scope = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          op.scope(scope);
          op.clearUsed();
          AnyText2TrainingModel.Losses l = model.forward(op, batch, noise);
          losses.add(l.total().getFloat());
          gc.backward(l.total());
        }
        opt.step(op.used());
      }
      System.out.println("fixed-batch losses: " + losses);
      assertTrue(losses.get(5) < 0.9 * losses.get(0), "loss " + losses.get(0) + " → " + losses.get(5));
      for (int i = 1; i < losses.size(); i++) assertTrue(Float.isFinite(losses.get(i)));
    }
  }
}
