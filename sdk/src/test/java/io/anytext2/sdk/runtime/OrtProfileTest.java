package io.anytext2.sdk.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anytext2.sdk.AnyText2Pipeline;
import io.anytext2.sdk.AnyText2Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** anytext2.ort.profile: every graph a pipeline opens writes ONNX Runtime's per-node profile when it closes. */
class OrtProfileTest {

  @Test
  void eachGraphWritesItsProfileWhenThePipelineCloses(@TempDir Path tmp) throws Exception {
    Path folder = tmp.resolve("profiles");
    System.setProperty(SessionFactory.PROFILE_PROPERTY, folder.toString());
    try (AnyText2Pipeline p = AnyText2Pipeline.open(Path.of("../onnx"), RuntimeOptions.cpu())) {
      p.run(AnyText2Request.generate("a plain white background").line("OPEN").size(128, 128).steps(1).count(1).seed(1).build());
    } finally {
      System.clearProperty(SessionFactory.PROFILE_PROPERTY);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.sorted().toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().startsWith("unet_") && f.toString().endsWith(".json")), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().startsWith("controlnet_")), files.toString());
    Path unet = files.stream().filter(f -> f.getFileName().toString().startsWith("unet_")).findFirst().orElseThrow();
    String json = Files.readString(unet);
    assertTrue(json.contains("\"cat\" : \"Node\"") || json.contains("\"cat\":\"Node\""), "per-node events in " + unet);
    assertTrue(json.contains("CPUExecutionProvider"), "the provider of each node is recorded");
  }

  @Test
  void offByDefault() {
    assertFalse(System.getProperties().containsKey(SessionFactory.PROFILE_PROPERTY));
    assertTrue(SessionFactory.profileFolder() == null);
  }
}
