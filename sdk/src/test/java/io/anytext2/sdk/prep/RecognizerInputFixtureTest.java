package io.anytext2.sdk.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** OCR inputs and style crops from the stored conditioning tensors (parity README (b), (c)). */
class RecognizerInputFixtureTest {

  @Test
  void glyphLinesBecomeTheRecognizerBatch() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      for (String mode : new String[] {"gen", "edit"}) {
        int n = (int) fx.shape(mode + "/em/recog_norm_batch")[0];
        for (int j = 0; j < n; j++) {
          FloatImage actual = RecognizerInput.fromGlyphLine(fx.image(mode + "/cond/gly_line_" + j));
          double err = actual.maxAbsDiff(item(fx, mode + "/em/recog_norm_batch", j));
          System.out.printf("%s recog_norm_batch[%d]: max |diff| %.3g%n", mode, j, err);
          assertTrue(err <= 1e-5, mode + " recog_norm_batch " + j + ": " + err);
        }
      }
    }
  }

  @Test
  void fontHintCropsBecomeTheStyleBatch() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      FloatImage fontHint = fx.image("gen/cond/font_hint");
      for (int j = 0; j < 2; j++) {
        Mask pos = fx.mask("gen/cond/positions_" + j);
        FloatImage style = StyleInput.fromFontHint(fontHint, pos);
        FloatImage expected = fx.image("gen/em/style_img_" + j);
        assertArrayEquals(expected.shape(), style.shape(), "style_img_" + j + " shape");
        double err = style.maxAbsDiff(expected);
        double errNorm =
            RecognizerInput.prepare(style, false)
                .maxAbsDiff(item(fx, "gen/em/style_norm_batch", j));
        System.out.printf(
            "gen style_img_%d %s: max |diff| %.3g (0..255 scale); style_norm_batch[%d]: %.3g%n",
            j, Arrays.toString(style.shape()), err, j, errNorm);
        assertTrue(err <= 1e-3, "style_img_" + j + ": " + err);
        assertTrue(errNorm <= 1e-5, "style_norm_batch " + j + ": " + errNorm);
      }
    }
  }

  @Test
  void storedMimicCropBecomesTheStyleBatch() {
    try (Fixtures fx = Fixtures.openOrSkip()) {
      double[] mimic = fx.doubles("edit/in/mimic_img_0");
      long[] s = fx.shape("edit/in/mimic_img_0");
      float[] f = new float[mimic.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) mimic[i];
      }
      FloatImage crop = new FloatImage((int) s[0], (int) s[1], (int) s[2], f);
      double err =
          RecognizerInput.prepare(crop, true).maxAbsDiff(item(fx, "edit/em/style_norm_batch", 0));
      System.out.printf(
          "edit style_norm_batch[0] from the stored mimic crop: max |diff| %.3g%n", err);
      assertTrue(err <= 1e-5, "edit style_norm_batch: " + err);
    }
  }

  static FloatImage item(Fixtures fx, String key, int index) {
    long[] s = fx.shape(key);
    int c = (int) s[1];
    int h = (int) s[2];
    int w = (int) s[3];
    float[] all = fx.floats(key);
    return new FloatImage(
        c, h, w, Arrays.copyOfRange(all, index * c * h * w, (index + 1) * c * h * w));
  }
}
