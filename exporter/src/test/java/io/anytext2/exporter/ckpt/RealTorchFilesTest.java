package io.anytext2.exporter.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files written by torch 2.11, safetensors 0.8 and Lightning 2.6 (see resources torch211/README.md). */
class RealTorchFilesTest {

  private static Path resource(String name) {
    try {
      return Path.of(RealTorchFilesTest.class.getResource("torch211/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DType fromTorch(String name) {
    return switch (name) {
      case "float32" -> DType.F32;
      case "float16" -> DType.F16;
      case "bfloat16" -> DType.BF16;
      case "float64" -> DType.F64;
      case "int64" -> DType.I64;
      case "int32" -> DType.I32;
      case "int16" -> DType.I16;
      case "int8" -> DType.I8;
      case "uint8" -> DType.U8;
      case "bool" -> DType.BOOL;
      default -> throw new IllegalArgumentException("unexpected torch dtype " + name);
    };
  }

  @Test
  void everyTensorMatchesWhatPytorchSaved() throws IOException {
    JsonNode files = new ObjectMapper().readTree(resource("expected.json").toFile()).get("files");
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      try (Checkpoint ckpt = Checkpoints.open(resource(file.getKey()))) {
        List<String> expectedKeys = new ArrayList<>();
        file.getValue().fieldNames().forEachRemaining(expectedKeys::add);
        if (ckpt instanceof TorchZipCheckpoint) {
          assertEquals(expectedKeys, ckpt.keys(), file.getKey()); // state_dict order is the file's order
        } else {
          assertEquals(new HashSet<>(expectedKeys), new HashSet<>(ckpt.keys()), file.getKey());
        }
        for (String key : expectedKeys) {
          JsonNode want = file.getValue().get(key);
          String where = file.getKey() + " " + key;
          TensorInfo info = ckpt.info(key);
          DType dtype = fromTorch(want.get("dtype").asText());
          assertEquals(dtype, info.dtype(), where);
          long[] shape = new long[want.get("shape").size()];
          for (int i = 0; i < shape.length; i++) {
            shape[i] = want.get("shape").get(i).asLong();
          }
          assertArrayEquals(shape, info.shape(), where);
          JsonNode values = want.get("values");
          if (dtype.isFloatingPoint()) {
            float[] expected = new float[values.size()];
            for (int i = 0; i < expected.length; i++) {
              expected[i] = (float) values.get(i).asDouble();
            }
            assertArrayEquals(expected, ckpt.readFloats(key), where);
          } else {
            long[] expected = new long[values.size()];
            for (int i = 0; i < expected.length; i++) {
              expected[i] = values.get(i).asLong();
            }
            assertArrayEquals(expected, ckpt.readLongs(key), where);
          }
          assertEquals(info.byteSize(), ckpt.readBytes(key).length, where);
          checked++;
        }
      }
    }
    assertEquals(17 + 9 + 8 + 2, checked);
  }

  @Test
  void lightningCheckpointsListTheirStateDict() {
    try (TorchZipCheckpoint real = TorchZipCheckpoint.open(resource("pl_real.ckpt"));
        TorchZipCheckpoint handMade = TorchZipCheckpoint.open(resource("lightning.ckpt"))) {
      assertTrue(real.isWrappedInStateDict());
      assertEquals(List.of("fc.weight", "fc.bias"), real.keys());
      assertTrue(handMade.isWrappedInStateDict());
      assertArrayEquals(new long[] {1}, handMade.readLongs("bn.num_batches_tracked"));
    }
  }

  @Test
  void safetensorsMetadataAndLegacyRefusal() {
    try (SafetensorsFile st = SafetensorsFile.open(resource("st.safetensors"))) {
      assertEquals(Map.of("format", "pt", "who", "safetensors"), st.metadata());
    }
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(resource("legacy.pt")));
    assertTrue(e.getMessage().contains("legacy (non-zip) torch.save format is not supported"), e.getMessage());
  }
}
