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
 * rectangle crop of §3.5.3 ({@link CropRectifier}, float32 like the original tensors), then the
 * PP-OCR recognizer's own input preparation ({@link RecognizerInput#prepare}, MODEL.md §3.4.2 and
 * §6 item 23): tall crops turned 90° counter-clockwise, resized to height 48 (bilinear,
 * align-corners, width {@code min(320, ceil(48·w/h))}), normalised {@code (v/255 − 0.5)/0.5} and
 * right-padded with <em>0</em> (mid-grey after the normalisation) to 48×320.
 *
 * <p>The original pads with black pixels (§5.3 step 3) because it hands un-normalised crops to the
 * ModelScope recognizer, whose own preprocessing follows; the recognizers read here take inputs
 * already in the PP-OCR normalisation ({@link OnnxCtcRecognizer}), and the PP-OCR preparation — the
 * one the package's {@code ocr_recognizer} was trained on (the trainer's {@code RecognizerCrop},
 * PaddleOCR's {@code resize_norm_img}) — pads with 0, not −1. Black (−1) padding put every crop
 * out of the judge's training distribution: on crops of its own synthetic training data it halved
 * the exact-match rate (0.65 → 0.30, NED 0.90 → 0.72).
 */
public final class RecognizerCrops {
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

  /** One [3, 48, 320] recognizer input from a crop: {@link RecognizerInput#prepare}, padded with 0. */
  public static FloatImage recognizerInput(FloatImage crop) {
    return RecognizerInput.prepare(crop, false);
  }
}
