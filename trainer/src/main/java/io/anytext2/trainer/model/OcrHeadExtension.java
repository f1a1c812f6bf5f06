package io.anytext2.trainer.model;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.SafetensorsWriter;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorData;
import io.anytext2.exporter.ckpt.TensorInfo;
import io.anytext2.trainer.loss.OcrDictionary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Widens the CTC heads of a checkpoint's OCR recognizers ({@code text_predictor} and the embedding manager's
 * {@code font_predictor} copy) from one dictionary to a larger one that contains it, e.g. the default model's Latin
 * dictionary to Latin + Chinese. The class of every character the old dictionary has keeps its row (weights and bias), at
 * the character's new index; blank and the final space keep theirs; each new character gets a fresh row as PyTorch's
 * Linear draws it (U(±1/√in) for weight and bias). Every other tensor is copied unchanged, so backbone and neck, which
 * is all the embedding manager reads, stay as trained, and a recognizer that reads Latin still reads it after the
 * change. Not in the original, whose recognizer is the full 6 625-class PP-OCRv3 one from the start.
 */
public final class OcrHeadExtension {
  private static final List<String> HEADS = List.of("text_predictor.head.fc.", "embedding_manager.font_predictor.head.fc.");

  /** What changed: classes before and after, rows copied and drawn per head, and the heads found. */
  public record Result(int oldClasses, int newClasses, int copied, int fresh, List<String> heads) {}

  private OcrHeadExtension() {}

  /**
   * Writes {@code in} with its heads widened to {@code newChars} into the safetensors file {@code out}.
   *
   * @param oldChars the dictionary the checkpoint's heads were trained with (its lines, {@link OcrDictionary#characters})
   * @param newChars a dictionary that has every character of {@code oldChars}, in any order
   */
  public static Result write(Checkpoint in, List<String> oldChars, List<String> newChars, long seed, Path out) throws IOException {
    int oldClasses = new OcrDictionary(oldChars).classes();
    int newClasses = new OcrDictionary(newChars).classes();
    // class of each old line's character (its last line, as the original's dict comprehension keeps), by code point
    Map<Integer, Integer> oldClass = new HashMap<>();
    for (int line = 0; line < oldChars.size(); line++) oldClass.put(oldChars.get(line).codePointAt(0), line + 1);
    Set<Integer> newSet = new HashSet<>();
    for (String c : newChars) newSet.add(c.codePointAt(0));
    for (int line = 0; line < oldChars.size(); line++) {
      if (!newSet.contains(oldChars.get(line).codePointAt(0))) {
        throw new IllegalArgumentException("the new dictionary lacks '" + oldChars.get(line) + "' (line " + (line + 1)
            + " of the old one): it must contain every character the checkpoint was trained to read");
      }
    }
    List<String> heads = HEADS.stream().filter(h -> in.contains(h + "weight")).toList();
    if (heads.isEmpty()) throw new IllegalArgumentException("checkpoint has no OCR head (" + HEADS.get(0) + "weight)");
    // source row of each new class: blank ← blank, a line whose character the old dictionary has ← that character's old
    // class, the final space ← the old final space, every other line ← -1 (drawn fresh)
    int[] source = new int[newClasses];
    source[0] = 0;
    source[newClasses - 1] = oldClasses - 1;
    int copied = 2;
    for (int line = 0; line < newChars.size(); line++) {
      Integer from = oldClass.get(newChars.get(line).codePointAt(0));
      source[line + 1] = from == null ? -1 : from;
      if (from != null) copied++;
    }
    List<TensorInfo> tensors = new ArrayList<>();
    for (String key : in.keys()) {
      TensorInfo t = in.info(key);
      String head = heads.stream().filter(key::startsWith).findFirst().orElse(null);
      if (head != null && t.shape()[0] != oldClasses) {
        throw new IllegalArgumentException(key + " has " + t.shape()[0] + " classes, the old dictionary gives " + oldClasses);
      }
      if (head != null) {
        long[] shape = t.shape().clone();
        shape[0] = newClasses;
        tensors.add(new TensorInfo(key, DType.F32, shape));
      } else {
        tensors.add(t);
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    TensorData data = TensorData.ofBytes(info -> {
      String head = heads.stream().filter(info.key()::startsWith).findFirst().orElse(null);
      if (head == null) return in.readBytes(info.key());
      int fanIn = (int) in.info(head + "weight").shape()[1]; // the Linear's input width, for its weight and its bias
      return TensorCodec.encodeFloats(widen(in.readFloats(info.key()), info.shape(), fanIn, source, rng), DType.F32);
    });
    SafetensorsWriter.write(out, tensors, data, Map.of("format", "pt"));
    return new Result(oldClasses, newClasses, copied, newClasses - copied, heads);
  }

  /** Rows of a [classes, in] weight or [classes] bias: the source row where there is one, else U(±1/√fanIn). */
  private static float[] widen(float[] old, long[] newShape, int fanIn, int[] source, SplittableRandom rng) {
    int rowLength = newShape.length > 1 ? (int) newShape[1] : 1;
    double bound = 1 / Math.sqrt(fanIn);
    float[] out = new float[source.length * rowLength];
    for (int c = 0; c < source.length; c++) {
      for (int k = 0; k < rowLength; k++) {
        out[c * rowLength + k] = source[c] >= 0 ? old[source[c] * rowLength + k] : (float) ((rng.nextDouble() * 2 - 1) * bound);
      }
    }
    return out;
  }
}
