package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.exporter.ckpt.Checkpoint;
import io.anytext2.exporter.ckpt.Checkpoints;
import io.anytext2.trainer.djl.DeviceChoice;
import io.anytext2.trainer.log.MetricsCsv;
import io.anytext2.trainer.log.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anytext2 train} on the tiny config: synthetic data through the data package, two steps
 * (also with {@code --device cpu}), then resume to three; device errors; {@code --init-part} joins and
 * {@code convert --judge}.
 */
class TrainCommandTest {
  private static final Path TINY = Path.of("../trainer/configs/tiny.yaml");

  @Test
  void trainsResumesAndRejectsBadInput(@TempDir Path tmp) throws Exception {
    Path cfg = tmp.resolve("tiny.yaml");
    String text = Files.readString(TINY).replace("synthetic: 48", "synthetic: 9").replace("image_every: 8", "image_every: 0");
    String abs = TINY.toAbsolutePath().getParent().normalize().toString();
    Files.writeString(cfg, text.replace("config: tiny/model.yaml", "config: " + abs + "/tiny/model.yaml")
        .replace("ocr_dictionary: tiny/en_dict.txt", "ocr_dictionary: " + abs + "/tiny/en_dict.txt"));
    Path run = tmp.resolve("run");
    CliRun first = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--max-steps", "2");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().startsWith("trained to step 2"), first.out());
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/last.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("synthetic/anyword.json")));

    // the same two steps with --device cpu given explicitly: on this CPU-only machine the default (auto) is the CPU, so the losses match
    Path onCpu = tmp.resolve("run-cpu");
    CliRun explicit = CliRun.of("train", "--config", cfg.toString(), "--out", onCpu.toString(), "--max-steps", "2", "--device", "cpu");
    assertEquals(0, explicit.code(), explicit.err());
    assertTrue(explicit.out().startsWith("trained to step 2 on cpu "), explicit.out());
    if (first.out().startsWith("trained to step 2 on cpu ")) {
      MetricsTable auto = MetricsCsv.read(run.resolve("metrics.csv"));
      MetricsTable cpu = MetricsCsv.read(onCpu.resolve("metrics.csv"));
      assertEquals(2, cpu.rows());
      for (String c : auto.columns()) assertArrayEquals(auto.column(c), cpu.column(c), "column " + c);
    }

    CliRun again = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--max-steps", "3");
    assertEquals(2, again.code());
    assertTrue(again.err().contains("--resume"), again.err());

    CliRun resumed = CliRun.of("train", "--config", cfg.toString(), "--out", run.toString(), "--max-steps", "3", "--resume");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().startsWith("trained to step 3"), resumed.out());

    CliRun badDevice = CliRun.of("train", "--config", cfg.toString(), "--out", tmp.resolve("y").toString(), "--device", "tpu");
    assertEquals(2, badDevice.code());
    assertTrue(badDevice.err().startsWith("error: --device: expected auto, cpu, cuda or cuda:N (also gpu, gpu:N), found 'tpu'"),
        badDevice.err());
    assertFalse(Files.exists(tmp.resolve("y")), "nothing is written for an unusable device");

    // --init-part: the random initial weights with text_predictor.* taken from the trained run
    Path joinedRun = tmp.resolve("joined");
    Path trained = run.resolve("checkpoints/last.safetensors");
    CliRun joined = CliRun.of("train", "--config", cfg.toString(), "--out", joinedRun.toString(), "--max-steps", "1",
        "--init", run.resolve("init_random.safetensors").toString(), "--init-part", "text_predictor.=" + trained);
    assertEquals(0, joined.code(), joined.err());
    Path joinedInit = joinedRun.resolve("init_joined.safetensors");
    try (Checkpoint j = Checkpoints.open(joinedInit); Checkpoint random = Checkpoints.open(run.resolve("init_random.safetensors"));
        Checkpoint last = Checkpoints.open(trained)) {
      assertEquals(random.keys(), j.keys());
      int fromTrained = 0;
      boolean differs = false;
      for (String key : j.keys()) {
        Checkpoint source = key.startsWith("text_predictor.") ? last : random;
        fromTrained += source == last ? 1 : 0;
        assertArrayEquals(source.readBytes(key), j.readBytes(key), key);
        differs |= source == last && !java.util.Arrays.equals(random.readBytes(key), last.readBytes(key));
      }
      assertTrue(fromTrained > 10, "text_predictor keys: " + fromTrained);
      assertTrue(differs, "the trained run changed some text_predictor weight, so the join is visible");
    }
    // convert --judge: the OCR judge (ocr_recognizer.onnx) from another checkpoint's text_predictor.*, every other graph as
    // without, the embedding too (it reads glyph lines with the recognizer the model was trained with)
    Path modelCfg = TINY.toAbsolutePath().getParent().resolve("tiny/model.yaml").normalize();
    String random = run.resolve("init_random.safetensors").toString();
    Path otherJudge = tmp.resolve("judge.safetensors");
    Path noJudge = tmp.resolve("no-judge.safetensors");
    try (Checkpoint r = Checkpoints.open(Path.of(random))) {
      java.util.List<io.anytext2.exporter.ckpt.TensorInfo> ocr = r.keys().stream().filter(k -> k.startsWith("text_predictor.")).map(r::info).toList();
      // the same recognizer with every float32 weight negated (sign bit of each little-endian float flipped)
      io.anytext2.exporter.ckpt.SafetensorsWriter.write(otherJudge, ocr, info -> {
        byte[] v = r.readBytes(info.key());
        if (info.dtype() == io.anytext2.exporter.ckpt.DType.F32) for (int i = 3; i < v.length; i += 4) v[i] ^= (byte) 0x80;
        return v;
      });
      java.util.List<io.anytext2.exporter.ckpt.TensorInfo> vae = r.keys().stream().filter(k -> k.startsWith("first_stage_model.")).map(r::info).toList();
      io.anytext2.exporter.ckpt.SafetensorsWriter.write(noJudge, vae, info -> r.readBytes(info.key()));
    }
    Path plain = tmp.resolve("pkg-plain");
    Path judged = tmp.resolve("pkg-judged");
    CliRun convertPlain = CliRun.of("convert", "--checkpoint", random, "--config", modelCfg.toString(), "--no-sampler", "--out", plain.toString());
    assertEquals(0, convertPlain.code(), convertPlain.err());
    CliRun convertJudged = CliRun.of("convert", "--checkpoint", random, "--config", modelCfg.toString(), "--no-sampler",
        "--judge", otherJudge.toString(), "--out", judged.toString());
    assertEquals(0, convertJudged.code(), convertJudged.err());
    for (String graph : java.util.List.of("ocr_recognizer", "embedding", "unet", "controlnet", "vae_decoder", "text_encoder")) {
      boolean same = java.util.Arrays.equals(Files.readAllBytes(plain.resolve(graph + ".onnx")), Files.readAllBytes(judged.resolve(graph + ".onnx")));
      assertEquals(!graph.equals("ocr_recognizer"), same, graph + ".onnx: only the judge comes from --judge");
    }
    CliRun notAJudge = CliRun.of("convert", "--checkpoint", random, "--config", modelCfg.toString(), "--judge", noJudge.toString(),
        "--out", tmp.resolve("p4").toString());
    assertEquals(1, notAJudge.code());
    assertTrue(notAJudge.err().startsWith("error: the judge checkpoint holds no text_predictor.* weights"), notAJudge.err());
    assertFalse(Files.exists(tmp.resolve("p4")), "a refused judge writes no package");

    CliRun noPrefix = CliRun.of("train", "--config", cfg.toString(), "--out", tmp.resolve("z").toString(), "--max-steps", "1",
        "--init", run.resolve("init_random.safetensors").toString(), "--init-part", "no_such_part.=" + trained);
    assertEquals(2, noPrefix.code());
    assertTrue(noPrefix.err().startsWith("error: --init-part no_such_part.: the checkpoint holds no key with that prefix"), noPrefix.err());
    CliRun noInit = CliRun.of("train", "--config", cfg.toString(), "--out", tmp.resolve("z").toString(), "--init-part", "a.=" + trained);
    assertEquals(2, noInit.code());
    assertTrue(noInit.err().startsWith("error: --init-part needs --init"), noInit.err());

    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, text.replace("train:", "train:\n  batchsize: 4"));
    CliRun typo = CliRun.of("train", "--config", bad.toString(), "--out", tmp.resolve("x").toString());
    assertEquals(2, typo.code());
    assertTrue(typo.err().startsWith("error: training config: unknown key 'train.batchsize'"), typo.err());
  }

  @Test
  void cudaWithoutAGpuIsOneClearLine(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(DeviceChoice.EngineInfo.current().gpuCount() == 0, "DJL sees a GPU here; --device cuda would train");
    Path out = tmp.resolve("run");
    CliRun r = CliRun.of("train", "--config", TINY.toString(), "--out", out.toString(), "--max-steps", "1", "--device", "cuda");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: --device cuda: DJL's PyTorch engine sees no GPU (libtorch "), r.err());
    assertTrue(r.err().strip().endsWith("see README 'Training on a GPU'"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out), "nothing is written for an unusable device");
  }
}
