package io.anytext2.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anytext2.nn.config.ControlNetConfig;
import io.anytext2.nn.config.UNetConfig;
import io.anytext2.nn.ops.ShapeOps;
import io.anytext2.nn.ops.ShapeOps.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Shapes and checkpoint keys of the UNet and ControlNet, through {@link ShapeOps}. */
class UNetControlNetShapeTest {

  static final String UNET = "model.diffusion_model.";
  static final String CONTROL = "control_model.";

  /** /work/shared/parity/tiny/tiny.yaml. */
  static UNetConfig tinyUNet() {
    return new UNetConfig(4, 4, 32, new int[] {1, 1, 1, 2}, 2, new int[] {4, 2, 1}, 2, 1, 64, false, true, true, new int[] {2, 1});
  }

  static ControlNetConfig tinyControlNet() {
    return new ControlNetConfig(4, 32, 1, 1, new int[] {1, 1, 1, 2}, 2, new int[] {4, 2, 1}, 2, 1, 64, true);
  }

  /** models_yaml/anytext2_sd15.yaml (MODEL.md §3.7, §5.1). */
  static UNetConfig sd15UNet() {
    return new UNetConfig(4, 4, 320, new int[] {1, 2, 4, 4}, 2, new int[] {4, 2, 1}, 8, 1, 768, false, true, true, new int[] {2, 1});
  }

  static ControlNetConfig sd15ControlNet() {
    return new ControlNetConfig(4, 320, 1, 1, new int[] {1, 2, 4, 4}, 2, new int[] {4, 2, 1}, 8, 1, 768, true);
  }

  /** key → shape of the tiny checkpoint's UNet and ControlNet tensors (test resource, from model.ckpt). */
  static Map<String, List<Long>> tinyCheckpointKeys() throws IOException {
    Map<String, List<Long>> keys = new TreeMap<>();
    try (var in = UNetControlNetShapeTest.class.getResourceAsStream("/tiny_unet_controlnet_keys.txt");
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] parts = line.trim().split(" ");
        keys.put(parts[0], Arrays.stream(parts[1].split("x")).map(Long::valueOf).toList());
      }
    }
    return keys;
  }

  static Map<String, List<Long>> requested(ShapeOps ops) {
    Map<String, List<Long>> out = new TreeMap<>();
    ops.weights().forEach((k, v) -> out.put(k, Arrays.stream(v).boxed().toList()));
    return out;
  }

  static Map<String, List<Long>> withPrefix(Map<String, List<Long>> keys, String prefix) {
    Map<String, List<Long>> out = new TreeMap<>();
    keys.forEach((k, v) -> {
      if (k.startsWith(prefix)) out.put(k, v);
    });
    return out;
  }

  static List<Shape> tinyControls(int batch) {
    long[][] dims = {
      {32, 16, 16}, {32, 16, 16}, {32, 16, 16}, {32, 8, 8}, {32, 8, 8}, {32, 8, 8},
      {32, 4, 4}, {32, 4, 4}, {32, 4, 4}, {32, 2, 2}, {64, 2, 2}, {64, 2, 2}, {64, 2, 2}
    };
    List<Shape> out = new ArrayList<>();
    for (long[] d : dims) out.add(new Shape(new long[] {batch, d[0], d[1], d[2]}));
    return out;
  }

  @Test
  void tinyControlNetYieldsThirteenMapsOfTheFixtureShapes() {
    ShapeOps ops = new ShapeOps();
    var net = new ControlNetModel(tinyControlNet(), CONTROL);
    List<Shape> outs = net.forward(ops, ops.input(2, 1, 128, 128), ops.input(2, 1, 128, 128), ops.input(2, 4, 16, 16),
        ops.input(2, 77, 64));
    assertEquals(tinyControls(2), outs);
    assertEquals(13, net.numControls());
  }

  @Test
  void tinyUNetReturnsEpsOfTheLatentShape() {
    ShapeOps ops = new ShapeOps();
    var unet = new UNetModel(tinyUNet(), UNET);
    Shape eps = unet.forward(ops, ops.input(2, 4, 16, 16), ops.input(2), ops.input(2, 154, 64), tinyControls(2), ops.input());
    assertArrayEquals(new long[] {2, 4, 16, 16}, eps.dims());
    Shape noControl = new UNetModel(tinyUNet(), UNET).forward(new ShapeOps(), ops.input(1, 4, 24, 16), ops.input(1),
        ops.input(1, 77, 64), null, ops.input());
    assertArrayEquals(new long[] {1, 4, 24, 16}, noControl.dims());
  }

  @Test
  void tinyModelsRequestExactlyTheCheckpointKeysAndShapes() throws IOException {
    Map<String, List<Long>> ckpt = tinyCheckpointKeys();

    ShapeOps unetOps = new ShapeOps();
    new UNetModel(tinyUNet(), UNET).forward(unetOps, unetOps.input(1, 4, 16, 16), unetOps.input(1), unetOps.input(1, 77, 64),
        tinyControls(1), unetOps.input());
    assertKeys(withPrefix(ckpt, UNET), requested(unetOps));

    ShapeOps cnOps = new ShapeOps();
    new ControlNetModel(tinyControlNet(), CONTROL).forward(cnOps, cnOps.input(1, 1, 128, 128), cnOps.input(1, 1, 128, 128),
        cnOps.input(1, 4, 16, 16), cnOps.input(1, 77, 64));
    assertKeys(withPrefix(ckpt, CONTROL), requested(cnOps));
  }

  @Test
  void unetWithoutControlsStillUsesEveryUNetWeight() throws IOException {
    ShapeOps ops = new ShapeOps();
    new UNetModel(tinyUNet(), UNET).forward(ops, ops.input(1, 4, 16, 16), ops.input(1), ops.input(1, 77, 64), null, ops.input());
    assertKeys(withPrefix(tinyCheckpointKeys(), UNET), requested(ops));
  }

  @Test
  void sd15ShapesMatchTheSpecTables() {
    ShapeOps ops = new ShapeOps();
    var net = new ControlNetModel(sd15ControlNet(), CONTROL);
    List<Shape> controls = net.forward(ops, ops.input(1, 1, 512, 512), ops.input(1, 1, 512, 512), ops.input(1, 4, 64, 64),
        ops.input(1, 77, 768));
    long[][] expected = {
      {320, 64, 64}, {320, 64, 64}, {320, 64, 64}, {320, 32, 32}, {640, 32, 32}, {640, 32, 32}, {640, 16, 16},
      {1280, 16, 16}, {1280, 16, 16}, {1280, 8, 8}, {1280, 8, 8}, {1280, 8, 8}, {1280, 8, 8}
    };
    assertEquals(13, controls.size());
    for (int k = 0; k < 13; k++) {
      assertArrayEquals(new long[] {1, expected[k][0], expected[k][1], expected[k][2]}, controls.get(k).dims(), "control " + k);
    }
    Map<String, List<Long>> cn = requested(ops);
    assertEquals(List.of(320L, 324L, 3L, 3L), cn.get(CONTROL + "fuse_block_za.weight"));
    assertEquals(List.of(256L, 96L, 3L, 3L), cn.get(CONTROL + "glyph_block.12.weight"));
    assertEquals(List.of(64L, 32L, 3L, 3L), cn.get(CONTROL + "position_block.12.weight"));
    assertEquals(List.of(640L, 640L, 1L, 1L), cn.get(CONTROL + "zero_convs.6.0.weight"));
    assertEquals(List.of(1280L, 1280L, 1L, 1L), cn.get(CONTROL + "middle_block_out.0.weight"));
    assertEquals(List.of(1280L, 320L), cn.get(CONTROL + "time_embed.0.weight"));
    assertEquals(0, cn.keySet().stream().filter(k -> k.contains("attn1x") || k.contains("attn2x")).count());

    ShapeOps unetOps = new ShapeOps();
    Shape eps = new UNetModel(sd15UNet(), UNET).forward(unetOps, unetOps.input(1, 4, 64, 64), unetOps.input(1),
        unetOps.input(1, 154, 768), controls, unetOps.input());
    assertArrayEquals(new long[] {1, 4, 64, 64}, eps.dims());
    Map<String, List<Long>> u = requested(unetOps);
    // MODEL.md §4.2: 756 UNet keys; §4.3 examples.
    assertEquals(756, u.size());
    long values = u.values().stream().mapToLong(s -> s.stream().reduce(1L, (a, b) -> a * b)).sum();
    assertEquals(917_042_884L, values);
    assertEquals(List.of(320L, 320L), u.get(UNET + "input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight"));
    assertEquals(List.of(1280L, 768L), u.get(UNET + "middle_block.1.transformer_blocks.0.attn2x.to_k.weight"));
    assertEquals(List.of(5120L, 640L), u.get(UNET + "output_blocks.8.1.transformer_blocks.0.ff.net.0.proj.weight"));
    assertEquals(List.of(1280L, 2560L, 3L, 3L), u.get(UNET + "output_blocks.2.0.in_layers.2.weight"));
    assertEquals(List.of(1280L, 1280L, 3L, 3L), u.get(UNET + "output_blocks.2.1.conv.weight"));
    assertEquals(List.of(640L, 640L, 3L, 3L), u.get(UNET + "output_blocks.8.2.conv.weight"));
    assertEquals(List.of(320L, 960L, 1L, 1L), u.get(UNET + "output_blocks.9.0.skip_connection.weight"));
    assertEquals(List.of(4L, 320L, 3L, 3L), u.get(UNET + "out.2.weight"));
    var attnxBlocks = new TreeSet<String>();
    u.keySet().stream().filter(k -> k.contains(".attn1x.to_q.")).forEach(k -> attnxBlocks.add(k.substring(UNET.length(), k.indexOf(".transformer"))));
    assertEquals(new TreeSet<>(List.of("middle_block.1", "output_blocks.3.1", "output_blocks.4.1", "output_blocks.5.1",
        "output_blocks.6.1", "output_blocks.7.1", "output_blocks.8.1")), attnxBlocks);
  }

  @Test
  void sd15ControlNetParameterCountMatchesTheSpec() {
    ShapeOps ops = new ShapeOps();
    new ControlNetModel(sd15ControlNet(), CONTROL).forward(ops, ops.input(1, 1, 512, 512), ops.input(1, 1, 512, 512),
        ops.input(1, 4, 64, 64), ops.input(1, 77, 768));
    // MODEL.md §4.2: 354 keys, 361,511,208 values.
    assertEquals(354, ops.weights().size());
    assertEquals(361_511_208L, ops.weights().values().stream().mapToLong(s -> Arrays.stream(s).reduce(1L, (a, b) -> a * b)).sum());
  }

  @Test
  void rejectsAWrongNumberOfControls() {
    ShapeOps ops = new ShapeOps();
    var unet = new UNetModel(tinyUNet(), UNET);
    var ex = assertThrows(IllegalArgumentException.class, () -> unet.forward(ops, ops.input(1, 4, 16, 16), ops.input(1),
        ops.input(1, 77, 64), tinyControls(1).subList(0, 12), ops.input()));
    assertEquals("expected 13 control maps, found 12", ex.getMessage());
  }

  @Test
  void rejectsMissingAttnxScaleWhenTheConfigHasAttnx() {
    ShapeOps ops = new ShapeOps();
    var unet = new UNetModel(tinyUNet(), UNET);
    assertThrows(IllegalArgumentException.class,
        () -> unet.forward(ops, ops.input(1, 4, 16, 16), ops.input(1), ops.input(1, 77, 64), null, null));
  }

  static void assertKeys(Map<String, List<Long>> expected, Map<String, List<Long>> actual) {
    var missing = new TreeSet<>(expected.keySet());
    missing.removeAll(actual.keySet());
    var extra = new TreeSet<>(actual.keySet());
    extra.removeAll(expected.keySet());
    assertEquals(List.of(), List.copyOf(missing), "checkpoint keys the model never requests");
    assertEquals(List.of(), List.copyOf(extra), "requested keys absent from the checkpoint");
    expected.forEach((k, v) -> assertEquals(v, actual.get(k), "shape of " + k));
  }
}
