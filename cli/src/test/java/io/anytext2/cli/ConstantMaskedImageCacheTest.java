package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.RgbImage;
import io.anytext2.sdk.runtime.RuntimeOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Generate requests encode a constant masked picture: one VAE encoder call serves the following generate
 * requests of that size (the last constant picture is kept, with the same pictures as encoding each
 * time), while edit pictures are always encoded.
 */
class ConstantMaskedImageCacheTest {

  private static AnyText2Request generate(int size, long seed) {
    return AnyText2Request.generate("a wooden sign").size(size, size).steps(2).seed(seed).line(TextLine.of("HI")).build();
  }

  @Test
  void generateRequestsShareOneEncoderCallPerSize() throws Exception {
    Path pkg = TinyPackage.get();
    byte[] fresh;
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2))) {
      fresh = p.run(generate(128, 5)).images().get(0).pixels();
      assertEquals(1, p.vaeEncoderCalls());
    }
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2))) {
      p.run(generate(128, 4));
      assertArrayEquals(fresh, p.run(generate(128, 5)).images().get(0).pixels(), "cached moments give the same picture");
      assertEquals(1, p.vaeEncoderCalls(), "second generate request of the size: no encoder call");
      p.run(generate(192, 5));
      assertEquals(2, p.vaeEncoderCalls(), "another size is another picture");
      RgbImage photo = p.run(generate(128, 9)).images().get(0);
      assertEquals(3, p.vaeEncoderCalls(), "one entry: the last constant picture");
      AnyText2Request edit = AnyText2Request.edit(photo, "a wooden sign").steps(2).seed(3)
          .line(TextLine.of("NEW").at(Polygon.of(10, 10, 100, 10, 100, 40, 10, 40))).build();
      p.run(edit);
      p.run(edit);
      assertEquals(5, p.vaeEncoderCalls(), "edit pictures are encoded every time");
    }
  }

  /**
   * In low-GPU-memory mode on a GPU the stages encode the native size's constant picture while opening, before the decoder
   * and the UNet or sampler graph, then close the encoder: generate requests at that size then run no encoder, with the
   * same pictures; an edit opens it again. Forced here on the CPU by the property that tests that order.
   */
  @Test
  void theConstantPictureEncodedAtOpenServesGenerateRequestsWithTheSamePictures() throws Exception {
    Path pkg = TinyPackage.get();
    byte[] fresh;
    int size;
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2))) {
      size = p.nativeSize();
      assertEquals(null, p.stages().constantAtOpen(), "not on a CPU by default");
      fresh = p.run(generate(size, 5)).images().get(0).pixels();
    }
    String key = io.anytext2.sdk.pipeline.ModelStages.ENCODE_CONSTANT_FIRST_PROPERTY;
    System.setProperty(key, "true");
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2))) {
      System.clearProperty(key);
      assertArrayEquals(new long[] {1, 3, size, size}, p.stages().constantAtOpen().imageShape());
      assertArrayEquals(fresh, p.run(generate(size, 5)).images().get(0).pixels(), "moments from the open: the same picture");
      assertEquals(0, p.vaeEncoderCalls(), "no encoder call for a generate request at the native size");
      RgbImage photo = p.run(generate(size, 9)).images().get(0);
      p.run(AnyText2Request.edit(photo, "a wooden sign").steps(2).seed(3)
          .line(TextLine.of("NEW").at(Polygon.of(10, 10, 100, 10, 100, 40, 10, 40))).build());
      assertEquals(1, p.vaeEncoderCalls(), "an edit opens the encoder again");
    } finally {
      System.clearProperty(key);
    }
  }

  /**
   * In low-GPU-memory mode a generate request closes the encoder after encoding the constant picture; whatever needs
   * it next opens it again, with the same pictures as an encoder that never closed (the policy itself needs a GPU).
   */
  @Test
  void aReleasedEncoderOpensAgainWithTheSamePictures() throws Exception {
    Path pkg = TinyPackage.get();
    AnyText2Request edit;
    byte[] kept;
    byte[] keptGenerate;
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2))) {
      RgbImage photo = p.run(generate(128, 9)).images().get(0);
      edit = AnyText2Request.edit(photo, "a wooden sign").steps(2).seed(3)
          .line(TextLine.of("NEW").at(Polygon.of(10, 10, 100, 10, 100, 40, 10, 40))).build();
      kept = p.run(edit).images().get(0).pixels();
      keptGenerate = p.run(generate(192, 4)).images().get(0).pixels();
    }
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2))) {
      p.stages().releaseVaeEncoder();
      p.stages().releaseVaeEncoder(); // twice: nothing to close
      assertArrayEquals(kept, p.run(edit).images().get(0).pixels(), "an edit after a release");
      p.stages().releaseVaeEncoder();
      assertArrayEquals(keptGenerate, p.run(generate(192, 4)).images().get(0).pixels(), "a generate request after a release");
    }
  }
}
