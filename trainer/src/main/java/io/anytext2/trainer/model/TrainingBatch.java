package io.anytext2.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A micro-batch of {@link PreparedSample}s as flat host arrays in NCHW order, lines in row-major
 * order over (sample, line) (TRAINING.md §3.3 (a)). The style recognizer's inputs are reordered
 * by crop aspect ratio and cut into groups of at most six, as the original's OCR batching does
 * (its BatchNorm statistics run per group, P-5); {@link #styleOrder} maps them back.
 */
public final class TrainingBatch {
  /** The original's recognizer batch size ({@code pred_imglist}, batch_num 6). */
  static final int OCR_GROUP = 6;
  private static final int CHUNK = 77;

  final List<PreparedSample> samples;
  final int batch;
  final int size;
  final int lines;
  final int[] lineSample;
  final int[] styleOrder;
  final int[] styleGroups;
  final int chunks;

  public TrainingBatch(List<PreparedSample> samples) {
    if (samples.isEmpty()) throw new IllegalArgumentException("expected at least one sample in a batch, found none");
    this.samples = List.copyOf(samples);
    this.batch = samples.size();
    this.size = samples.get(0).size;
    for (PreparedSample s : samples) {
      if (s.size != size) throw new IllegalArgumentException("batch samples differ in size: " + size + " and " + s.size);
    }
    List<Integer> owner = new ArrayList<>();
    List<Float> aspect = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      for (PreparedSample.Line l : samples.get(i).lines) {
        owner.add(i);
        aspect.add(l.styleAspect());
      }
    }
    this.lines = owner.size();
    this.lineSample = owner.stream().mapToInt(Integer::intValue).toArray();
    // stable argsort by width / height (ties keep line order, as numpy's small-array sort does)
    this.styleOrder = IntStream.range(0, lines).boxed().sorted(Comparator.comparing(aspect::get)).mapToInt(Integer::intValue).toArray();
    int groups = (lines + OCR_GROUP - 1) / OCR_GROUP;
    this.styleGroups = new int[groups];
    for (int g = 0; g < groups; g++) styleGroups[g] = Math.min(OCR_GROUP, lines - g * OCR_GROUP);
    this.chunks = samples.stream().mapToInt(s -> s.imageChunks.length).max().orElse(1);
  }

  public int batchSize() {
    return batch;
  }

  public int lineCount() {
    return lines;
  }

  public List<PreparedSample> samples() {
    return samples;
  }

  float[] images() {
    return stack(s -> s.image);
  }

  float[] maskedImages() {
    return stack(s -> s.masked);
  }

  float[] glyphMasks() {
    return stack(s -> s.glyphMask);
  }

  float[] positionSums() {
    return stack(s -> s.positionSum);
  }

  float[] keepMasks() {
    return stack(s -> s.keep);
  }

  float[] recogInputs() {
    return lineStack(IntStream.range(0, lines).toArray(), PreparedSample.Line::recog);
  }

  /** Style inputs in {@link #styleOrder}. */
  float[] styleInputs() {
    return lineStack(styleOrder, PreparedSample.Line::style);
  }

  /** For each line, its row in the style batch. */
  long[] styleRowOfLine() {
    long[] inv = new long[lines];
    for (int r = 0; r < lines; r++) inv[styleOrder[r]] = r;
    return inv;
  }

  float[] positions() {
    return lineStack(IntStream.range(0, lines).toArray(), PreparedSample.Line::position);
  }

  float[] colors() {
    return lineStack(IntStream.range(0, lines).toArray(), PreparedSample.Line::color);
  }

  PreparedSample.Line line(int index) {
    int i = lineSample[index];
    int first = 0;
    while (lineSample[first] != i) first++;
    return samples.get(i).lines.get(index - first);
  }

  /** Index of the first line of each sample. */
  int[] firstLine() {
    int[] first = new int[batch];
    Arrays.fill(first, -1);
    for (int l = lines - 1; l >= 0; l--) first[lineSample[l]] = l;
    return first;
  }

  long[] textIds() {
    long[] ids = new long[batch * CHUNK];
    for (int i = 0; i < batch; i++) System.arraycopy(samples.get(i).textIds, 0, ids, i * CHUNK, CHUNK);
    return ids;
  }

  /** Global line index at each text token (−1: none). */
  int[] textLineAt() {
    int[] first = firstLine();
    int[] at = new int[batch * CHUNK];
    for (int i = 0; i < batch; i++) {
      int[] local = samples.get(i).textLineAt;
      for (int p = 0; p < CHUNK; p++) at[i * CHUNK + p] = local[p] < 0 ? -1 : first[i] + local[p];
    }
    return at;
  }

  /**
   * Image-caption chunks [B·k, 77]: every sample padded to the batch's chunk count k with empty
   * chunks (BOS, EOS×76) — what padding all captions to the longest and re-chunking gives
   * (TRAINING.md §3.3 (c), P-13).
   */
  long[] imageIds(long bos, long eos) {
    long[] ids = new long[batch * chunks * CHUNK];
    for (int i = 0; i < batch; i++) {
      long[][] own = samples.get(i).imageChunks;
      for (int c = 0; c < chunks; c++) {
        int at = (i * chunks + c) * CHUNK;
        if (c < own.length) {
          System.arraycopy(own[c], 0, ids, at, CHUNK);
        } else {
          Arrays.fill(ids, at, at + CHUNK, eos);
          ids[at] = bos;
        }
      }
    }
    return ids;
  }

  int[] imageLineAt() {
    int[] first = firstLine();
    int[] at = new int[batch * chunks * CHUNK];
    Arrays.fill(at, -1);
    for (int i = 0; i < batch; i++) {
      int[][] own = samples.get(i).imageLineAt;
      for (int c = 0; c < own.length; c++) {
        for (int p = 0; p < CHUNK; p++) {
          if (own[c][p] >= 0) at[(i * chunks + c) * CHUNK + p] = first[i] + own[c][p];
        }
      }
    }
    return at;
  }

  int chunkCount() {
    return chunks;
  }

  private float[] stack(java.util.function.Function<PreparedSample, float[]> part) {
    int n = part.apply(samples.get(0)).length;
    float[] out = new float[batch * n];
    for (int i = 0; i < batch; i++) System.arraycopy(part.apply(samples.get(i)), 0, out, i * n, n);
    return out;
  }

  private float[] lineStack(int[] order, java.util.function.Function<PreparedSample.Line, float[]> part) {
    int n = part.apply(line(0)).length;
    float[] out = new float[order.length * n];
    for (int r = 0; r < order.length; r++) System.arraycopy(part.apply(line(order[r])), 0, out, r * n, n);
    return out;
  }
}
