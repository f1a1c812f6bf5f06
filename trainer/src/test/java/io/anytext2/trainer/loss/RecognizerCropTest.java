package io.anytext2.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.anytext2.sdk.prep.CropRectifier;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.RecognizerInput;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The differentiable crop + recognizer preparation agrees with the SDK's host implementation. */
class RecognizerCropTest {

  /** A filled rectangle of size w×h centred at (cx, cy), turned by {@code deg} degrees. */
  static Mask rotatedBox(int size, double cx, double cy, double w, double h, double deg) {
    byte[] bits = new byte[size * size];
    double a = Math.toRadians(deg);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = x - cx;
        double dy = y - cy;
        double u = dx * Math.cos(a) + dy * Math.sin(a);
        double v = -dx * Math.sin(a) + dy * Math.cos(a);
        if (Math.abs(u) <= w / 2 && Math.abs(v) <= h / 2) bits[y * size + x] = 1;
      }
    }
    return new Mask(size, size, bits);
  }

  @Test
  void matchesTheHostCropAndPreparationForWideTiltedAndTallLines() {
    int size = 96;
    Random r = new Random(11);
    float[] img = new float[3 * size * size];
    for (int i = 0; i < img.length; i++) img[i] = r.nextFloat() * 255f;
    Mask[] masks = {rotatedBox(size, 48, 30, 70, 16, 0), rotatedBox(size, 50, 50, 60, 14, 27), rotatedBox(size, 40, 48, 12, 60, 4)};
    try (NDManager m = NDManager.newBaseManager()) {
      for (Mask mask : masks) {
        FloatImage crop = CropRectifier.crop(new FloatImage(3, size, size, img), mask, CropRectifier.Precision.FLOAT32);
        float[] want = RecognizerInput.prepare(crop, false).data();
        float[] got = RecognizerCrop.plan(mask).apply(m.create(img, new Shape(3, size, size)), m).toFloatArray();
        assertEquals(want.length, got.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
        assertTrue(worst < 2e-4, "max abs difference " + worst);
      }
    }
  }

  @Test
  void gradientReachesExactlyThePixelsTheCropReads() {
    int size = 64;
    Mask mask = rotatedBox(size, 30, 20, 30, 10, 15);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray image = m.ones(new Shape(3, size, size)).mul(100f);
      image.setRequiresGradient(true);
      float[] grad;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(RecognizerCrop.plan(mask).apply(image, m).sum());
        grad = image.getGradient().toFloatArray();
      }
      int touched = 0;
      int far = 0;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          if (grad[y * size + x] != 0) {
            touched++;
            if (Math.hypot(x - 30, y - 20) > 25) far++;
          }
        }
      }
      assertTrue(touched > 100, "pixels with gradient: " + touched);
      assertEquals(0, far, "gradient outside the line's neighbourhood");
    }
  }
}
