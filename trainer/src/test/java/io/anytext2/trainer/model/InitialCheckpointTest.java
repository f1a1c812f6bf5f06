package io.anytext2.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.exporter.ckpt.SafetensorsWriter;
import io.anytext2.exporter.ckpt.TensorData;
import io.anytext2.exporter.ckpt.TensorInfo;
import io.anytext2.exporter.pkg.CheckpointValidator;
import io.anytext2.trainer.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TRAINING.md §4 on the tiny architecture, from a fake "SD1.5" base and a fake recognizer file. */
class InitialCheckpointTest {
  @TempDir Path tmp;

  /** Copies the tensors of {@code src} selected by {@code keep} to a new file, renaming keys with {@code rename}. */
  private static Path subset(Checkpoint src, Path file, Predicate<String> keep, Function<String, String> rename) throws IOException {
    List<TensorInfo> infos = new ArrayList<>();
    for (String k : src.keys()) if (keep.test(k)) infos.add(new TensorInfo(rename.apply(k), src.info(k).dtype(), src.info(k).shape()));
    Map<String, String> back = new java.util.HashMap<>();
    for (String k : src.keys()) if (keep.test(k)) back.put(rename.apply(k), k);
    SafetensorsWriter.write(file, infos, TensorData.ofBytes(info -> src.readBytes(back.get(info.key()))), Map.of());
    return file;
  }

  @Test
  void copiesTheBaseAndOcrWeightsAndInitialisesTheRest() throws IOException {
    ModelSpec spec = TinyModels.spec();
    try (Checkpoint random = Checkpoints.open(TinyModels.randomCheckpoint(tmp, 3))) {
      Path basePath = subset(random, tmp.resolve("sd.safetensors"),
          k -> (k.startsWith("model.diffusion_model.") && !k.contains("attn1x") && !k.contains("attn2x"))
              || k.startsWith("first_stage_model.") || k.startsWith("cond_stage_model.") || !k.contains("."),
          k -> k);
      Path ocrPath = subset(random, tmp.resolve("ppv3_rec.safetensors"), k -> k.startsWith("text_predictor."),
          k -> k.substring("text_predictor.".length()));
      try (Checkpoint base = Checkpoints.open(basePath); Checkpoint ocr = Checkpoints.open(ocrPath)) {
        InitialCheckpoint init = new InitialCheckpoint(spec.config(), base, ocr, 11);
        InitialCheckpoint.Report report = init.save(tmp.resolve("init.safetensors"));
        System.out.println("initial checkpoint: " + report);
        try (Checkpoint out = Checkpoints.open(tmp.resolve("init.safetensors"))) {
          CheckpointValidator.validate(out, spec.config()); // every key the model needs, right shapes
          String blk = "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight";
          assertArrayEquals(base.readFloats("model.diffusion_model." + blk), out.readFloats("control_model." + blk));
          String mid = "model.diffusion_model.middle_block.1.transformer_blocks.0.";
          assertArrayEquals(base.readFloats(mid + "attn2.to_k.weight"), out.readFloats(mid + "attn2x.to_k.weight"));
          assertArrayEquals(base.readFloats(mid + "attn1.to_out.0.bias"), out.readFloats(mid + "attn1x.to_out.0.bias"));
          assertArrayEquals(ocr.readFloats("neck.encoder.conv1.conv.weight"), out.readFloats("text_predictor.neck.encoder.conv1.conv.weight"));
          assertArrayEquals(ocr.readFloats("head.fc.weight"), out.readFloats("embedding_manager.font_predictor.head.fc.weight"));
          assertArrayEquals(base.readFloats("first_stage_model.decoder.conv_in.weight"), out.readFloats("first_stage_model.decoder.conv_in.weight"));
          for (String zero : List.of("control_model.zero_convs.0.0.weight", "control_model.middle_block_out.0.bias",
              "control_model.fuse_block_za.weight", "embedding_manager.proj.0.weight", "embedding_manager.color_proj.0.bias")) {
            for (float v : out.readFloats(zero)) assertEquals(0f, v, zero);
          }
          for (float v : out.readFloats("embedding_manager.style_proj.1.weight")) assertEquals(1f, v);
          float[] glyph = out.readFloats("control_model.glyph_block.0.weight"); // fan-in 1·3·3 = 9 → U(±1/3)
          double max = 0;
          for (float v : glyph) max = Math.max(max, Math.abs(v));
          assertTrue(max > 0.2 && max <= 1 / 3.0, "glyph_block.0 init bound " + max);
          assertTrue(report.freshKeys().stream().allMatch(k -> k.startsWith("control_model.glyph_block.")
              || k.startsWith("control_model.position_block.") || k.startsWith("embedding_manager.")), report.freshKeys().toString());
          assertEquals(0, report.freshKeys().stream().filter(k -> k.startsWith("embedding_manager.font_predictor.")).count());
        }
      }
    }
  }

  @Test
  void aBaseTensorOfTheWrongShapeIsReported() throws IOException {
    ModelSpec spec = TinyModels.spec();
    try (Checkpoint random = Checkpoints.open(TinyModels.randomCheckpoint(tmp, 3))) {
      Path basePath = tmp.resolve("bad.safetensors");
      TensorInfo bad = new TensorInfo("model.diffusion_model.out.2.weight", io.anytext2.exporter.ckpt.DType.F32, new long[] {4, 2});
      SafetensorsWriter.write(basePath, List.of(bad), info -> new byte[32]);
      try (Checkpoint base = Checkpoints.open(basePath)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InitialCheckpoint(spec.config(), base, null, 1));
        assertTrue(e.getMessage().contains("model.diffusion_model.out.2.weight"), e.getMessage());
      }
    }
  }
}
