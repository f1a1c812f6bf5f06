package io.anytext2.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.pkg.CheckpointValidator;
import io.anytext2.exporter.pkg.GraphBuilders;
import io.anytext2.nn.models.ocr.OcrRecognizer;
import io.anytext2.trainer.SyntheticSamples;
import io.anytext2.trainer.TinyModels;
import io.anytext2.trainer.data.TrainingSample;
import io.anytext2.trainer.djl.DjlOps;
import io.anytext2.trainer.djl.HostArrays;
import io.anytext2.trainer.djl.ParameterStore;
import io.anytext2.trainer.loss.LineCrops;
import io.anytext2.trainer.loss.OcrDictionary;
import io.anytext2.trainer.loss.OcrLosses;
import io.anytext2.trainer.loss.RecognizerCrop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched crops of all lines ({@link LineCrops}) against the per-line crops they replaced
 * ({@link RecognizerCrop#apply} one line at a time, as the losses computed them before): same
 * recognizer inputs, same gradient into the image, same recognizer-stage loss and same OCR losses
 * on a fixed batch, within float rounding (1e-5 relative).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchedCropsTest {
  private NDManager root;
  private ParameterStore store;
  private ModelSpec spec;
  private OcrDictionary dictionary;

  @BeforeAll
  void setUp(@TempDir Path tmp) throws Exception {
    spec = TinyModels.spec();
    dictionary = OcrDictionary.read(TinyModels.DICTIONARY);
    root = NDManager.newBaseManager();
    try (Checkpoint ckpt = Checkpoints.open(TinyModels.randomCheckpoint(tmp, 5))) {
      store = ParameterStore.fromCheckpoint(root, ckpt, CheckpointValidator.requiredWeights(spec.config()), k -> false);
    }
  }

  @AfterAll
  void tearDown() {
    if (store != null) store.close();
    if (root != null) root.close();
  }

  /** A fixed batch of four synthetic samples (one or two lines each, 128 px). */
  private TrainingBatch batch(AnyText2TrainingModel model) {
    List<PreparedSample> prepared = new ArrayList<>();
    for (TrainingSample s : SyntheticSamples.make(21, 4, 128)) prepared.add(model.prepare(s));
    return new TrainingBatch(prepared);
  }

  private AnyText2TrainingModel model(LossSettings losses) {
    return new AnyText2TrainingModel(spec.config(), store, spec.tokenizer(), losses, dictionary);
  }

  /** The per-line path: each line's crop of its own image, stacked [N, 3, 48, 320]. */
  private static NDArray perLine(DjlOps op, TrainingBatch b, NDArray images) {
    List<NDArray> rows = new ArrayList<>();
    for (int l = 0; l < b.lines; l++) {
      RecognizerCrop plan = b.line(l).crop();
      int sample = b.lineSample[l];
      rows.add(op.scoped(() -> op.reshape(plan.apply(op.own(images.get(sample)), op.scope()), 1, 3, 48, 320)));
    }
    return op.concat(0, rows);
  }

  private static List<RecognizerCrop> plans(TrainingBatch b) {
    List<RecognizerCrop> out = new ArrayList<>();
    for (int l = 0; l < b.lines; l++) out.add(b.line(l).crop());
    return out;
  }

  private static List<int[]> targets(TrainingBatch b) {
    List<int[]> out = new ArrayList<>();
    for (int l = 0; l < b.lines; l++) out.add(b.line(l).target());
    return out;
  }

  /**
   * |want − got| ≤ rel · max(|want|, floor · max|want|) per element: relative, with a floor for
   * values that are small only through cancellation (a recognizer input near 0 is (v/255 − 0.5)/0.5
   * with v near 127.5, rounded at the scale of 1).
   */
  private static void assertClose(float[] want, float[] got, double rel, double floor, String what) {
    assertEquals(want.length, got.length, what + ": length");
    double scale = 0;
    for (float v : want) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < want.length; i++) {
      double tol = rel * Math.max(Math.abs(want[i]), scale * floor);
      assertTrue(Math.abs(want[i] - got[i]) <= tol, what + "[" + i + "]: expected " + want[i] + ", found " + got[i]);
    }
  }

  @Test
  void batchedCropsEqualThePerLineCropsAndPassTheSameGradient() {
    AnyText2TrainingModel model = model(new LossSettings(0.003f, 0.01f, 1f, true));
    TrainingBatch b = batch(model);
    assertTrue(b.lines > b.batch, "the batch should have samples with two lines, found " + b.lines + " lines");
    Random r = new Random(3);
    float[] pixels = new float[b.batch * 3 * b.size * b.size];
    for (int i = 0; i < pixels.length; i++) pixels[i] = r.nextFloat() * 255f;
    float[] probe = new float[b.lines * 3 * 48 * 320];
    for (int i = 0; i < probe.length; i++) probe[i] = r.nextFloat() - 0.5f;
    float[][] out = new float[2][];
    float[][] grad = new float[2][];
    for (int path = 0; path < 2; path++) {
      try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        DjlOps op = new DjlOps(store, m);
        NDArray images = op.create(pixels, b.batch, 3, b.size, b.size);
        images.setRequiresGradient(true);
        NDArray crops = path == 0 ? perLine(op, b, images) : LineCrops.upload(op, plans(b), b.lineSample, b.batch).apply(op, images);
        out[path] = HostArrays.read(crops);
        gc.backward(op.own(op.mul(crops, op.create(probe, b.lines, 3, 48, 320)).sum()));
        grad[path] = HostArrays.read(op.own(images.getGradient()));
      }
    }
    assertClose(out[0], out[1], 1e-5, 1, "recognizer input"); // inputs are in [-1, 1]
    assertClose(grad[0], grad[1], 1e-4, 1e-2, "image gradient"); // scatter-add in another order
  }

  @Test
  void recognizerStageLossEqualsThePerLineComputation() {
    LossSettings settings = new LossSettings(0f, 1f, 1f, false, TrainingStage.RECOGNIZER, 0f);
    AnyText2TrainingModel model = model(settings);
    TrainingBatch b = batch(model);
    OcrRecognizer recognizer = new OcrRecognizer(spec.config().ocr(), GraphBuilders.OCR);
    float before;
    JniUtils.setSeed(17); // the same dropout masks for both paths (train mode)
    try (NDManager m = root.newSubManager()) {
      DjlOps op = new DjlOps(store, m);
      NDArray gt = op.scale(op.add(op.create(b.images(), b.batch, 3, b.size, b.size), op.scalar(1f)), 127.5f);
      List<int[]> targets = targets(b);
      targets.addAll(List.copyOf(targets));
      op.trainMode(PretrainingLosses.RECOGNIZER_PREFIX, true);
      NDArray inputs = op.concat(0, List.of(perLine(op, b, gt), op.create(b.recogInputs(), b.lines, 3, 48, 320)));
      before = op.own(OcrLosses.ctc(op, recognizer, recognizer.neck(op, inputs), targets).nll().mean()).getFloat();
      op.trainMode(PretrainingLosses.RECOGNIZER_PREFIX, false);
    }
    float after;
    JniUtils.setSeed(17);
    try (NDManager m = root.newSubManager()) {
      after = PretrainingLosses.recognizer(new DjlOps(store, m), recognizer, b).totalValue();
    }
    assertTrue(before > 0, "CTC " + before);
    assertEquals(before, after, 1e-5 * before, "recognizer-stage loss");
  }

  @Test
  void ocrLossesEqualThePerLineComputation() {
    AnyText2TrainingModel model = model(new LossSettings(0.003f, 0.01f, 1f, true));
    TrainingBatch b = batch(model);
    OcrRecognizer recognizer = new OcrRecognizer(spec.config().ocr(), GraphBuilders.OCR);
    float[] weights = new float[b.lines];
    java.util.Arrays.fill(weights, 1f);
    weights[0] = 0.5f;
    Random r = new Random(9);
    float[] noise = new float[b.batch * 3 * b.size * b.size];
    for (int i = 0; i < noise.length; i++) noise[i] = (float) r.nextGaussian() * 20f;
    float[][] ocr = new float[2][];
    float[][] ctc = new float[2][];
    float[][] grad = new float[2][];
    for (int path = 0; path < 2; path++) {
      JniUtils.setSeed(23); // the same dropout masks for both paths
      try (NDManager m = root.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        DjlOps op = new DjlOps(store, m);
        // batch statistics: the random recognizer's features then depend on its input (with running statistics they barely do)
        op.trainMode(PretrainingLosses.RECOGNIZER_PREFIX, true);
        NDArray gt = op.scale(op.add(op.create(b.images(), b.batch, 3, b.size, b.size), op.scalar(1f)), 127.5f);
        NDArray decoded = op.clip(op.add(gt, op.create(noise, b.batch, 3, b.size, b.size)), 0f, 255f);
        decoded.setRequiresGradient(true);
        OcrLosses.PerLine terms;
        if (path == 0) { // the former per-line path: crops one line at a time, then the losses' formulas
          NDArray inputs = op.concat(0, List.of(perLine(op, b, decoded), perLine(op, b, gt)));
          NDArray neck = recognizer.neck(op, inputs);
          NDArray neckD = op.slice(neck, 0, 0, b.lines);
          NDArray diff = op.sub(neckD, op.own(op.slice(neck, 0, b.lines, 2L * b.lines).stopGradient()));
          NDArray w = op.create(weights, b.lines);
          NDArray o = op.mul(op.reshape(op.meanKeepDims(op.mul(diff, diff), 1, 2), b.lines), w);
          NDArray c = op.mul(op.scale(OcrLosses.ctc(op, recognizer, neckD, targets(b)).nll(), 1f / 40), w);
          terms = new OcrLosses.PerLine(o, c);
        } else {
          LineCrops crops = LineCrops.upload(op, plans(b), b.lineSample, b.batch);
          terms = OcrLosses.compute(op, recognizer, decoded, gt, crops, targets(b), op.create(weights, b.lines));
        }
        ocr[path] = HostArrays.read(terms.ocr());
        ctc[path] = HostArrays.read(terms.ctc());
        gc.backward(op.own(op.add(terms.ocr(), terms.ctc()).sum()));
        grad[path] = HostArrays.read(op.own(decoded.getGradient()));
      }
    }
    for (float v : ocr[0]) assertTrue(v > 1e-6, "OCR loss per line should be well above rounding noise, found " + v);
    assertClose(ocr[0], ocr[1], 1e-5, 0, "ocr loss per line");
    assertClose(ctc[0], ctc[1], 1e-5, 0, "ctc loss per line");
    assertClose(grad[0], grad[1], 1e-4, 1e-2, "gradient into the decoded image");
  }
}
