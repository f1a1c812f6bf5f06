package io.anytext2.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.CheckpointValidator;
import io.anytext2.trainer.SyntheticSamples;
import io.anytext2.trainer.TinyModels;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.ParameterStore;
import io.anytext2.trainer.loss.OcrDictionary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The training forward pass on the tiny architecture: losses, gradients where (and only where) they belong. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingModelTest {
  private NDManager root;
  private ParameterStore store;
  private ModelSpec spec;

  @BeforeAll
  void setUp(@TempDir Path tmp) throws Exception {
    spec = TinyModels.spec();
    root = NDManager.newBaseManager();
    try (Checkpoint ckpt = Checkpoints.open(TinyModels.randomCheckpoint(tmp, 7))) {
      store = ParameterStore.fromCheckpoint(root, ckpt, CheckpointValidator.requiredWeights(spec.config()), TrainableSet.recipe());
    }
  }

  @AfterAll
  void tearDown() {
    if (store != null) store.close();
    if (root != null) root.close();
  }

  private TrainingBatch batch(AnyText2TrainingModel model, long seed, int n) {
    List<PreparedSample> prepared = new ArrayList<>();
    for (TrainingSample s : SyntheticSamples.make(seed, n, 128)) prepared.add(model.prepare(s));
    return new TrainingBatch(prepared);
  }

  @Test
  void trainableSetFollowsTheRecipe() {
    TrainableSet t = TrainableSet.recipe();
    assertTrue(t.test("control_model.zero_convs.0.0.weight"));
    assertTrue(t.test("embedding_manager.font_predictor.backbone.conv1._conv.weight"));
    assertTrue(t.test("model.diffusion_model.middle_block.1.transformer_blocks.0.attn2x.to_k.weight"));
    assertFalse(t.test("model.diffusion_model.middle_block.1.transformer_blocks.0.attn2.to_k.weight"));
    assertFalse(t.test("model.diffusion_model.output_blocks.3.0.in_layers.0.weight"));
    assertFalse(t.test("text_predictor.head.fc.weight"));
    assertFalse(t.test("first_stage_model.decoder.conv_in.weight"));
    assertFalse(t.test("cond_stage_model.transformer.text_model.final_layer_norm.weight"));
    assertTrue(new TrainableSet(false, true).test("model.diffusion_model.output_blocks.3.0.in_layers.0.weight"));
    assertTrue(new TrainableSet(false, true).test("model.diffusion_model.output_blocks.4.1.transformer_blocks.0.attn2.to_q.weight"));
    assertFalse(new TrainableSet(false, true).test("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_q.weight"));
    // every AttnX tensor of the tiny model: 7 blocks × (attn1x, attn2x) × (q, k, v, out w, out b)
    long attnx = store.trainableKeys().stream().filter(k -> k.startsWith("model.diffusion_model.")).count();
    assertEquals(70, attnx);
  }

  @Test
  void diffusionLossGivesGradientsToTrainableParametersOnly() {
    AnyText2TrainingModel model = new AnyText2TrainingModel(spec.config(), store, spec.tokenizer(), LossSettings.released(), null);
    TrainingBatch b = batch(model, 1, 2);
    try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      DjlOps op = new DjlOps(store, m);
      AnyText2TrainingModel.Losses l = model.forward(op, b, model.drawNoise(1, 0, b));
      assertTrue(Float.isFinite(l.simple()) && l.simple() > 0, "loss_simple " + l.simple());
      assertEquals(l.simple(), l.total().getFloat(), 1e-5);
      gc.backward(l.total());
      Set<String> used = op.used();
      for (String key : List.of("control_model.zero_convs.3.0.weight", "control_model.glyph_block.0.weight",
          "control_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight",
          "model.diffusion_model.output_blocks.5.1.transformer_blocks.0.attn1x.to_q.weight",
          "embedding_manager.proj.0.weight", "embedding_manager.style_proj.0.weight", "embedding_manager.color_proj.0.weight",
          "embedding_manager.position_encoder.conv1.weight",
          "embedding_manager.font_predictor.backbone.conv1._conv.weight")) {
        assertTrue(used.contains(key), key + " not used");
        try (NDArray g = store.get(key).getGradient()) {
          assertTrue(g.abs().sum().getFloat() > 0, "no gradient reached " + key);
        }
      }
      assertFalse(store.get("model.diffusion_model.input_blocks.1.0.in_layers.2.weight").hasGradient());
      assertFalse(store.get("text_predictor.backbone.conv1._conv.weight").hasGradient());
    }
  }

  @Test
  void ocrAndCtcLossesAreFiniteAndDifferentiable() {
    OcrDictionary dict = OcrDictionary.read(TinyModels.DICTIONARY);
    AnyText2TrainingModel model = new AnyText2TrainingModel(spec.config(), store, spec.tokenizer(), new LossSettings(0.003f, 0.01f, 1f, true), dict);
    TrainingBatch b = batch(model, 2, 2);
    try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      DjlOps op = new DjlOps(store, m);
      AnyText2TrainingModel.Losses l = model.forward(op, b, model.drawNoise(3, 0, b));
      assertTrue(Float.isFinite(l.ocr()) && l.ocr() > 0, "loss_ocr " + l.ocr());
      assertTrue(Float.isFinite(l.ctc()) && l.ctc() > 0, "loss_ctc " + l.ctc());
      assertTrue(l.total().getFloat() > l.simple(), "total " + l.total().getFloat() + " vs simple " + l.simple());
      gc.backward(l.total());
      try (NDArray g = store.get("control_model.zero_convs.0.0.weight").getGradient()) {
        assertTrue(Float.isFinite(g.abs().sum().getFloat()));
      }
    }
  }

  @Test
  void ctcLossWithoutDictionaryIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new AnyText2TrainingModel(spec.config(), store, spec.tokenizer(), new LossSettings(0, 0.1f, 1, true), null));
  }
}
