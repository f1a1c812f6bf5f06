package io.anytext2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anytext2.nn.pkg.GraphNames;
import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import io.anytext2.sdk.GenerationResult;
import io.anytext2.sdk.Rgb;
import io.anytext2.sdk.TextLine;
import io.anytext2.sdk.pipeline.SamplerOptions;
import io.anytext2.sdk.runtime.RuntimeOptions;
import io.anytext2.sdk.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler graph (an ONNX Loop over chunks of DDIM steps) against the step-by-step UNet loop on the
 * tiny fixture package: the same latents, the listener after each chunk, and packages without the graph
 * still run step by step.
 */
class SamplerGraphTest {
  private static final int STEPS = 10; // tiny.yaml: 1000 timesteps, so 10 DDIM steps

  /** What the listener saw: the step counts and the pred_x0 of the last call. */
  private record Seen(List<Integer> steps, List<FloatTensor> predX0s, FloatTensor lastPredX0, GenerationResult result) {}

  private static AnyText2Request request(int count) {
    return AnyText2Request.generate("a wooden sign").size(128, 128).steps(STEPS).seed(11).count(count)
        .line(TextLine.of("HELLO").withColor(new Rgb(200, 30, 40))).line(TextLine.of("Java2")).build();
  }

  private static Seen run(Path pkg, SamplerOptions options, AnyText2Request request) {
    try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2), options)) {
      List<Integer> steps = new ArrayList<>();
      List<FloatTensor> all = new ArrayList<>();
      FloatTensor[] last = new FloatTensor[1];
      GenerationResult r = p.run(request, (done, total, predX0) -> {
        steps.add(done);
        last[0] = predX0;
        all.add(predX0);
        return true;
      });
      return new Seen(steps, all, last[0], r);
    }
  }

  private static double maxAbsDiff(FloatTensor a, FloatTensor b) {
    assertArrayEquals(a.shape(), b.shape());
    double m = 0;
    for (int i = 0; i < a.data().length; i++) m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    return m;
  }

  @Test
  void samplerGraphGivesTheLatentsOfTheStepByStepLoop() throws Exception {
    Path pkg = TinyPackage.get();
    for (int count : new int[] {1, 2}) {
      Seen perStep = run(pkg, SamplerOptions.DEFAULT.withLoopChunk(0), request(count));
      Seen chunked = run(pkg, SamplerOptions.DEFAULT.withLoopChunk(4), request(count));
      Seen whole = run(pkg, SamplerOptions.DEFAULT.withLoopChunk(100), request(count));
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), perStep.steps());
      assertEquals(List.of(4, 8, 10), chunked.steps(), "the listener hears after each chunk of the sampler graph");
      assertEquals(List.of(10), whole.steps());
      Seen single = run(pkg, SamplerOptions.DEFAULT.withLoopChunk(1), request(count));
      assertEquals(perStep.steps(), single.steps());
      // The UNet inside the Loop body is the same network, but ONNX Runtime plans (fuses, splits work
      // over threads) a subgraph on its own, so ε differs in the last float32 bits (about 1e-6
      // relative); pred_x0 divides by sqrt(a_t) ≈ 0.07 at the first step. Hence a relative bound.
      double scale = 0;
      for (float v : perStep.lastPredX0().data()) scale = Math.max(scale, Math.abs(v));
      double dSingle = maxAbsDiff(perStep.lastPredX0(), single.lastPredX0()) / scale;
      double dChunked = maxAbsDiff(perStep.lastPredX0(), chunked.lastPredX0()) / scale;
      double dWhole = maxAbsDiff(perStep.lastPredX0(), whole.lastPredX0()) / scale;
      System.out.printf("[sampler-graph] batch %d: max |pred_x0| %.3g; max |diff| / max |pred_x0| vs step by step: "
          + "chunks of 1 %.3g, of 4 %.3g, one call %.3g%n", count, scale, dSingle, dChunked, dWhole);
      assertTrue(dSingle <= 1e-5, "chunks of 1 vs step by step: " + dSingle);
      assertTrue(dChunked <= 1e-5, "chunks of 4 vs step by step: " + dChunked);
      assertTrue(dWhole <= 1e-5, "one call vs step by step: " + dWhole);
      for (Seen s : List.of(perStep, chunked)) {
        java.util.Map<String, Double> ph = s.result().phaseMillis();
        assertEquals(List.of("prepare", "condition", "denoise", "decode"), List.copyOf(ph.keySet()), "phases in order, both samplers");
        double sum = ph.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(ph.values().stream().allMatch(v -> v >= 0) && sum <= s.result().millis() + 1, ph + " within " + s.result().millis() + " ms");
        assertTrue(ph.get("denoise") > 0, "the loop takes time: " + ph);
      }
      for (int i = 0; i < count; i++) {
        byte[] a = perStep.result().images().get(i).pixels(), b = chunked.result().images().get(i).pixels();
        int worst = 0;
        for (int j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs((a[j] & 0xff) - (b[j] & 0xff)));
        assertTrue(worst <= 1, "image " + i + " differs by " + worst + "/255");
      }
      // without a listener the whole loop is one call (with one: a call per chunk of 5), same pictures
      try (AnyText2Pipeline p = AnyText2Pipeline.open(pkg, RuntimeOptions.cpu().withThreads(2), SamplerOptions.DEFAULT)) {
        GenerationResult unheard = p.run(request(count));
        assertEquals(1, p.stages().sampler().calls(), "one sampler call without a listener");
        assertTrue(p.stages().samplerComputesControls(), "new packages' sampler graphs run the ControlNet themselves");
        assertEquals(0, p.stages().controlNet().calls(), "so the ControlNet graph is not called (nor opened until asked)");
        p.run(request(count), (done, total, x0) -> true);
        assertEquals(1 + 2, p.stages().sampler().calls(), "10 steps in chunks of 5 with a listener");
        for (int i = 0; i < count; i++) {
          assertArrayEquals(whole.result().images().get(i).pixels(), unheard.images().get(i).pixels(), "image " + i + " without a listener");
        }
      }
    }
  }

  @Test
  void packagesWithoutTheSamplerGraphRunStepByStep(@TempDir Path tmp) throws Exception {
    Path pkg = TinyPackage.get();
    Path old = linkedCopy(pkg, tmp.resolve("old"), name -> !name.startsWith(GraphNames.SAMPLER + "."));
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(pkg.resolve("manifest.json").toFile());
    assertNotNull(manifest.get("graphs").get(GraphNames.SAMPLER), "new packages ship the sampler graph");
    ((ObjectNode) manifest.get("graphs")).remove(GraphNames.SAMPLER);
    json.writeValue(old.resolve("manifest.json").toFile(), manifest);
    try (AnyText2Pipeline p = AnyText2Pipeline.open(old, RuntimeOptions.cpu().withThreads(2), SamplerOptions.DEFAULT)) {
      assertFalse(p.stages().hasSampler());
      assertNull(p.stages().sampler());
    }
    Seen oldRun = run(old, SamplerOptions.DEFAULT, request(1));
    Seen newRun = run(pkg, SamplerOptions.DEFAULT.withLoopChunk(0), request(1));
    assertEquals(newRun.steps(), oldRun.steps());
    assertArrayEquals(newRun.result().images().get(0).pixels(), oldRun.result().images().get(0).pixels());
  }

  /**
   * Sampler graphs of converters before 2026-11-26 took the control maps as inputs; a package whose manifest says so
   * (here: the current graph with its ControlNet context input renamed in the manifest) runs step by step, with the
   * pictures of the step-by-step loop, and never calls that graph.
   */
  @Test
  void olderSamplerGraphsRunStepByStep(@TempDir Path tmp) throws Exception {
    Path pkg = TinyPackage.get();
    Path old = linkedCopy(pkg, tmp.resolve("old-form"), name -> true);
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(pkg.resolve("manifest.json").toFile());
    int renamed = 0;
    for (com.fasterxml.jackson.databind.JsonNode t : manifest.get("graphs").get(GraphNames.SAMPLER).get("inputs")) {
      if (GraphNames.SMP_IN_CONTROL_CONTEXT.equals(t.get("name").asText())) {
        ((ObjectNode) t).put("name", GraphNames.controlName(0));
        renamed++;
      }
    }
    assertEquals(1, renamed, "the sampler graph takes the ControlNet's contexts");
    json.writeValue(old.resolve("manifest.json").toFile(), manifest);
    Seen perStep = run(pkg, SamplerOptions.DEFAULT.withLoopChunk(0), request(2));
    try (AnyText2Pipeline q = AnyText2Pipeline.open(old, RuntimeOptions.cpu().withThreads(2), SamplerOptions.DEFAULT)) {
      assertFalse(q.stages().samplerComputesControls());
      GenerationResult r = q.run(request(2));
      assertNull(q.stages().sampler(), "an older sampler graph is neither opened nor used");
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(perStep.result().images().get(i).pixels(), r.images().get(i).pixels(), "image " + i + " as step by step");
      }
    }
  }

  /**
   * A package folder of symbolic links to {@code pkg}'s entries whose names {@code keep} accepts; the
   * manifest is never linked (each test writes its own, edited, into the folder).
   */
  private static Path linkedCopy(Path pkg, Path dir, java.util.function.Predicate<String> keep) throws Exception {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(pkg)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("manifest.json") && keep.test(name)) Files.createSymbolicLink(dir.resolve(name), f);
      }
    }
    return dir;
  }
}
