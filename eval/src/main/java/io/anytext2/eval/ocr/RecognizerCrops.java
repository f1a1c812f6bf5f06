package io.anytext2.eval.ocr;

import io.anytext2.sdk.prep.CropRectifier;
import io.anytext2.sdk.prep.FloatImage;
import io.anytext2.sdk.prep.Mask;
import io.anytext2.sdk.prep.Polygon;
import io.anytext2.sdk.prep.PolygonRasterizer;
import io.anytext2.sdk.prep.RecognizerInput;
import io.anytext2.sdk.prep.RgbImage;

/**
 * The line crops the evaluation reads (TRAINING.md §5.3 steps 1–3, P-30): the generated picture
 * in OpenCV's BGR order as CHW 0..255 floats, the line's polygon filled as the mask, the rotated
 * rectangle crop of §3.5.3 ({@link CropRectifier}, float32 like the original tensors), tall crops
 * turned 90° counter-clockwise, resized to height 48 (bilinear, align-corners, width
 * {@code min(320, ceil(48·w/h))}) and right-padded with <em>black</em> pixels to 48×320. The result
 * is normalised the PP-OCR way, {@code (v/255 − 0.5)/0.5}, so the padding is −1.
 */
public final class RecognizerCrops {
  /** Value of a black pixel after the PP-OCR normalisation: the padding of §5.3 step 3. */
  static final float BLACK = -1f;

  /** Channel order the recognizer is fed. */
  public enum ChannelOrder {
    /** OpenCV's order, what the original evaluation feeds (P-30). */
    BGR,
    RGB
  }

  private RecognizerCrops() {}

  /** The picture as a [3, H, W] float image of 0..255 values in {@code order}. */
  public static FloatImage toChw(RgbImage img, ChannelOrder order) {
    int plane = img.width() * img.height();
    byte[] px = img.pixels();
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        int src = order == ChannelOrder.BGR ? 2 - c : c;
        out[c * plane + i] = px[3 * i + src] & 0xff;
      }
    }
    return new FloatImage(3, img.height(), img.width(), out);
  }

  /** The rectified crop ([3, h, w], 0..255) of the line at {@code polygon}. */
  public static FloatImage crop(FloatImage chw, Polygon polygon) {
    Mask mask = PolygonRasterizer.fill(chw.width(), chw.height(), polygon);
    return CropRectifier.crop(chw, mask, CropRectifier.Precision.FLOAT32);
  }

  /** One [3, 48, 320] recognizer input from a crop, padded with black. */
  public static FloatImage recognizerInput(FloatImage crop) {
    FloatImage in = RecognizerInput.prepare(crop, false);
    boolean rotated = crop.height() > crop.width() * 1.2;
    int h = rotated ? crop.width() : crop.height();
    int w = rotated ? crop.height() : crop.width();
    int used = (int) Math.min(RecognizerInput.WIDTH, Math.ceil(RecognizerInput.HEIGHT * (w / (double) h)));
    float[] v = in.data();
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < RecognizerInput.HEIGHT; y++) {
        int row = (c * RecognizerInput.HEIGHT + y) * RecognizerInput.WIDTH;
        java.util.Arrays.fill(v, row + used, row + RecognizerInput.WIDTH, BLACK);
      }
    }
    return new FloatImage(3, RecognizerInput.HEIGHT, RecognizerInput.WIDTH, v);
  }
}
