package io.anytext2.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.ckpt.DType;
import io.anytext2.exporter.ckpt.SafetensorsWriter;
import io.anytext2.exporter.ckpt.TensorCodec;
import io.anytext2.exporter.ckpt.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcrHeadExtensionTest {
  @TempDir Path dir;

  private static final String W = "text_predictor.head.fc.weight";
  private static final String B = "text_predictor.head.fc.bias";
  private static final String FONT_W = "embedding_manager.font_predictor.head.fc.weight";

  /** Old dictionary a, b, c: classes blank, a, b, c, space; row r of a weight is {10r, 10r+1, 10r+2}, a bias row r is r. */
  private Path oldCheckpoint() throws IOException {
    Path file = dir.resolve("old.safetensors");
    List<TensorInfo> tensors = List.of(new TensorInfo(W, DType.F32, new long[] {5, 3}), new TensorInfo(B, DType.F32, new long[] {5}),
        new TensorInfo(FONT_W, DType.F32, new long[] {5, 3}), new TensorInfo("other.steps", DType.I64, new long[] {2}));
    SafetensorsWriter.write(file, tensors, info -> {
      if (info.dtype() == DType.I64) return TensorCodec.encodeLongs(new long[] {7, 9}, DType.I64);
      int rows = (int) info.shape()[0];
      int cols = info.shape().length > 1 ? (int) info.shape()[1] : 1;
      float[] v = new float[rows * cols];
      for (int r = 0; r < rows; r++) for (int k = 0; k < cols; k++) v[r * cols + k] = cols == 1 ? r : 10 * r + k;
      return TensorCodec.encodeFloats(v, DType.F32);
    }, Map.of());
    return file;
  }

  @Test
  void knownCharactersKeepTheirRowsAtTheirNewClassesAndNewOnesAreDrawn() throws IOException {
    Path out = dir.resolve("new.safetensors");
    // new classes: blank, c, x, a, b, y, space
    OcrHeadExtension.Result r;
    try (Checkpoint in = Checkpoints.open(oldCheckpoint())) {
      r = OcrHeadExtension.write(in, List.of("a", "b", "c"), List.of("c", "x", "a", "b", "y"), 3, out);
    }
    assertEquals(new OcrHeadExtension.Result(5, 7, 5, 2, List.of("text_predictor.head.fc.", "embedding_manager.font_predictor.head.fc.")), r);
    try (Checkpoint ext = Checkpoints.open(out)) {
      assertArrayEquals(new long[] {7, 3}, ext.info(W).shape());
      float[] w = ext.readFloats(W);
      int[] from = {0, 3, -1, 1, 2, -1, 4}; // old class of each new class
      for (int c = 0; c < 7; c++) {
        for (int k = 0; k < 3; k++) {
          float v = w[c * 3 + k];
          if (from[c] >= 0) assertEquals(10 * from[c] + k, v, 0f, "class " + c);
          else assertTrue(Math.abs(v) <= 1 / Math.sqrt(3) && v != 0, "fresh row within U(±1/√3): " + v);
        }
      }
      float[] b = ext.readFloats(B);
      assertEquals(3f, b[1]);
      assertEquals(4f, b[6]);
      assertTrue(Math.abs(b[2]) <= 1 / Math.sqrt(3), "a fresh bias with the weight's fan-in: " + b[2]);
      assertArrayEquals(new long[] {7, 3}, ext.info(FONT_W).shape(), "the embedding manager's copy widens too");
      assertArrayEquals(new long[] {7, 9}, ext.readLongs("other.steps"), "other tensors are copied");
    }
    Path again = dir.resolve("again.safetensors");
    try (Checkpoint in = Checkpoints.open(oldCheckpoint())) {
      OcrHeadExtension.write(in, List.of("a", "b", "c"), List.of("c", "x", "a", "b", "y"), 3, again);
    }
    assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again), "same seed, same file");
  }

  @Test
  void aDictionaryThatDropsACharacterOrADifferentHeadSizeIsRefused() throws IOException {
    try (Checkpoint in = Checkpoints.open(oldCheckpoint())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OcrHeadExtension.write(in, List.of("a", "b", "c"), List.of("a", "c", "z"), 0, dir.resolve("x.safetensors")));
      assertEquals("the new dictionary lacks 'b' (line 2 of the old one): it must contain every character the checkpoint was trained to read",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> OcrHeadExtension.write(in, List.of("a", "b"), List.of("a", "b", "c"), 0, dir.resolve("y.safetensors")));
      assertTrue(e.getMessage().contains("has 5 classes, the old dictionary gives 4"), e.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("x.safetensors")));
  }
}
