package io.anytext2.sdk.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anytext2.nn.pkg.ModelManifest;
import io.anytext2.sdk.runtime.ModelPackage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A request's captions (image and text caption of both guidance branches) go through the text encoder in
 * one call; each comes out as it does alone — its own placeholder cursor, its rows in order — to float32
 * rounding of a larger batch (shipped default package, CPU).
 */
class TextConditionerBatchTest {
  @Test
  void fourCaptionsInOneCallAreEachWhatTheyAreAlone() {
    Path dir = Path.of("../onnx");
    assumeTrue(Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME)), "no default package at " + dir.toAbsolutePath() + "; skipped");
    ModelPackage pkg = ModelPackage.open(dir);
    ModelManifest m = pkg.manifest();
    try (ModelStages stages = ModelStages.open(pkg, RuntimeOptions.cpu())) {
      TextConditioner text = new TextConditioner(stages.textEncoder, PackageTokenizer.load(pkg), m.tokenizer().placeholderId(),
          m.config().clip().hiddenSize(), m.tokenizer().maxLength());
      int width = m.config().clip().hiddenSize();
      float[] embeddings = new float[2 * width];
      Random random = new Random(7);
      for (int i = 0; i < embeddings.length; i++) embeddings[i] = (float) random.nextGaussian();
      FloatTensor lines = new FloatTensor(embeddings, new long[] {2, width});
      // placeholders in every caption, so that each caption's cursor (restarting at line 0) matters
      List<long[][]> captions = List.of(
          text.imageCaptionRows("a sign that says * and * on a wall, " + "very long words ".repeat(12)),
          text.textCaptionRows("Text are * , * ."),
          text.imageCaptionRows("a wall"),
          text.textCaptionRows("* only"));
      assertEquals(2, captions.get(0).length, "the first image caption spans two 77-token chunks");
      long before = stages.textEncoder.calls();
      List<FloatTensor> together = text.encodeCaptions(captions, lines);
      assertEquals(before + 1, stages.textEncoder.calls(), "one text-encoder call for four captions");
      for (int c = 0; c < captions.size(); c++) {
        FloatTensor alone = text.encodeCaptions(List.<long[][]>of(captions.get(c)), lines).get(0);
        assertArrayEquals(alone.shape(), together.get(c).shape(), "caption " + c);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < alone.data().length; i++) {
          scale = Math.max(scale, Math.abs(alone.data()[i]));
          diff = Math.max(diff, Math.abs(alone.data()[i] - together.get(c).data()[i]));
        }
        assertTrue(scale > 0 && diff <= 1e-5 * scale, "caption " + c + ": max |Δ| " + diff + " of " + scale);
      }
    }
  }
}
