package io.anytext2.eval.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anytext2.eval.TestModels;
import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.SafetensorsFile;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's ocr_recognizer read through {@link OnnxCtcRecognizer} gives the strings that greedy
 * decoding of the original implementation's CTC logits gives (parity fixture {@code ocr/ctc_logits}
 * on the inputs {@code gen/em/recog_norm_batch}).
 */
class PackageRecognizerFixtureTest {

  @Test
  void decodesLikeTheReferenceLogits(@TempDir Path tmp) throws IOException {
    Path tiny = TestModels.tinyFixture();
    ModelPackage pkg = ModelPackage.open(TestModels.tinyPackage(tmp.resolve("pkg")));
    OcrDictionary dict = OcrDictionary.read(pkg.resolve(pkg.manifest().ocr().dictionary()));
    List<FloatImage> inputs = new ArrayList<>();
    float[] logits;
    long[] shape;
    try (Checkpoint fx = SafetensorsFile.open(tiny.resolve("fixtures.safetensors"))) {
      float[] batch = fx.readFloats("gen/em/recog_norm_batch");
      int per = 3 * 48 * 320;
      for (int i = 0; i < batch.length / per; i++) {
        inputs.add(new FloatImage(3, 48, 320, java.util.Arrays.copyOfRange(batch, i * per, (i + 1) * per)));
      }
      logits = fx.readFloats("ocr/ctc_logits");
      shape = fx.info("ocr/ctc_logits").shape();
    }
    CtcGreedyDecoder reference = new CtcGreedyDecoder(dict);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < shape[0]; i++) expected.add(reference.decode(logits, i, (int) shape[1], (int) shape[2]));
    try (OnnxCtcRecognizer rec = OnnxCtcRecognizer.open(pkg.resolve(pkg.graph(GraphNames.OCR).file()), dict, RuntimeOptions.cpu(), "pkg")) {
      assertEquals(expected, rec.recognize(inputs));
    }
    assertEquals(2, expected.size());
    expected.forEach(s -> org.junit.jupiter.api.Assertions.assertFalse(s.isEmpty(), "the reference logits decode to text"));
  }
}
